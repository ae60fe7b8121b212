import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

type Fields = Record<string, (zod: typeof z) => z.ZodTypeAny>;

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
    const result = schema.safeParse(input);
    if (!result.success) {
      throw new InputError(
        `Invalid input to ${actionId}: ${result.error.issues
          .map(i => `${i.path.join('.') || 'input'}: ${i.message}`)
          .join('; ')}`,
      );
    }
    return result.data;
  };
}
