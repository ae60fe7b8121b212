import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A request as the stand-ins see it.
 *
 * @public
 */
export interface SandboxRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/**
 * What a stand-in answers: status, headers and a JSON (or text) body.
 *
 * @public
 */
export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  /** Raw bytes (git's smart HTTP); the stand-in sets content-type itself. */
  body?: Buffer;
}

/**
 * A stand-in: answers the requests under its prefix, or `undefined` to let the next one try.
 *
 * @public
 */
export type Handler = (
  req: SandboxRequest,
) => Promise<SandboxResponse | undefined> | SandboxResponse | undefined;

export async function readRequest(
  req: IncomingMessage,
  base: string,
): Promise<SandboxRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return {
    method: req.method ?? 'GET',
    url: new URL(req.url ?? '/', base),
    headers: req.headers,
    body: Buffer.concat(chunks),
  };
}

export function writeResponse(
  res: ServerResponse,
  response: SandboxResponse,
): void {
  if (response.body) {
    res.writeHead(response.status, response.headers);
    res.end(response.body);
    return;
  }
  const body =
    response.json !== undefined
      ? JSON.stringify(response.json)
      : response.text ?? '';
  res.writeHead(response.status, {
    'content-type':
      response.json !== undefined
        ? 'application/json'
        : 'text/plain; charset=utf-8',
    ...response.headers,
  });
  res.end(body);
}

export const json = (
  status: number,
  value: unknown,
  headers?: Record<string, string>,
): SandboxResponse => ({
  status,
  json: value,
  headers,
});
