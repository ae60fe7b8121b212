import { MAX_RETRY_WAIT_MS, retryAfterMs, retryDelay } from './retry';

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('0')).toBe(0);
    const now = Date.parse('2026-11-30T10:00:00Z');
    expect(retryAfterMs('Mon, 30 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Mon, 30 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('retries rate limits as asked or with backoff, 503 only when told when, never beyond the cap', () => {
    expect(retryDelay(429, '2', 0)).toBe(2000);
    expect(retryDelay(429, null, 0)).toBe(500);
    expect(retryDelay(429, null, 1)).toBe(1000);
    expect(retryDelay(503, '1', 0)).toBe(1000);
    expect(retryDelay(503, null, 0)).toBeUndefined();
    expect(retryDelay(500, '1', 0)).toBeUndefined();
    expect(retryDelay(404, null, 0)).toBeUndefined();
    expect(
      retryDelay(429, String(MAX_RETRY_WAIT_MS / 1000 + 1), 0),
    ).toBeUndefined();
  });
});
