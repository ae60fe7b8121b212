/**
 * The bad-input corpus: for every Paved action, inputs that must be refused with a clear InputError before anything
 * is written — generated from each action's own JSON schema (one mutation of a valid input per case) and written by
 * hand for what a schema cannot say (hosts that are not allowed, paths that leave the workspace, unknown clusters) —
 * and bad requests for every route.
 */

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  anyOf?: JsonSchema[];
};

export interface ActionCase {
  actionId: string;
  title: string;
  input: unknown;
  /** What the error message must name (the field, or the problem). */
  mentions: RegExp;
  /** The error's name; InputError unless the case says otherwise. */
  errors?: string[];
}

const typeOf = (schema: JsonSchema): string | undefined =>
  Array.isArray(schema.type)
    ? schema.type.find(t => t !== 'null')
    : schema.type ?? schema.anyOf?.map(typeOf).find(Boolean);

/** One wrong-typed value per JSON type. */
const WRONG_TYPE: Record<string, unknown> = {
  string: 42,
  number: 'forty-two',
  integer: 'forty-two',
  boolean: 'yes',
  array: 'dev-eu',
  object: 'not an object',
};

/** Mutations of one field that its schema forbids. */
function fieldMutations(
  schema: JsonSchema,
  required: boolean,
  valid: unknown,
): Array<{ title: string; value: unknown } | { title: string; omit: true }> {
  const type = typeOf(schema);
  const out: Array<
    { title: string; value: unknown } | { title: string; omit: true }
  > = [];
  if (required) out.push({ title: 'missing', omit: true });
  if (type && type in WRONG_TYPE)
    out.push({
      title: `a ${typeof WRONG_TYPE[type]}`,
      value: WRONG_TYPE[type],
    });
  out.push({ title: 'null', value: null });
  if (type === 'string') {
    if ((schema.minLength ?? 0) >= 1) out.push({ title: 'empty', value: '' });
    if (schema.maxLength !== undefined)
      out.push({
        title: `longer than ${schema.maxLength}`,
        value: 'a'.repeat(schema.maxLength + 1),
      });
    if (schema.pattern)
      out.push({ title: 'not matching its pattern', value: 'Not Valid!' });
    if (schema.enum)
      out.push({ title: 'not one of its values', value: 'not-an-option' });
  }
  if (type === 'array') {
    if ((schema.minItems ?? 0) >= 1) out.push({ title: 'empty', value: [] });
    if (schema.maxItems !== undefined) {
      const item = Array.isArray(valid) && valid.length ? valid[0] : 'x';
      out.push({
        title: `more than ${schema.maxItems} items`,
        value: Array.from({ length: schema.maxItems + 1 }, () => item),
      });
    }
    const itemType = schema.items && typeOf(schema.items);
    if (itemType && itemType in WRONG_TYPE)
      out.push({
        title: `an item that is a ${typeof WRONG_TYPE[itemType]}`,
        value: [WRONG_TYPE[itemType]],
      });
  }
  if (
    type === 'object' &&
    typeof schema.additionalProperties === 'object' &&
    typeOf(schema.additionalProperties) === 'string'
  )
    out.push({ title: 'a value that is not a string', value: { key: 42 } });
  return out;
}

/**
 * Cases generated from an action's input schema: every field missing (when required), of the wrong type, null, and
 * beyond each of its limits; an unknown field; an input that is not an object. Each changes one thing in `valid`.
 */
export function generatedCases(
  actionId: string,
  inputSchema: JsonSchema,
  valid: Record<string, unknown>,
): ActionCase[] {
  const properties = inputSchema.properties;
  if (!properties)
    throw new Error(`${actionId} has no input properties in its schema`);
  const required = new Set(inputSchema.required ?? []);
  const cases: ActionCase[] = [];
  for (const [field, schema] of Object.entries(properties)) {
    for (const mutation of fieldMutations(
      schema,
      required.has(field),
      valid[field],
    )) {
      const input = { ...valid };
      if ('omit' in mutation) delete input[field];
      else input[field] = mutation.value;
      cases.push({
        actionId,
        title: `${field}: ${mutation.title}`,
        input,
        // The strict parser names the field as `field: problem` (or `field.0: …`).
        mentions: new RegExp(`(^|\\s)${field}[.:]`),
      });
    }
  }
  cases.push(
    {
      actionId,
      title: 'an unknown field',
      input: { ...valid, bogus: 1 },
      mentions: /'bogus'/,
    },
    {
      actionId,
      title: 'an array instead of an object',
      input: [valid],
      mentions: /input/,
    },
    {
      actionId,
      title: 'a string instead of an object',
      input: 'name=x',
      mentions: /input/,
    },
  );
  return cases;
}

export interface RouteCase {
  title: string;
  method: 'get' | 'post';
  url: string;
  body?: unknown;
  /** Expected status (4xx). */
  status: number;
  /** No route serves the path (express's plain 404, not a JSON error). */
  unrouted?: boolean;
}

/** Bad requests for one `…/entity/:namespace/:kind/:name` route. */
export function entityRouteCases(
  method: 'get' | 'post',
  prefix: string,
  suffix = '',
): RouteCase[] {
  const at = (ref: string) => `${prefix}/entity/${ref}${suffix}`;
  const bad: Array<[string, string]> = [
    ['a name starting with a dot', 'default/component/.hidden'],
    ['a name of dots', 'default/component/%2E%2E'],
    ['a name with a space', 'default/component/a%20b'],
    ['a name with a NUL byte', 'default/component/a%00b'],
    ['a name with a slash', 'default/component/a%2Fb'],
    ['a name of 64 characters', `default/component/${'a'.repeat(64)}`],
    ['a kind starting with a digit', 'default/1component/payments-api'],
    ['a kind with a dot', 'default/compo.nent/payments-api'],
    ['a namespace starting with a dash', '-default/component/payments-api'],
    ['a namespace with a quote', "default'/component/payments-api"],
    ['a namespace of 64 characters', `${'n'.repeat(64)}/component/x`],
    ['a name with a semicolon', 'default/component/a;b'],
  ];
  return [
    ...bad.map(([title, ref]) => ({
      title: `${method.toUpperCase()} ${prefix} ${
        suffix || 'entity'
      }: ${title}`,
      method,
      url: at(ref),
      status: 400,
    })),
    {
      title: `${method.toUpperCase()} ${prefix} ${
        suffix || 'entity'
      }: an entity that does not exist`,
      method,
      url: at('default/component/no-such-service'),
      status: 404,
    },
    {
      title: `${method.toUpperCase()} ${prefix} ${
        suffix || 'entity'
      }: a reference without a name`,
      method,
      url: `${prefix}/entity/default/component${suffix}`,
      status: 404,
      unrouted: true,
    },
  ];
}
