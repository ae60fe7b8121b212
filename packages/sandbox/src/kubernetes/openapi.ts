import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

type Schema = Record<string, any>;

let recorded: { source: string; documents: Record<string, Schema> } | undefined;

/**
 * Kubernetes' own OpenAPI v3 documents for the group-versions recorded (data/kubernetes/openapi-v3.json.gz, from
 * scripts/kubernetes-openapi.mjs), by group-version path (`api/v1`, `apis/apps/v1`). Loaded once, on first use.
 */
export function openApiDocuments(): Record<string, Schema> {
  recorded ??= JSON.parse(
    zlib
      .gunzipSync(
        fs.readFileSync(
          path.join(
            path.dirname(require.resolve('@paved/sandbox/package.json')),
            'data/kubernetes/openapi-v3.json.gz',
          ),
        ),
      )
      .toString('utf8'),
  );
  return recorded!.documents;
}

const groupVersionPath = (apiVersion: string) =>
  apiVersion.includes('/') ? `apis/${apiVersion}` : `api/${apiVersion}`;

/** A schema with its `$ref` (direct or through `allOf`) followed, in the document it came from. */
function resolve(doc: Schema, schema: Schema | undefined): Schema | undefined {
  let s = schema;
  for (let i = 0; s && i < 10; i++) {
    const ref = s.$ref ?? s.allOf?.[0]?.$ref;
    if (!ref) return s;
    s =
      doc.components?.schemas?.[
        String(ref).replace('#/components/schemas/', '')
      ];
  }
  return s;
}

/** A position in a kind's schema, walked field by field; undefined when the kind's documents are not recorded. */
export interface SchemaCursor {
  schema: Schema;
  doc: Schema;
}

/** The schema of a kind (`x-kubernetes-group-version-kind`), or undefined when its group-version is not recorded. */
export function kindSchema(
  apiVersion: string,
  kind: string,
): SchemaCursor | undefined {
  const doc = openApiDocuments()[groupVersionPath(apiVersion)];
  if (!doc) return undefined;
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  const schemas = Object.values(doc.components?.schemas ?? {}) as Schema[];
  const schema = schemas.find(s =>
    (s['x-kubernetes-group-version-kind'] ?? []).some(
      (g: Schema) =>
        g.group === group && g.version === version && g.kind === kind,
    ),
  );
  return schema ? { schema, doc } : undefined;
}

/** The schema of one field of an object (or undefined). */
export function fieldSchema(
  at: SchemaCursor | undefined,
  field: string,
): SchemaCursor | undefined {
  if (!at) return undefined;
  const schema = resolve(
    at.doc,
    resolve(at.doc, at.schema)?.properties?.[field],
  );
  return schema ? { schema, doc: at.doc } : undefined;
}

/** The schema of a list's items (or undefined). */
export function itemSchema(
  at: SchemaCursor | undefined,
): SchemaCursor | undefined {
  if (!at) return undefined;
  const schema = resolve(at.doc, at.schema.items);
  return schema ? { schema, doc: at.doc } : undefined;
}
