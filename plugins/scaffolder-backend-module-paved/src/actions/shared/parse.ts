import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

type Fields = Record<string, (zod: typeof z) => z.ZodTypeAny>;

/** No action takes more than this much input (JSON), nor a longer text in any field. */
export const MAX_INPUT_BYTES = 64 * 1024;
export const MAX_STRING_LENGTH = 8 * 1024;

/** Text as messages quote it: at most `max` characters. */
function short(text: string, max = 80): string {
  return text.length > max
    ? `${text.slice(0, max)}… (${text.length} characters)`
    : text;
}

/** Refuses input too large to be anyone's honest answer before anything parses it, naming where it is too long. */
function checkSize(actionId: string, input: unknown): void {
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(input) ?? '');
  } catch {
    throw new InputError(
      `Invalid input to ${actionId}: input is not JSON data`,
    );
  }
  if (size > MAX_INPUT_BYTES) {
    throw new InputError(
      `Invalid input to ${actionId}: input is ${size} bytes, at most ${MAX_INPUT_BYTES}`,
    );
  }
  const walk = (value: unknown, where: string): void => {
    if (typeof value === 'string' && value.length > MAX_STRING_LENGTH) {
      throw new InputError(
        `Invalid input to ${actionId}: ${short(where) || 'input'} is ${
          value.length
        } characters long, at most ${MAX_STRING_LENGTH} (${JSON.stringify(
          value.slice(0, 40),
        )}…)`,
      );
    }
    if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        walk(item, where ? `${where}.${key}` : key);
      }
    }
  };
  walk(input, '');
}

/**
 * A strict parser for an action's input fields, written once as `(zod) => schema` functions so the scaffolder's JSON
 * schema and the handler's validation can never disagree. Every problem is reported in one InputError.
 */
export function strictParser<F extends Fields>(actionId: string, fields: F) {
  const schema = z
    .object(
      Object.fromEntries(
        Object.entries(fields).map(([key, field]) => [key, field(z)]),
      ) as { [K in keyof F]: ReturnType<F[K]> },
    )
    .strict();
  return (input: unknown): z.infer<typeof schema> => {
    checkSize(actionId, input);
    const result = schema.safeParse(input);
    if (!result.success) {
      throw new InputError(
        `Invalid input to ${actionId}: ${result.error.issues
          .slice(0, 10)
          .map(
            i =>
              `${short(i.path.join('.')) || 'input'}: ${short(i.message, 200)}`,
          )
          .join('; ')}`,
      );
    }
    return result.data;
  };
}
