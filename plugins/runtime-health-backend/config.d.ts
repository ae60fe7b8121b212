export interface Config {
  paved?: {
    /** Runtime health (`/api/runtime-health`). */
    health?: {
      /** How long each source's answer is served from the cache; default 15 s (errors: a fifth of it); 0 turns caching off. */
      cacheTtlSeconds?: number;
      /** Time budget per source in ms; default 2000. */
      timeoutMs?: number;
      /** Per-source budgets overriding timeoutMs. */
      timeouts?: { kubernetes?: number; argocd?: number; newrelic?: number };
    };
  };
}
