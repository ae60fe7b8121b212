/**
 * Presentation helpers both Paved frontends use (pure, no DOM).
 */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "5 minutes ago", "yesterday"; seconds below 10 read "now". @public */
export function relativeTime(iso: string, now: Date = new Date()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'at an unknown time';
  const delta = at - now.getTime();
  if (Math.abs(delta) < 10_000) return 'now';
  const [unit, ms] = UNITS.find(([, size]) => Math.abs(delta) >= size)!;
  return relative.format(Math.round(delta / ms), unit);
}

/** What went wrong, in the backend's words when it gave any (a `ResponseError` carries them in its body). @public */
export function errorMessage(error: Error): string {
  const body = (error as { body?: { error?: { message?: unknown } } }).body;
  const message = body?.error?.message;
  return typeof message === 'string' && message ? message : error.message;
}
