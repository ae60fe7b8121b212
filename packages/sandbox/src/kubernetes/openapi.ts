import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

type Schema = Record<string, any>;

const dataFile = (name: string) =>
  path.join(
    path.dirname(require.resolve('@paved/sandbox/package.json')),
    'data/kubernetes',
    name,
  );
const readGzipJson = (file: string) =>
  JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));

let v2: { source: string; swagger: Schema } | undefined;
let documents: Record<string, Schema> | undefined;

/**
 * Kubernetes' own OpenAPI v2 document (`/openapi/v2`), cut to the resources the stand-in serves
 * (data/kubernetes/openapi-v2.json.gz, from scripts/kubernetes-openapi-v2.mjs). Loaded once, on first use.
 */
export function openApiV2(): Schema {
  v2 ??= readGzipJson(dataFile('openapi-v2.json.gz'));
  return v2!.swagger;
}

/** A v2 schema in v3 form: `#/definitions/` references to `#/components/schemas/`, a reference with siblings wrapped in `allOf`, as the API server's v3 documents write them. */
function v3Schema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(v3Schema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) out[k] = v3Schema(v);
  if (typeof out.$ref === 'string') {
    const ref = out.$ref.replace('#/definitions/', '#/components/schemas/');
    const { $ref, ...siblings } = out;
    return Object.keys(siblings).length
      ? { allOf: [{ $ref: ref }], ...siblings }
      : { $ref: ref };
  }
  return out;
}

/**
 * The OpenAPI v3 document of one group-version, built from the v2 document as the API server builds both from the
 * same definitions: the group-version's paths (body parameters as request bodies, response schemas as JSON content)
 * and the schemas they reach. Used for the group-versions whose own v3 documents are not recorded; `default`s,
 * which only the v3 documents carry, are absent.
 */
export function v3FromV2(swagger: Schema, groupVersion: string): Schema {
  const prefix = `/${groupVersion}/`;
  const paths: Schema = {};
  const parameter = (p: Schema) =>
    p.$ref ? swagger.parameters[p.$ref.replace('#/parameters/', '')] : p;
  for (const [p, item] of Object.entries<Schema>(swagger.paths)) {
    if (!p.startsWith(prefix)) continue;
    const converted: Schema = {};
    for (const [method, op] of Object.entries<Schema>(item)) {
      if (method === 'parameters') {
        converted.parameters = op.map(parameter).map(v3Parameter);
        continue;
      }
      const params = (op.parameters ?? []).map(parameter);
      const body = params.find((x: Schema) => x.in === 'body');
      converted[method] = {
        ...Object.fromEntries(
          Object.entries(op).filter(
            ([k]) =>
              !['parameters', 'responses', 'consumes', 'produces'].includes(k),
          ),
        ),
        ...(params.some((x: Schema) => x.in !== 'body')
          ? {
              parameters: params
                .filter((x: Schema) => x.in !== 'body')
                .map(v3Parameter),
            }
          : {}),
        ...(body
          ? {
              requestBody: {
                content: { '*/*': { schema: v3Schema(body.schema) } },
                required: Boolean(body.required),
              },
            }
          : {}),
        responses: Object.fromEntries(
          Object.entries<Schema>(op.responses ?? {}).map(([status, r]) => [
            status,
            {
              description: r.description,
              ...(r.schema
                ? {
                    content: Object.fromEntries(
                      (op.produces ?? ['application/json']).map((t: string) => [
                        t,
                        { schema: v3Schema(r.schema) },
                      ]),
                    ),
                  }
                : {}),
            },
          ]),
        ),
      };
    }
    paths[p] = converted;
  }
  const schemas: Schema = {};
  const reach = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach(reach);
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      const name =
        k === '$ref' && typeof v === 'string'
          ? /^#\/components\/schemas\/(.+)$/.exec(v)?.[1]
          : undefined;
      if (name && !schemas[name]) {
        schemas[name] = v3Schema(swagger.definitions[name]);
        reach(schemas[name]);
      } else reach(v);
    }
  };
  reach(paths);
  return {
    openapi: '3.0.0',
    info: swagger.info,
    paths,
    components: {
      schemas,
      securitySchemes: {
        BearerToken: swagger.securityDefinitions?.BearerToken,
      },
    },
  };
}

function v3Parameter(p: Schema): Schema {
  const { type, uniqueItems, in: where, ...rest } = p;
  return {
    ...rest,
    in: where,
    schema: { type, ...(uniqueItems ? { uniqueItems } : {}) },
  };
}

/**
 * The OpenAPI v3 documents by group-version path (`api/v1`, `apis/apps/v1`): Kubernetes' own v3 documents where
 * recorded (data/kubernetes/openapi-v3.json.gz, scripts/kubernetes-openapi.mjs), the others built from the v2
 * document ({@link v3FromV2}). Loaded once, on first use.
 */
export function openApiDocuments(): Record<string, Schema> {
  if (!documents) {
    const recorded = readGzipJson(dataFile('openapi-v3.json.gz'));
    const swagger = openApiV2();
    const groupVersions = new Set(
      Object.keys(swagger.paths)
        .map(p => /^\/(api\/v1|apis\/[^/]+\/[^/]+)\//.exec(p)?.[1])
        .filter((gv): gv is string => Boolean(gv)),
    );
    const all: Record<string, Schema> = { ...recorded.documents };
    for (const gv of groupVersions) all[gv] ??= v3FromV2(swagger, gv);
    documents = all;
  }
  return documents;
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

/**
 * The fields of an object its kind's served OpenAPI document does not have, as the API server's strict decoding
 * names them (`unknown field "spec.template.spec.containers[0].imagePullPolicyy"`); undefined when the kind has no
 * served document (custom resources). Maps without `properties` (labels, data) and
 * `x-kubernetes-preserve-unknown-fields` take anything.
 */
export function unknownFields(object: any): string[] | undefined {
  const at = kindSchema(object?.apiVersion, object?.kind);
  if (!at) return undefined;
  const out: string[] = [];
  const walk = (
    value: any,
    cursor: SchemaCursor | undefined,
    where: string,
  ) => {
    if (!cursor || value === null || typeof value !== 'object') return;
    const schema = resolve(cursor.doc, cursor.schema) ?? {};
    if (schema['x-kubernetes-preserve-unknown-fields']) return;
    if (Array.isArray(value)) {
      const items = itemSchema({ schema, doc: cursor.doc });
      value.forEach((item, i) => walk(item, items, `${where}[${i}]`));
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const field = where ? `${where}.${key}` : key;
      if (schema.properties) {
        if (!(key in schema.properties)) {
          out.push(`unknown field "${field}"`);
          continue;
        }
        walk(child, fieldSchema({ schema, doc: cursor.doc }, key), field);
      } else if (schema.additionalProperties) {
        const values = resolve(cursor.doc, schema.additionalProperties);
        walk(child, values && { schema: values, doc: cursor.doc }, field);
      }
    }
  };
  walk(object, at, '');
  return out;
}
