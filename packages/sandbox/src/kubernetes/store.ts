import { randomUUID } from 'node:crypto';
import {
  fieldSchema,
  itemSchema,
  kindSchema,
  type SchemaCursor,
} from './openapi';

type Json = any;
type Path = string; // leaf path segments joined by '\u0000'

const IDENTITY = new Set([
  'apiVersion',
  'kind',
  'metadata\u0000name',
  'metadata\u0000namespace',
]);
const SERVER_OWNED = new Set([
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
]);

/**
 * Path segments for list elements, as FieldsV1 writes them: `k:{"name":"web"}` for an element of an associative
 * list (`x-kubernetes-list-type: map`, keyed by `x-kubernetes-list-map-keys`), `v:"a"` for a value of a set
 * (`x-kubernetes-list-type: set`). Other lists are atomic: one leaf, owned whole.
 */
const isElement = (segment: string) => segment.startsWith('k:');
const isValue = (segment: string) => segment.startsWith('v:');
/** The leaf that says an associative list's element exists (FieldsV1's `"."`); its value is the element's keys. */
const ELEMENT = '\u0001element';
/** The leaf of an empty associative list or set: the applier owns the list, not its (others') elements. */
const EMPTY_LIST = { '\u0001list': true };

/**
 * How server-side apply tracks a list, as structured-merge-diff reads the kind's schema: `x-kubernetes-list-type`
 * (`map` with `x-kubernetes-list-map-keys`, `set`, `atomic`); without it, a patch strategy `merge` means a map keyed
 * by `x-kubernetes-patch-merge-key`, or a set when there is no key; anything else is atomic.
 */
function listKind(at: SchemaCursor | undefined): {
  keys?: string[];
  set?: boolean;
} {
  const schema = at?.schema ?? {};
  const type = schema['x-kubernetes-list-type'];
  if (type === 'map')
    return { keys: schema['x-kubernetes-list-map-keys'] ?? [] };
  if (type) return type === 'set' ? { set: true } : {};
  const strategy = String(schema['x-kubernetes-patch-strategy'] ?? '');
  if (!strategy.split(',').includes('merge')) return {};
  const key = schema['x-kubernetes-patch-merge-key'];
  return key ? { keys: [key] } : { set: true };
}

/**
 * Leaves of an object by path, as server-side apply tracks ownership: maps field by field, associative lists element
 * by element (their keys from the kind's OpenAPI schema), sets value by value, other lists atomic. Identity and
 * server-owned fields are not applied fields.
 */
export function leaves(
  obj: Json,
  at?: SchemaCursor,
  prefix: string[] = [],
  out = new Map<Path, Json>(),
): Map<Path, Json> {
  for (const [key, value] of Object.entries(obj ?? {})) {
    if (
      prefix.length === 1 &&
      prefix[0] === 'metadata' &&
      SERVER_OWNED.has(key)
    )
      continue;
    if (prefix.length === 0 && key === 'status') continue;
    const path = [...prefix, key];
    const field = fieldSchema(at, key);
    const list = Array.isArray(value) ? listKind(field) : {};
    if ((list.keys || list.set) && (value as Json[]).length === 0)
      out.set(path.join('\u0000'), EMPTY_LIST);
    else if (
      list.keys?.length &&
      (value as Json[]).every(
        i => i && typeof i === 'object' && list.keys!.every(k => k in i),
      )
    ) {
      for (const item of value as Json[]) {
        const keys = Object.fromEntries(list.keys.map(k => [k, item[k]]));
        const element = [...path, `k:${JSON.stringify(keys)}`];
        out.set(element.join('\u0000'), { [ELEMENT]: keys });
        leaves(item, itemSchema(field), element, out);
      }
    } else if (
      list.set &&
      (value as Json[]).every(i => i === null || typeof i !== 'object')
    ) {
      for (const item of value as Json[])
        out.set([...path, `v:${JSON.stringify(item)}`].join('\u0000'), item);
    } else if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.keys(value).length
    )
      leaves(value, field, path, out);
    else if (!IDENTITY.has(path.join('\u0000')))
      out.set(path.join('\u0000'), value);
  }
  return out;
}

/** The element of an associative list whose keys are those of a `k:` segment. */
const findElement = (list: Json[], segment: string) => {
  const keys = JSON.parse(segment.slice(2));
  return list.findIndex(
    i =>
      i &&
      typeof i === 'object' &&
      Object.entries(keys).every(
        ([k, v]) => JSON.stringify(i[k]) === JSON.stringify(v),
      ),
  );
};

