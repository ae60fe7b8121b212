import { spawn } from 'node:child_process';
import type { SandboxRequest, SandboxResponse } from '../http';
import type { RepoStore } from './repos';

const SMART_PATH =
  /^\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

/** Owner, repository and service of a git smart-HTTP request path, as GitHub accepts them (with or without `.git`). */
export function smartHttpPath(
  pathname: string,
): { owner: string; repo: string; rest: string } | undefined {
  const m = SMART_PATH.exec(pathname);
  return m ? { owner: m[1], repo: m[2], rest: m[3] } : undefined;
}

/** Splits CGI output into status, headers and body. */
function parseCgi(output: Buffer): SandboxResponse {
  let end = output.indexOf('\r\n\r\n');
  let sep = 4;
  if (end < 0) {
    end = output.indexOf('\n\n');
    sep = 2;
  }
  const head = output.subarray(0, end).toString('latin1');
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (key === 'status') status = Number(value.split(' ')[0]);
    else headers[key] = value;
  }
  return { status, headers, body: output.subarray(end + sep) };
}

/**
 * git's smart HTTP protocol through the real `git http-backend` (CGI), so `git clone`/`push` and every git library
 * work against the sandbox's repositories. Receive-pack is on for authenticated users, as on GitHub.
 */
export function serveSmartHttp(
  req: SandboxRequest,
  store: RepoStore,
  target: { owner: string; repo: string; rest: string },
  user: string,
): Promise<SandboxResponse> {
  if (!store.exists(target.owner, target.repo)) {
    return Promise.resolve({
      status: 404,
      text: 'Repository not found.',
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: store.root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: store.root,
        PATH_INFO: `/${target.owner}/${target.repo}.git/${target.rest}`,
        REQUEST_METHOD: req.method,
        QUERY_STRING: req.url.search.replace(/^\?/, ''),
        CONTENT_TYPE: String(req.headers['content-type'] ?? ''),
        CONTENT_LENGTH: String(req.body.length),
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_USER: user,
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', chunk => out.push(chunk));
    child.stderr.on('data', chunk => err.push(chunk));
    child.on('error', reject);
    child.on('close', code => {
      if (code !== 0 && out.length === 0) {
        resolve({
          status: 500,
          text: `git http-backend failed: ${Buffer.concat(err).toString()}`,
        });
        return;
      }
      resolve(parseCgi(Buffer.concat(out)));
    });
    // git may exit before reading all of a request (a client that went away): its exit status says what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(req.body);
  });
}
