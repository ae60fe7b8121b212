import { applyPatch as applyJsonPatch, deepClone } from 'fast-json-patch';
import mergePatch from 'json-merge-patch';
import {
  fieldSchema,
  itemSchema,
  kindSchema,
  type SchemaCursor,
} from './openapi';

/** A PATCH whose media type the API server does not accept (415). */
export class UnsupportedPatch extends Error {}

/** How a list field merges: by a key, as a set of scalars, or replaced whole. */
function listRule(at: SchemaCursor | undefined): {
  key?: string;
  set?: boolean;
} {
  const strategy = String(at?.schema['x-kubernetes-patch-strategy'] ?? '');
  if (!strategy.split(',').includes('merge')) return {};
  const key = at!.schema['x-kubernetes-patch-merge-key'];
  return key ? { key } : { set: true };
}

function mergeList(
  current: unknown,
  patch: unknown[],
  at: SchemaCursor | undefined,
): unknown {
  if (
    patch.some(
      i => i && typeof i === 'object' && (i as any).$patch === 'replace',
    )
  )
    return patch.filter(i => (i as any)?.$patch !== 'replace');
  const base = Array.isArray(current) ? current : [];
  const rule = listRule(at);
  if (rule.set) return [...new Set([...base, ...patch])];
  if (!rule.key) return patch;
  const key = rule.key;
  const items = itemSchema(at);
  const out = base.map(i => deepClone(i));
  for (const item of patch) {
    if (!item || typeof item !== 'object') return patch;
    const { $patch, ...rest } = item as Record<string, unknown>;
    const found = out.findIndex(o => o?.[key] === rest[key]);
    if ($patch === 'delete') {
      if (found >= 0) out.splice(found, 1);
    } else if (found >= 0) out[found] = strategicMerge(out[found], rest, items);
    else out.push(strategicMerge(undefined, rest, items));
  }
  return out;
}

/**
 * Kubernetes' strategic merge patch: maps merge (null deletes), lists merge as the kind's OpenAPI schema says
 * (`x-kubernetes-patch-strategy: merge` with `x-kubernetes-patch-merge-key`), `$patch: replace` / `delete`
 * directives; `$setElementOrder` and `$retainKeys` are accepted and not needed here.
 */
export function strategicMerge(
  current: any,
  patch: any,
  at?: SchemaCursor,
): any {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch, ...rest } = patch;
    return rest;
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, unknown> =
    current && typeof current === 'object' && !Array.isArray(current)
      ? { ...current }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/') || key === '$retainKeys') continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const remove = new Set(value as unknown[]);
      out[field] = ((out[field] as unknown[]) ?? []).filter(
        v => !remove.has(v),
      );
      continue;
    }
    const child = fieldSchema(at, key);
    if (value === null) delete out[key];
    else if (Array.isArray(value)) out[key] = mergeList(out[key], value, child);
    else if (typeof value === 'object') {
      const merged = strategicMerge(out[key], value, child);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else out[key] = value;
  }
  return out;
}

/** Applies a PATCH body of the given media type to a copy of `current`, as the API server does. */
export function applyPatch(
  current: any,
  patch: unknown,
  contentType: string,
): any {
  switch (contentType) {
    case 'application/merge-patch+json':
      return mergePatch.apply(deepClone(current), patch);
    case 'application/json-patch+json': {
      if (!Array.isArray(patch))
        throw new Error('a JSON patch must be a list of operations');
      // Validated operations; a failing `test` or a missing path is an error, never a partial patch.
      return applyJsonPatch(deepClone(current), patch as any, true, false)
        .newDocument;
    }
    case 'application/strategic-merge-patch+json': {
      // As the API server: strategic merge needs the kind's schema, which custom resources do not have.
      const schema = kindSchema(current.apiVersion, current.kind);
      if (!schema)
        throw new UnsupportedPatch(
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
        );
      return strategicMerge(deepClone(current), patch, schema);
    }
    default:
      throw new UnsupportedPatch(
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
}