function setPath(obj: Json, path: Path, value: Json) {
  const keys = path.split('\u0000');
  let cur = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    const next = keys[i + 1];
    if (isElement(k)) {
      let at = findElement(cur, k);
      if (at < 0) at = cur.push(JSON.parse(k.slice(2))) - 1;
      cur = cur[at];
    } else {
      const list = isElement(next) || isValue(next);
      if (list && !Array.isArray(cur[k])) cur[k] = [];
      else if (!list && (!cur[k] || typeof cur[k] !== 'object')) cur[k] = {};
      cur = cur[k];
    }
  }
  const last = keys[keys.length - 1];
  if (isElement(last)) {
    if (findElement(cur, last) < 0) cur.push({ ...value[ELEMENT] });
  } else if (isValue(last)) {
    if (!cur.some((v: Json) => JSON.stringify(v) === JSON.stringify(value)))
      cur.push(value);
  } else if (JSON.stringify(value) === JSON.stringify(EMPTY_LIST)) {
    if (!Array.isArray(cur[last])) cur[last] = [];
  } else if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !Object.keys(value).length &&
    cur[last] &&
    typeof cur[last] === 'object'
  ) {
    // An empty map merges into what is there (others' fields stay).
  } else cur[last] = value;
}

function deletePath(obj: Json, path: Path) {
  const keys = path.split('\u0000');
  // Each step: the container and the key or index in it; an element of a list is removed only by its own leaf.
  const steps: Array<{ container: Json; key: string | number }> = [];
  let cur = obj;
  for (const k of keys) {
    if (cur === undefined || cur === null || typeof cur !== 'object') return;
    let key: string | number = k;
    if (isElement(k)) key = findElement(cur, k);
    else if (isValue(k))
      key = cur.findIndex(
        (v: Json) =>
          JSON.stringify(v) === JSON.stringify(JSON.parse(k.slice(2))),
      );
    if (key === -1) return;
    steps.push({ container: cur, key });
    cur = cur[key];
  }
  const remove = ({
    container,
    key,
  }: {
    container: Json;
    key: string | number;
  }) =>
    Array.isArray(container)
      ? container.splice(key as number, 1)
      : delete container[key];
  remove(steps[steps.length - 1]);
  // Empty maps and lists left behind go too; list elements stay until their own leaf is removed.
  for (let i = steps.length - 2; i >= 0; i--) {
    const child = steps[i].container[steps[i].key];
    if (Array.isArray(steps[i].container)) break;
    const empty = Array.isArray(child)
      ? child.length === 0
      : Object.keys(child).length === 0;
    if (!empty) break;
    remove(steps[i]);
  }
}

/** A leaf path as the API server's conflict messages print it (`.spec.containers[name="web"].image`, `[="a"]`). */
function fieldPathString(path: Path): string {
  return path
    .split('\u0000')
    .map(k => {
      if (isValue(k)) return `[=${k.slice(2)}]`;
      if (!isElement(k)) return `.${k}`;
      const keys = Object.entries(JSON.parse(k.slice(2)));
      return `[${keys.map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(',')}]`;
    })
    .join('');
}

/** FieldsV1 (`{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{}}}}}`) for a set of leaf paths. */
function fieldsV1(paths: Iterable<Path>): Json {
  const out: Json = {};
  for (const path of paths) {
    let cur = out;
    for (const k of path.split('\u0000'))
      cur = cur[isElement(k) || isValue(k) ? k : `f:${k}`] ??= {};
    if (isElement(path.split('\u0000').pop()!)) cur['.'] = {};
  }
  return out;
}

/** The time the API server stamps on objects and managed fields (seconds). */
const serverNow = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** What the server owns on every write: uid and creation time kept, generation bumped when the spec changes. */
function stampServerFields(
  object: Json,
  existing: Json | undefined,
  now: string,
) {
  object.metadata.uid = existing?.metadata.uid ?? randomUUID();
  object.metadata.creationTimestamp =
    existing?.metadata.creationTimestamp ?? now;
  const specChanged =
    JSON.stringify(existing?.spec) !== JSON.stringify(object.spec);
  object.metadata.generation =
    (existing?.metadata.generation ?? 0) + (existing && !specChanged ? 0 : 1);
}

