import {
  execute,
  type GraphQLError,
  type GraphQLSchema,
  parse,
  validate,
} from 'graphql';
import type { SandboxResponse } from './http';
import { json } from './http';

/**
 * A GraphQL request as GitHub and NerdGraph both answer it: parse the JSON body, parse and validate the document
 * against the schema (problems in `errors[]` with HTTP 200), execute over `rootValue`, and format execution errors the
 * way the service does.
 */
export async function executeGraphql(options: {
  schema: () => GraphQLSchema;

  body: Buffer;
  rootValue: unknown;
  /** What the service answers to a body that is not JSON. */
  invalidJson: SandboxResponse;
  /** What the service says when `query` is missing; the parser's message otherwise. */
  missingQuery?: string;
  formatError: (error: GraphQLError) => Record<string, unknown>;
}): Promise<SandboxResponse> {
  let body: {
    query?: string;
    variables?: Record<string, unknown>;
    operationName?: string;
  };
  try {
    body = JSON.parse(options.body.toString('utf8'));
  } catch {
    return options.invalidJson;
  }
  if (typeof body.query !== 'string' && options.missingQuery)
    return json(200, { errors: [{ message: options.missingQuery }] });
  let document;
  try {
    document = parse(body.query ?? '');
  } catch (error) {
    return json(200, { errors: [{ message: (error as Error).message }] });
  }
  const problems = validate(options.schema(), document);
  if (problems.length) {
    return json(200, {
      errors: problems.map(p => ({
        message: p.message,
        locations: p.locations,
      })),
    });
  }
  const result = await execute({
    schema: options.schema(),
    document,
    variableValues: body.variables,
    operationName: body.operationName,
    rootValue: options.rootValue,
  });
  return json(200, {
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors?.length
      ? { errors: result.errors.map(options.formatError) }
      : {}),
  });
}
