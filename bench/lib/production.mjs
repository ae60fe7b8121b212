// The portal in production mode, for benchmarks and tests: the bundle laid out as the image lays it out
// (scripts/production-bundle.mjs), started with NODE_ENV=production on app-config.yaml + app-config.production.yaml and
// an override that points upstreams at a running sandbox, on PostgreSQL (its own database prefix) and Redis; users
// sign in through the sandbox's identity provider (OIDC), as production signs in.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);

/** Builds (or reuses) the production layout in `dir`; answers the script's timings. */
export function productionBundle(dir) {
  const out = execFileSync(
    process.execPath,
    [path.join(root, 'scripts/production-bundle.mjs'), dir],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 15 * 60_000,
    },
  );
  return JSON.parse(out.trim().split('\n').pop());
}

/** Waits for `fn` to answer something truthy, once a second. */
export async function until(what, fn, seconds = 120) {
  for (let i = 0; i < seconds; i++) {
    const value = await fn().catch(error => {
      if (error?.fatal) throw error;
      return undefined;
    });
    if (value) return value;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The configuration that points a Paved backend's upstreams at the sandbox at `sandboxUrl`: the GitHub integration,
 * EKS with the seeded clusters, the GitOps repository, New Relic, both Argo CD instances, the EKS cluster provider and
 * the Kubernetes plugin's catalog cluster locator (the sandbox's API servers are on loopback).
 */
export function sandboxUpstreams(sandboxUrl) {
  const host = new URL(sandboxUrl).host;
  return {
    integrations: {
      github: [
        {
          host,
          apiBaseUrl: `${sandboxUrl}/api/v3`,
          token: 'paved-sandbox-github-token',
        },
      ],
    },
    paved: {
      eks: {
        endpoint: `${sandboxUrl}/aws/eks`,
        clusters: [
          {
            name: 'dev-eu',
            region: 'eu-west-1',
            accountId: '111111111111',
            environment: 'dev',
          },
          {
            name: 'prod-eu',
            region: 'eu-west-1',
            accountId: '111111111111',
            environment: 'prod',
          },
        ],
      },
      gitops: { repoUrl: `${sandboxUrl}/paved-demo/gitops` },
      newrelic: {
        endpoint: `${sandboxUrl}/newrelic/graphql`,
        accountId: 1111111,
        apiKey: 'NRAK-PAVEDSANDBOX0000000000000',
      },
      argocd: {
        instances: ['main', 'edge'].map(name => ({
          name,
          url: `${sandboxUrl}/argocd/${name}`,
          token: `paved-sandbox-argocd-${name}-token`,
        })),
      },
    },
    catalog: {
      providers: {
        pavedEks: {
          sandbox: {
            accounts: [{ accountId: '111111111111', regions: ['eu-west-1'] }],
            defaultOwner: 'group:platform-team',
          },
        },
      },
    },
    kubernetes: {
      clusterLocatorMethods: [
        { type: 'catalog', dangerouslyAllowClusterUrls: ['127.0.0.1'] },
      ],
    },
  };
}

/**
 * Starts the production backend from `dir` against the sandbox at `sandboxUrl` (whose identity provider is at
 * `issuer`), with the organisation's catalog read from the sandbox's GitHub (`catalogUrl`). Resolves when ready.
 */
export async function startProductionPortal({
  dir,
  sandboxUrl,
  issuer,
  catalogUrl,
  postgres,
  redisUrl,
  databasePrefix,
  port = 7007,
  config = {},
}) {
  const override = {
    backend: {
      listen: `:${port}`,
      database: { prefix: databasePrefix },
    },
    ...sandboxUpstreams(sandboxUrl),
  };
  const overrideFile = path.join(dir, `override-${databasePrefix}.json`);
  // `config` adds top-level keys (a benchmark's variant), loaded as one more file after the override.
  fs.writeFileSync(overrideFile, JSON.stringify(override, null, 2));
  const extraFile = path.join(dir, `extra-${databasePrefix}.json`);
  fs.writeFileSync(extraFile, JSON.stringify(config));
  const base = `http://localhost:${port}`;
  const child = spawn(
    process.execPath,
    [
      'packages/backend',
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
      '--config',
      overrideFile,
      '--config',
      extraFile,
    ],
    {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        APP_BASE_URL: base,
        POSTGRES_HOST: postgres.host,
        POSTGRES_PORT: String(postgres.port),
        POSTGRES_USER: postgres.user,
        POSTGRES_PASSWORD: postgres.password ?? '',
        REDIS_URL: redisUrl,
        GITHUB_TOKEN: 'paved-sandbox-github-token',
        PAVED_GITHUB_ORG: 'paved-demo',
        CATALOG_ROOT_LOCATION: catalogUrl,
        AUTH_OIDC_METADATA_URL: `${issuer}/.well-known/openid-configuration`,
        AUTH_OIDC_CLIENT_ID: 'paved-portal',
        AUTH_OIDC_CLIENT_SECRET: 'paved-sandbox-oidc-secret',
        AUTH_SESSION_SECRET: 'paved-production-mode-session-secret',
        AUTH_GITHUB_CLIENT_ID: 'unused',
        AUTH_GITHUB_CLIENT_SECRET: 'unused',
        AWS_ACCESS_KEY_ID: 'AKIAPAVEDSANDBOX0001',
        AWS_SECRET_ACCESS_KEY: 'paved-sandbox-secret',
        AWS_REGION: 'eu-west-1',
      },
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', chunk => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exited = new Promise(resolve => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  const started = Date.now();
  try {
    await until(
      'the production backend',
      async () => {
        if (child.exitCode !== null)
          throw Object.assign(new Error('exited'), { fatal: true });
        return (await fetch(`${base}/.backstage/health/v1/readiness`)).ok;
      },
      120,
    );
  } catch (error) {
    await stop();
    throw new Error(
      `the production backend did not start: ${error.message}\n${stderr}`,
    );
  }
  return { base, readyMs: Date.now() - started, stop, logs: () => stderr };
}

/**
 * Starts a sandbox (`paved sandbox start`, with its identity provider on port + 2) whose GitHub holds the organisation's
 * catalog (examples/catalog.yaml as paved-demo/catalog), which production reads as a url location. `bin` is the
 * `paved` command to run (default: this repository's).
 */
export async function startSandboxWithCatalog(
  port,
  { bin = path.join(root, 'packages/cli/bin/paved') } = {},
) {
  const sandboxUrl = `http://127.0.0.1:${port}`;
  const state = fs.mkdtempSync(
    path.join(os.tmpdir(), 'paved-production-sandbox-'),
  );
  const child = spawn(
    bin,
    ['sandbox', 'start', '--port', String(port), '--state', state],
    { stdio: 'ignore' },
  );
  const exited = new Promise(resolve => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(state, { recursive: true, force: true });
  };
  try {
    const auth = { authorization: 'token paved-sandbox-github-token' };
    await until(
      'the sandbox',
      async () =>
        (
          await fetch(`${sandboxUrl}/api/v3/user`, { headers: auth })
        ).ok,
      60,
    );
    await fetch(`${sandboxUrl}/api/v3/orgs/paved-demo/repos`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'catalog' }),
    });
    await fetch(`${sandboxUrl}/__sandbox/github/commits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        repo: 'catalog',
        files: {
          // The entities name the development sandbox (127.0.0.1:7440); here they name this one.
          'catalog.yaml': fs
            .readFileSync(path.join(root, 'examples/catalog.yaml'), 'utf8')
            .replaceAll('127.0.0.1:7440', new URL(sandboxUrl).host),
        },
      }),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    sandboxUrl,
    issuer: `http://127.0.0.1:${port + 2}`,
    catalogUrl: `${sandboxUrl}/paved-demo/catalog/blob/main/catalog.yaml`,
    stop,
  };
}

