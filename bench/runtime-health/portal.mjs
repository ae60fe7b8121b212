#!/usr/bin/env node
// The portal's own backend (packages/backend) against the sandbox: the same entity's runtime health through Paved's
// `runtime-health` route and its workloads through @backstage/plugin-kubernetes-backend, at the same load, with the
// permission and catalog steps included. Printed, never asserted.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureRoutes, printRoutes } from '../lib/routes.mjs';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const PORT = Number(process.env.PAVED_BENCH_SANDBOX_PORT ?? 7440);
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'AKIAPAVEDSANDBOX0001',
  AWS_SECRET_ACCESS_KEY: 'paved-sandbox-secret',
  AWS_REGION: 'eu-west-1',
};
const children = [];
const stop = () =>
  children.forEach(c => c.exitCode === null && c.kill('SIGTERM'));
process.on('exit', stop);

const state = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-'));
children.push(
  spawn(
    path.join(root, 'packages/cli/bin/paved'),
    ['sandbox', 'start', '--port', String(PORT), '--state', state],
    {
      env,
      stdio: 'ignore',
    },
  ),
);
children.push(
  spawn(
    'yarn',
    [
      'start',
      '--config',
      '../../app-config.yaml',
      '--config',
      '../../app-config.sandbox.yaml',
    ],
    {
      cwd: path.join(root, 'packages/backend'),
      env: { ...env, LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    },
  ),
);

const base = 'http://localhost:7007';
const until = async (what, fn, seconds = 180) => {
  for (let i = 0; i < seconds; i++) {
    const value = await fn().catch(() => undefined);
    if (value) return value;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`timed out waiting for ${what}`);
};

try {
  await until(
    'the backend',
    async () => (await fetch(`${base}/.backstage/health/v1/readiness`)).ok,
  );
  const token = (await (await fetch(`${base}/api/auth/guest/refresh`)).json())
    .backstageIdentity.token;
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  const entity = await until('orders-api in the catalog', async () => {
    const res = await fetch(
      `${base}/api/catalog/entities/by-name/component/default/orders-api`,
      { headers },
    );
    return res.ok ? res.json() : undefined;
  });
  const targets = {
    'Paved runtime-health (verdict from 3 sources)': {
      url: `${base}/api/runtime-health/entity/default/component/orders-api`,
      method: 'GET',
    },
    'catalog entity read alone (the floor both routes pay)': {
      url: `${base}/api/catalog/entities/by-name/component/default/orders-api`,
      method: 'GET',
    },
    '@backstage/plugin-kubernetes-backend (workloads only)': {
      url: `${base}/api/kubernetes/services/orders-api`,
      method: 'POST',
      body: JSON.stringify({ entity }),
    },
  };
  printRoutes(
    'route (same entity, same backend, 200 rps)',
    await measureRoutes(targets, headers),
    'goal ≥ 5×',
  );
} finally {
  stop();
  fs.rmSync(state, { recursive: true, force: true });
}
