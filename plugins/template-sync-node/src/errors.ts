/**
 * Why an engine operation refused to run. Every refusal happens before anything is written.
 * - `INVALID_INPUT`: a bad answer, option or template (the caller's or the template author's mistake)
 * - `NOT_FOUND`: the template source, version or answers file does not exist
 * - `DIRTY`: the instance has uncommitted changes
 * - `DOWNGRADE`: the requested version is older than the recorded one
 * - `UNSAFE`: the template needs trust (migrations) or a path would leave the instance
 * - `UNAVAILABLE`: a Git host failed (5xx, 429), could not be reached or did not answer in time, after retries
 * @public
 */
export type TemplateErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'DIRTY'
  | 'DOWNGRADE'
  | 'UNSAFE'
  | 'UNAVAILABLE';

/**
 * The one error type the engine throws for refusals; adapters map `code` to their own errors
 * (InputError, NotFoundError, ConflictError in Backstage; exit codes in the CLI).
 * @public
 */
export class TemplateError extends Error {
  readonly name = 'TemplateError';
  constructor(readonly code: TemplateErrorCode, message: string) {
    super(message);
  }
}

/**
 * A value as error messages quote it: JSON, at most `max` characters (a 200 kB answer is never echoed back whole).
 * @public
 */
export function shown(value: unknown, max = 60): string {
  let text: string;
  try {
    text =
      typeof value === 'string'
        ? JSON.stringify(value)
        : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max
    ? `${text.slice(0, max)}… (${text.length} characters)`
    : text;
}
