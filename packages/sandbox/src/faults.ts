import type { Handler, SandboxRequest, SandboxResponse } from './http';
import { json } from './http';

/**
 * A fault to inject on requests whose path matches `path` (a regular expression) and, when given, `method`:
 * delay them, fail them with a status (429 with `retryAfter`), or never answer (`timeout`). `times` limits how
 * many requests it applies to.
 *
 * @public
 */
export interface Fault {
  path: string;
  method?: string;
  latencyMs?: number;
  status?: number;
  retryAfter?: number;
  timeout?: boolean;
  times?: number;
}

/**
 * Faults set by tests through `POST /__sandbox/faults` (JSON Fault) and cleared by `DELETE /__sandbox/faults`.
 *
 * @public
 */
export class Faults {
  private faults: Array<Fault & { pattern: RegExp; used: number }> = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault, pattern: new RegExp(fault.path), used: 0 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The control endpoint, served before every stand-in. */
  readonly control: Handler = req => {
    if (req.url.pathname !== '/__sandbox/faults') return undefined;
    if (req.method === 'DELETE') {
      this.clear();
      return { status: 204 };
    }
    if (req.method === 'POST') {
      let fault: Fault;
      try {
        fault = JSON.parse(req.body.toString('utf8'));
        new RegExp(fault.path); // eslint-disable-line no-new
      } catch {
        return json(400, {
          message:
            'Body must be a JSON fault: { path, method?, latencyMs?, status?, retryAfter?, timeout?, times? }',
        });
      }
      this.add(fault);
      return { status: 201 };
    }
    return json(405, { message: 'POST or DELETE' });
  };

  /** Applies the first matching fault: waits, and returns a response to send instead (or `'hang'`). */
  async apply(
    req: SandboxRequest,
  ): Promise<SandboxResponse | 'hang' | undefined> {
    const fault = this.faults.find(
      f =>
        f.pattern.test(req.url.pathname) &&
        (!f.method || f.method === req.method) &&
        (f.times === undefined || f.used < f.times),
    );
    if (!fault) return undefined;
    fault.used++;
    if (fault.latencyMs)
      await new Promise(resolve => setTimeout(resolve, fault.latencyMs));
    if (fault.timeout) return 'hang';
    if (fault.status) {
      return json(
        fault.status,
        { message: `Injected fault: ${fault.status}` },
        fault.retryAfter !== undefined
          ? { 'retry-after': String(fault.retryAfter) }
          : undefined,
      );
    }
    return undefined;
  }
}
