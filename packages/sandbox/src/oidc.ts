import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

/**
 * A user of the sandbox's identity provider (development values, like every seeded secret).
 *
 * @public
 */
export interface OidcUser {
  username: string;
  password: string;
  email: string;
  name: string;
  groups?: string[];
}

/**
 * A relying party the identity provider knows (the portal).
 *
 * @public
 */
export interface OidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface OidcProvider {
  /** The issuer; its metadata is at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  close(): Promise<void>;
}

/**
 * Starts the sandbox's OpenID Provider: the certified `oidc-provider` package with the given users and clients
 * (oidc/provider.mjs, in a child process because the package is ESM-only). Resolves once it listens; fails after 15 s.
 */
export function startOidcProvider(options: {
  host: string;
  port?: number;
  users: OidcUser[];
  clients: OidcClient[];
}): Promise<OidcProvider> {
  const script = path.join(
    path.dirname(require.resolve('@paved/sandbox/package.json')),
    'oidc/provider.mjs',
  );
  const child = spawn(process.execPath, [script], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      PAVED_OIDC_CONFIG: JSON.stringify({
        host: options.host,
        port: options.port ?? 0,
        users: options.users,
        clients: options.clients,
      }),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', chunk => {
    // The in-memory adapter's start-up warning is expected here: the sandbox keeps nothing across restarts.
    if (!String(chunk).includes('in-memory adapter')) stderr.push(chunk);
  });
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const close = async () => {
    child.stdin.end();
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `the sandbox's OpenID Provider did not start in 15 s: ${stderr.join(
            '',
          )}`,
        ),
      );
    }, 15_000);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(
        new Error(
          `the sandbox's OpenID Provider exited (${code}): ${stderr.join('')}`,
        ),
      );
    });
    readline.createInterface({ input: child.stdout }).once('line', line => {
      clearTimeout(timer);
      try {
        resolve({ issuer: JSON.parse(line).issuer, close });
      } catch {
        reject(new Error(`the sandbox's OpenID Provider said: ${line}`));
      }
    });
  });
}