/** A browser's cookies for each host, never following redirects (each hop is the flow's). */
function browser() {
  const jars = new Map();
  return async (url, init = {}) => {
    const { host } = new URL(url);
    const jar = jars.get(host) ?? new Map();
    jars.set(host, jar);
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        'x-requested-with': 'XMLHttpRequest',
        ...init.headers,
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  };
}

/**
 * Signs a user in through the portal's OIDC sign-in and the identity provider's sign-in page, as the popup does; answers
 * the portal's refresh response ({ backstageIdentity, profile }).
 */
export async function signInWithOidc(base, username, password) {
  const go = browser();
  const start = await go(
    `${base}/api/auth/oidc/start?scope=${encodeURIComponent(
      'openid profile email',
    )}&env=production&origin=${encodeURIComponent(base)}&flow=popup`,
  );
  if (start.status !== 302) throw new Error(`start answered ${start.status}`);
  const authorize = new URL(start.headers.get('location'));
  const page = new URL(
    (await go(authorize.href)).headers.get('location'),
    authorize,
  ).href;
  await go(page);
  const login = await go(`${page}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (login.status !== 303)
    throw new Error(`the identity provider refused ${username}`);
  const resumed = await go(new URL(login.headers.get('location'), page).href);
  const callback = new URL(resumed.headers.get('location'));
  await go(`${callback.origin}${callback.pathname}${callback.search}`);
  const refresh = await go(`${base}/api/auth/oidc/refresh?env=production`);
  if (!refresh.ok)
    throw new Error(
      `refresh answered ${refresh.status}: ${await refresh.text()}`,
    );
  return refresh.json();
}

const require = createRequire(import.meta.url);

async function withPostgres(postgres, fn) {
  const { Client } = require('pg');
  const client = new Client({
    ...postgres,
    database: 'postgres',
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The databases a run created (`<prefix>*`: Backstage makes one per plugin). */
export function databases(postgres, prefix) {
  return withPostgres(postgres, async client =>
    (
      await client.query(
        'select datname from pg_database where starts_with(datname, $1) order by 1',
        [prefix],
      )
    ).rows.map(r => r.datname),
  );
}

/** Drops the databases a run created. */
export async function dropDatabases(postgres, prefix) {
  const names = await databases(postgres, prefix);
  await withPostgres(postgres, async client => {
    for (const name of names)
      await client.query(
        `drop database if exists "${name.replace(/"/g, '""')}" with (force)`,
      );
  });
}
