export interface Config {
  paved?: {
    /** Runtime health (`/api/runtime-health`). */
    health?: {
      /** How long each source's answer is served from the cache; default 15 s (errors: a fifth of it); 0 turns caching off. */
      cacheTtlSeconds?: number;
      /**
       * How long a user's token, once allowed to read an entity's runtime health, is not asked about that entity again
       * (seconds; default 10; 0 asks the permission backend on every request). Keep it below
       * paved.permissions.membershipCacheSeconds.
       */
      permissionCacheSeconds?: number;
      /** Time budget per source in ms; default 2000. */
      timeoutMs?: number;
      /** Per-source budgets overriding timeoutMs. */
      timeouts?: { kubernetes?: number; argocd?: number; newrelic?: number };
    };
  };
}
