/** The longest a Retry-After is waited for; a server asking for more gets a clear error instead. */
export const MAX_RETRY_WAIT_MS = 10_000;

/** How many times a refused request is sent again. */
export const MAX_RETRIES = 2;

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), or undefined when absent or unusable. */
export function retryAfterMs(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before trying a refused request again, or undefined to give up: rate limits (429) always, with
 * the server's Retry-After or an exponential 0.5 s, 1 s, …; 503 only when the server says when to come back. Never
 * longer than {@link MAX_RETRY_WAIT_MS}.
 */
export function retryDelay(
  status: number | undefined,
  retryAfter: string | null | undefined,
  attempt: number,
): number | undefined {
  const asked = retryAfterMs(retryAfter);
  let wait: number | undefined;
  if (status === 429) wait = asked ?? 500 * 2 ** attempt;
  else if (status === 503) wait = asked;
  return wait !== undefined && wait <= MAX_RETRY_WAIT_MS ? wait : undefined;
}
