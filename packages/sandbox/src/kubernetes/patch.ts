import { applyPatch as applyJsonPatch, deepClone } from 'fast-json-patch';
import mergePatch from 'json-merge-patch';

/** A PATCH whose media type the API server does not accept (415). */
export class UnsupportedPatch extends Error {}

/**
 * Strategic merge patch keys: lists merged element by element on this field, as the Kubernetes API types declare them
 * (`patchStrategy:"merge" patchMergeKey:"…"` in k8s.io/api, `x-kubernetes-patch-merge-key` in the OpenAPI spec), for
 * the lists of the kinds this stand-in serves. Any other list is replaced, as the real server replaces it.
 */
const MERGE_KEYS: Record<string, string | ((items: any[]) => string)> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  volumes: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  schedulingGates: 'name',
  ownerReferences: 'uid',
  conditions: 'type',
  // A container's ports merge on containerPort, a Service's on port.
  ports: items =>
    items.some(i => i && typeof i === 'object' && 'containerPort' in i)
      ? 'containerPort'
      : 'port',
};
/** Lists of scalars merged as sets (`patchStrategy:"merge"` without a key). */
const SET_LISTS = new Set(['finalizers']);

function mergeList(field: string, current: unknown, patch: unknown[]): unknown {
  if (
    patch.some(
      i => i && typeof i === 'object' && (i as any).$patch === 'replace',
    )
  )
    return patch.filter(i => (i as any)?.$patch !== 'replace');
  const base = Array.isArray(current) ? current : [];
  if (SET_LISTS.has(field)) return [...new Set([...base, ...patch])];
  const rule = MERGE_KEYS[field];
  if (!rule) return patch;
  const key = typeof rule === 'function' ? rule([...base, ...patch]) : rule;
  const out = base.map(i => deepClone(i));
  for (const item of patch) {
    if (!item || typeof item !== 'object') return patch;
    const { $patch, ...rest } = item as Record<string, unknown>;
    const at = out.findIndex(o => o?.[key] === rest[key]);
    if ($patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) out[at] = strategicMerge(out[at], rest);
    else out.push(strategicMerge(undefined, rest));
  }
  return out;
}

/**
 * Kubernetes' strategic merge patch: maps merge (null deletes), keyed lists merge by their merge key, `$patch:
 * replace` / `delete` directives; `$setElementOrder` and `$retainKeys` directives are accepted and not needed here.
 */
export function strategicMerge(current: any, patch: any): any {
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
    if (value === null) delete out[key];
    else if (Array.isArray(value)) out[key] = mergeList(key, out[key], value);
    else if (typeof value === 'object') {
      const merged = strategicMerge(out[key], value);
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
    case 'application/strategic-merge-patch+json':
      return strategicMerge(deepClone(current), patch);
    default:
      throw new UnsupportedPatch(
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
}
