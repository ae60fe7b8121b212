import type { HealthSourceError } from '@paved/plugin-paved-common';

/** A source error as the API shows it: its class and message, never a stack or a credential. */
export function toSourceError(error: unknown): HealthSourceError {
  const e = error as { name?: string; message?: string; code?: number };
  const message = (e.message ?? String(error))
    .split('\n')[0]
    // client-node puts the whole response in the message; the first line is the useful part.
    .replace(/Bearer\s+\S+/gi, 'Bearer ***')
    .slice(0, 300);
  return {
    name: e.name ?? 'Error',
    message: e.code ? `${message} (HTTP ${e.code})` : message,
  };
}
