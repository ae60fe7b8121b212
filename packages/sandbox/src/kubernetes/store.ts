import { randomUUID } from 'node:crypto';

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

/** Leaves of an object (lists are atomic), by path; identity and server-owned fields are not applied fields. */
export function leaves(
  obj: Json,
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
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.keys(value).length
    )
      leaves(value, path, out);
    else if (!IDENTITY.has(path.join('\u0000')))
      out.set(path.join('\u0000'), value);
  }
  return out;
}

function setPath(obj: Json, path: Path, value: Json) {
  const keys = path.split('\u0000');
  let cur = obj;
  for (const k of keys.slice(0, -1)) cur = cur[k] ??= {};
  cur[keys[keys.length - 1]] = value;
}

function deletePath(obj: Json, path: Path) {
  const keys = path.split('\u0000');
  const stack: Json[] = [obj];
  for (const k of keys.slice(0, -1)) {
    const next = stack[stack.length - 1]?.[k];
    if (!next) return;
    stack.push(next);
  }
  delete stack[stack.length - 1][keys[keys.length - 1]];
  for (let i = keys.length - 2; i >= 0; i--) {
    if (Object.keys(stack[i + 1]).length === 0) delete stack[i][keys[i]];
  }
}

/** FieldsV1 (`{"f:spec":{"f:replicas":{}}}`) for a set of leaf paths. */
function fieldsV1(paths: Iterable<Path>): Json {
  const out: Json = {};
  for (const path of paths) {
    let cur = out;
    for (const k of path.split('\u0000')) cur = cur[`f:${k}`] ??= {};
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

    const before = existing ? leaves(existing.object) : new Map<Path, Json>();
    const after = leaves(object);
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
    const applied = leaves(config);
    const owners = new Map<string, Set<Path>>(
      [...(existing?.owners ?? [])].map(([m, p]) => [m, new Set(p)]),
    );
    const current = existing ? leaves(existing.object) : new Map<Path, Json>();

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
            field: `.${path.split('\u0000').join('.')}`,
          });
      }
    }
    if (conflicts.length) return { conflicts };

    const object: Json = existing
      ? structuredClone(existing.object)
      : { apiVersion, kind, metadata: { name: config.metadata.name } };
    if (namespace) object.metadata.namespace = namespace;
    const previouslyMine = owners.get(manager) ?? new Set<Path>();
    for (const path of previouslyMine) {
      const ownedByOthers = [...owners].some(
        ([m, p]) => m !== manager && p.has(path),
      );
      if (!applied.has(path) && !ownedByOthers) deletePath(object, path);
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
