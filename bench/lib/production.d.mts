// Types of production.mjs, for the TypeScript tests that use it (packages/backend/e2e-tests/production.test.ts).
export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
}
export function productionBundle(dir: string): {
  dir: string;
  buildMs: number;
  installMs: number;
  reused: boolean;
};
export function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  seconds?: number,
): Promise<T>;
export function startProductionPortal(options: {
  dir: string;
  sandboxUrl: string;
  issuer: string;
  catalogUrl: string;
  postgres: PostgresTarget;
  redisUrl: string;
  databasePrefix: string;
  port?: number;
  config?: Record<string, unknown>;
}): Promise<{
  base: string;
  readyMs: number;
  stop(): Promise<void>;
  logs(): string;
}>;
export function signInWithOidc(
  base: string,
  username: string,
  password: string,
): Promise<{
  backstageIdentity: { token: string; identity: Record<string, unknown> };
  profile: Record<string, unknown>;
}>;
export function databases(
  postgres: PostgresTarget,
  prefix: string,
): Promise<string[]>;
export function dropDatabases(
  postgres: PostgresTarget,
  prefix: string,
): Promise<void>;
export function sandboxUpstreams(sandboxUrl: string): Record<string, unknown>;
export function startSandboxWithCatalog(
  port: number,
  options?: { bin?: string },
): Promise<{
  sandboxUrl: string;
  issuer: string;
  catalogUrl: string;
  stop(): Promise<void>;
}>;