/** `metadata.managedFields` for the owners' field sets, each with its operation. */
function managedFields(
  owners: Map<string, Set<Path>>,
  apiVersion: string,
  time: string,
  operation: (manager: string) => 'Apply' | 'Update',
): Json[] {
  return [...owners]
    .filter(([, paths]) => paths.size)
    .map(([manager, paths]) => ({
      manager,
      operation: operation(manager),
      apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: fieldsV1(paths),
    }));
}

interface Stored {
  object: Json;
  owners: Map<string, Set<Path>>;
}

export interface ApplyResult {
  object?: Json;
  created?: boolean;
  conflicts?: Array<{ manager: string; field: string }>;
}

/** One cluster's objects, with server-side apply field ownership. */
export class ObjectStore {
  private readonly objects = new Map<string, Stored>();
  private static resourceVersion = 1000;

  private key(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ) {
    return `${apiVersion}|${kind}|${namespace ?? ''}|${name}`;
  }

  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Json | undefined {
    return this.objects.get(this.key(apiVersion, kind, namespace, name))
      ?.object;
  }

  /** Every object, in key order (for state snapshots). */
  all(): Json[] {
    return [...this.objects.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, s]) => s.object);
  }

  list(apiVersion: string, kind: string, namespace?: string): Json[] {
    return [...this.objects.values()]
      .map(s => s.object)
      .filter(
        o =>
          o.apiVersion === apiVersion &&
          o.kind === kind &&
          (namespace === undefined || o.metadata.namespace === namespace),
      )
      .sort((a, b) =>
        `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
          `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
        ),
      );
  }

  delete(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Json | undefined {
    const key = this.key(apiVersion, kind, namespace, name);
    const stored = this.objects.get(key);
    this.objects.delete(key);
    return stored?.object;
  }

  /** Sets an object's status, as a controller would (status is not part of apply). */
  setStatus(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    status: Json,
  ): void {
    const stored = this.objects.get(
      this.key(apiVersion, kind, namespace, name),
    );
    if (!stored) throw new Error(`${kind} ${name} does not exist`);
    stored.object.status = structuredClone(status);
    stored.object.metadata.resourceVersion = String(
      ++ObjectStore.resourceVersion,
    );
  }

  /**
   * A create (POST) or a replace (PUT) by `manager`, as the API server does them: the object becomes exactly
   * `object` (server-owned metadata kept), `manager` owns every field it sets with operation Update, other managers
   * keep the fields they own that did not change. Refuses creating what exists (AlreadyExists), replacing what does not
   * (NotFound) and a stale `resourceVersion` (Conflict). With `dryRun` nothing is stored.
   */
  write(
    input: Json,
    manager: string,
    options: {
      create: boolean;
      dryRun?: boolean;
      namespaced: boolean;
    },
  ): { object?: Json; error?: 'AlreadyExists' | 'NotFound' | 'Conflict' } {
    const { apiVersion, kind } = input;
    const namespace = options.namespaced ? input.metadata.namespace : undefined;
    const key = this.key(apiVersion, kind, namespace, input.metadata.name);
    const existing = this.objects.get(key);
    if (options.create && existing) return { error: 'AlreadyExists' };
    if (!options.create && !existing) return { error: 'NotFound' };
    const sent = input.metadata.resourceVersion;
    if (existing && sent && sent !== existing.object.metadata.resourceVersion)
      return { error: 'Conflict' };

    const object: Json = structuredClone(input);
    object.metadata = { ...object.metadata };
    if (!namespace) delete object.metadata.namespace;
    // Status is not written by create or update (it has its own subresource); server-owned fields are the server's.
    if (existing) object.status = existing.object.status;
    else delete object.status;
    const now = serverNow();
    stampServerFields(object, existing?.object, now);

    const schema = kindSchema(apiVersion, kind);
    const before = existing
      ? leaves(existing.object, schema)
      : new Map<Path, Json>();
    const after = leaves(object, schema);
    const owners = new Map<string, Set<Path>>();
    for (const [m, paths] of existing?.owners ?? []) {
      const kept = new Set(
        [...paths].filter(
          p =>
            after.has(p) &&
            JSON.stringify(after.get(p)) === JSON.stringify(before.get(p)),
        ),
      );
      if (kept.size) owners.set(m, kept);
    }
    const mine = new Set<Path>(owners.get(manager) ?? []);
    for (const [p, v] of after)
      if (!before.has(p) || JSON.stringify(before.get(p)) !== JSON.stringify(v))
        mine.add(p);
    for (const [m, paths] of owners)
      if (m !== manager) for (const p of mine) paths.delete(p);
    owners.set(manager, mine);
    object.metadata.managedFields = managedFields(owners, apiVersion, now, m =>
      m !== manager &&
      existing?.object.metadata.managedFields?.some(
        (f: any) => f.manager === m && f.operation === 'Apply',
      )
        ? 'Apply'
        : 'Update',
    );
    if (kind === 'Namespace') object.status = { phase: 'Active' };
    // A write that changes no field keeps the resourceVersion, as the API server's no-op updates do.
    const unchanged =
      existing &&
      before.size === after.size &&
      [...after].every(
        ([p, v]) => JSON.stringify(before.get(p)) === JSON.stringify(v),
      );
    object.metadata.resourceVersion = unchanged
      ? existing!.object.metadata.resourceVersion
      : String(++ObjectStore.resourceVersion);
    if (!options.dryRun) this.objects.set(key, { object, owners });
    return { object };
  }

  /** Server-side apply of `config` by `manager`; with `dryRun` nothing is stored. */
  apply(
    config: Json,
    manager: string,
    options: { force?: boolean; dryRun?: boolean; namespaced: boolean },
  ): ApplyResult {
    const { apiVersion, kind } = config;
    const namespace = options.namespaced
      ? config.metadata.namespace
      : undefined;
    const key = this.key(apiVersion, kind, namespace, config.metadata.name);
    const existing = this.objects.get(key);
    const schema = kindSchema(apiVersion, kind);
    const applied = leaves(config, schema);
    const owners = new Map<string, Set<Path>>(
      [...(existing?.owners ?? [])].map(([m, p]) => [m, new Set(p)]),
    );
    const current = existing
      ? leaves(existing.object, schema)
      : new Map<Path, Json>();

    const conflicts: Array<{ manager: string; field: string }> = [];
    for (const [path, value] of applied) {
      for (const [other, paths] of owners) {
        if (other === manager || !paths.has(path)) continue;
        if (JSON.stringify(current.get(path)) === JSON.stringify(value))
          continue; // same value: shared ownership
        if (options.force) paths.delete(path);
        else
          conflicts.push({
            manager: other,
            field: fieldPathString(path),
          });
      }
    }
    if (conflicts.length) return { conflicts };

    const object: Json = existing
      ? structuredClone(existing.object)
      : { apiVersion, kind, metadata: { name: config.metadata.name } };
    if (namespace) object.metadata.namespace = namespace;
    const previouslyMine = owners.get(manager) ?? new Set<Path>();
    // What this manager no longer applies goes, unless another manager owns it or something below it (an element
    // of a list stays while another manager owns a field in it; a map that now has others' fields is not a leaf).
    for (const path of previouslyMine) {
      const ownedByOthers = [...owners].some(
        ([m, p]) =>
          m !== manager &&
          (p.has(path) || [...p].some(q => q.startsWith(`${path}\u0000`))),
      );
      if (!applied.has(path) && !ownedByOthers && current.has(path))
        deletePath(object, path);
    }
    for (const [path, value] of applied)
      setPath(object, path, structuredClone(value));
    owners.set(manager, new Set(applied.keys()));

    const now = serverNow();
    stampServerFields(object, existing?.object, now);
    object.metadata.managedFields = managedFields(
      owners,
      apiVersion,
      now,
      () => 'Apply',
    );
    if (kind === 'Namespace') object.status = { phase: 'Active' };
    const unchanged =
      existing &&
      JSON.stringify({
        ...existing.object,
        metadata: { ...existing.object.metadata, managedFields: undefined },
      }) ===
        JSON.stringify({
          ...object,
          metadata: {
            ...object.metadata,
            resourceVersion: existing.object.metadata.resourceVersion,
            managedFields: undefined,
          },
        });
    const withoutTimes = (fields: Array<{ time?: string }> | undefined) =>
      JSON.stringify((fields ?? []).map(f => ({ ...f, time: undefined })));
    // As the API server: an apply that changes nothing (not even who owns which field) is a no-op, timestamps
    // included.
    if (
      unchanged &&
      withoutTimes(existing.object.metadata.managedFields) ===
        withoutTimes(object.metadata.managedFields)
    )
      return { object: existing.object, created: false };
    object.metadata.resourceVersion = unchanged
      ? existing!.object.metadata.resourceVersion
      : String(++ObjectStore.resourceVersion);
    if (!options.dryRun) this.objects.set(key, { object, owners });
    return { object, created: !existing };
  }
}
