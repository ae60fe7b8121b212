import { ServiceUnavailableError } from '@backstage/errors';

/**
 * `fetch` with a time budget. A request that outlives it, or never reaches the service, is a ServiceUnavailableError
 * naming the service (and the call, when given) — never the URL's credentials or headers.
 */
export async function fetchWithTimeout(
  url: string,
  init: RequestInit,
  options: {
    timeoutMs: number;
    /** Who is being called, e.g. "Argo CD instance main". */
    service: string;
    /** What is being called, e.g. "GET /api/v1/applications". */
    call?: string;
    fetchImpl?: typeof fetch;
  },
): Promise<Response> {
  try {
    return await (options.fetchImpl ?? fetch)(url, {
      ...init,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const err = error as Error;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      throw new ServiceUnavailableError(
        `${options.service} did not answer${
          options.call ? ` ${options.call}` : ''
        } within ${options.timeoutMs} ms`,
      );
    }
    throw new ServiceUnavailableError(
      `${options.service} is unreachable: ${err.message}`,
    );
  }
}
