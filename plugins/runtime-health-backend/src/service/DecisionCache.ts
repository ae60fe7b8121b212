import { createHash } from 'node:crypto';

/**
 * Permission decisions that allowed a caller to read an entity's runtime health, remembered for a few seconds per
 * token and entity so that a Runtime tab's polling and a card on every page do not ask the permission backend (and,
 * through its conditions, the catalog) again for every request. Measured in production mode: the permission round
 * trip was ~85 % of the route's time. Only ALLOW is remembered (a refusal is asked again every time), only for
 * bearer tokens (the key is the token's hash, so another token — another sign-in — asks afresh), per process, bounded
 * in size. A revoked permission or membership can keep working until `ttlMs` after it was last checked; Paved's
 * policy already reuses a user's memberships for `paved.permissions.membershipCacheSeconds` (60 s by default), so
 * a TTL below that adds no new window.
 */
export class DecisionCache {
  private readonly allowed = new Map<string, number>();

  constructor(
    private readonly options: {
      ttlMs: number;
      maxEntries?: number;
      now?: () => number;
    },
  ) {}

  private key(token: string, entityRef: string) {
    return `${createHash('sha256')
      .update(token)
      .digest('base64url')}\u0000${entityRef}`;
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  /** Whether this token was allowed to read this entity's health within the TTL. */
  isAllowed(token: string | undefined, entityRef: string): boolean {
    if (!token || this.options.ttlMs <= 0) return false;
    const key = this.key(token, entityRef);
    const until = this.allowed.get(key);
    if (until === undefined) return false;
    if (until <= this.now()) {
      this.allowed.delete(key);
      return false;
    }
    return true;
  }

  /** Remembers an ALLOW for this token and entity. */
  allow(token: string | undefined, entityRef: string) {
    if (!token || this.options.ttlMs <= 0) return;
    const max = this.options.maxEntries ?? 10_000;
    if (this.allowed.size >= max) {
      // Expired entries first; if none, the oldest (Map keeps insertion order).
      const now = this.now();
      for (const [k, until] of this.allowed)
        if (until <= now) this.allowed.delete(k);
      if (this.allowed.size >= max)
        this.allowed.delete(this.allowed.keys().next().value!);
    }
    this.allowed.set(
      this.key(token, entityRef),
      this.now() + this.options.ttlMs,
    );
  }
}

/** The bearer token of a request, if it carries one. */
export function bearerToken(
  authorization: string | undefined,
): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return m?.[1];
}
