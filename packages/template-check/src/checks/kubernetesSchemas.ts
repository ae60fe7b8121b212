import Ajv from 'ajv';

/** data/kubernetes/fields.json (scripts/kubernetes-fields.mjs): every built-in kind's fields, nested. */
interface Fields {
  kinds: Record<string, string>;
  types: Record<string, Record<string, string>>;
}

/** A CRD version's schema as the CRD publishes it (data/crds, one file per CRD). */
interface RecordedCrd {
  source: string;
  group: string;
  kind: string;
  versions: Array<{ name: string; served: boolean }>;
  schema: any;
}

/** The CRDs golden-path charts create, recorded from their projects' published CRD manifests. */
const CRDS: Record<string, string> = {
  'external-secrets.io/ExternalSecret':
    'externalsecrets.external-secrets.io.json',
};

let fields: Fields | undefined;
const crds = new Map<string, { crd: RecordedCrd; validate: any }>();

function crdFor(group: string, kind: string) {
  const file = CRDS[`${group}/${kind}`];
  if (!file) return undefined;
  if (!crds.has(file)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crd: RecordedCrd = require(`../../data/crds/${file}`);
    // CRD schemas are OpenAPI v3 with Kubernetes' x- keywords and formats (int32, date-time, …) Ajv does not need.
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateFormats: false,
    });
    crds.set(file, { crd, validate: ajv.compile(crd.schema) });
  }
  return crds.get(file)!;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Unknown fields of a built-in object, as `kubectl apply --validate=strict` names them. */
function unknownBuiltInFields(object: any): string[] | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  fields ??= require('../../data/kubernetes/fields.json') as Fields;
  const root = fields.kinds[`${object.apiVersion}/${object.kind}`];
  if (!root) return undefined;
  const found: string[] = [];
  const walk = (value: unknown, type: string, path: string) => {
    const known = fields!.types[type];
    if (!known || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, type, `${path}[${i}]`));
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (!(key in known)) found.push(`unknown field "${join(path, key)}"`);
      else if (known[key] && known[key] !== '*')
        walk(child, known[key], join(path, key));
    }
  };
  walk(object, root, '');
  return found;
}

/** Unknown fields of an object against a structural CRD schema (properties listed, nothing preserved). */
function unknownSchemaFields(
  value: unknown,
  schema: any,
  path: string,
): string[] {
  if (!schema || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value))
    return value.flatMap((v, i) =>
      unknownSchemaFields(v, schema.items, `${path}[${i}]`),
    );
  if (
    !schema.properties ||
    schema.additionalProperties ||
    schema['x-kubernetes-preserve-unknown-fields']
  )
    return [];
  return Object.entries(value).flatMap(([key, child]) => {
    if (!(key in schema.properties))
      return [`unknown field "${join(path, key)}"`];
    // The object's metadata is ObjectMeta, which the CRD leaves to the API server.
    if (key === 'metadata' && !path) return [];
    return unknownSchemaFields(child, schema.properties[key], join(path, key));
  });
}

/**
 * What the API server would refuse beyond kubernetes-models' type checks: fields the kind does not have (built-in
 * kinds, from the OpenAPI-generated declarations), and for the CRDs golden paths create (External Secrets'
 * ExternalSecret), the CRD's own schema — types, enums, required fields — and its unknown fields.
 *
 * @public
 */
export function schemaProblems(object: any): string[] {
  const builtIn = unknownBuiltInFields(object);
  if (builtIn) return builtIn;
  const [group, version] = String(object.apiVersion).split('/');
  const recorded = crdFor(group, object.kind);
  if (!recorded || !version) return [];
  // The schema recorded is the served version's; apiVersionProblem reports the versions the CRD does not serve.
  if (recorded.crd.versions.find(v => v.served)?.name !== version) return [];
  const problems: string[] = [];
  if (!recorded.validate(object)) {
    for (const e of recorded.validate.errors ?? []) {
      const at = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
      problems.push(
        `${at || object.kind} ${e.message}${
          e.params?.allowedValues
            ? ` (${e.params.allowedValues.join(', ')})`
            : ''
        } (CRD schema, ${recorded.crd.source})`,
      );
    }
  }
  problems.push(...unknownSchemaFields(object, recorded.crd.schema, ''));
  return problems;
}
