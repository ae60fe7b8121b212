#!/usr/bin/env node
// The portal in production mode (bench/lib/production.mjs: the bundle as the image lays it out, NODE_ENV=production,
// PostgreSQL and Redis, OIDC sign-in) against the sandbox: the same entity's runtime health through Paved's route and
// its workloads through @backstage/plugin-kubernetes-backend, at 200 requests per second, each request carrying a
// user's token (verified) and going through the permission policy. Same method as portal.mjs. Printed, never asserted.
//
//   node bench/runtime-health/production.mjs      (PostgreSQL at 127.0.0.1:5432 as postgres,
//                                                 Redis at PAVED_TEST_REDIS_URL or redis://127.0.0.1:6379)
import os from 'node:os';
import path from 'node:path';
import {
  dropDatabases,
  productionBundle,
  signInWithOidc,
  startProductionPortal,
  startSandboxWithCatalog,
  until,
} from '../lib/production.mjs';
import { measureRoutes, printRoutes } from '../lib/routes.mjs';

const PORT = Number(process.env.PAVED_BENCH_SANDBOX_PORT ?? 7540);
const postgres = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  password: '',
};
const redisUrl = process.env.PAVED_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `paved_bench_${process.pid}_`;

const bundle = productionBundle(
  path.join(os.tmpdir(), 'paved-production-bundle'),
);
let sandbox;
let portal;
try {
  sandbox = await startSandboxWithCatalog(PORT);
  portal = await startProductionPortal({
    dir: bundle.dir,
    ...sandbox,
    postgres,
    redisUrl,
    databasePrefix: prefix,
    // PAVED_BENCH_PERMISSION_CACHE_SECONDS=0 measures every request asking the permission backend.
    ...(process.env.PAVED_BENCH_PERMISSION_CACHE_SECONDS
      ? {
          config: {
            paved: {
              health: {
                permissionCacheSeconds: Number(
                  process.env.PAVED_BENCH_PERMISSION_CACHE_SECONDS,
                ),
              },
            },
          },
        }
      : {}),
  });
  const base = portal.base;
  // ada (payments-team) reads her team's service: the policy's conditional decision, then the route.
  const { backstageIdentity } = await until('ada in the catalog', () =>
    signInWithOidc(base, 'ada', 'paved-sandbox-ada'),
  );
  const headers = {
    authorization: `Bearer ${backstageIdentity.token}`,
    'content-type': 'application/json',
  };
  const entity = await until('payments-api in the catalog', async () => {
    const res = await fetch(
      `${base}/api/catalog/entities/by-name/component/default/payments-api`,
      { headers },
    );
    return res.ok ? res.json() : undefined;
  });
  await until(
    'payments-api health',
    async () =>
      (
        await fetch(
          `${base}/api/runtime-health/entity/default/component/payments-api`,
          { headers },
        )
      ).ok,
  );
  const targets = {
    'Paved runtime-health (verdict from 3 sources)': {
      url: `${base}/api/runtime-health/entity/default/component/payments-api`,
      method: 'GET',
    },
    'catalog entity read alone (the floor both routes pay)': {
      url: `${base}/api/catalog/entities/by-name/component/default/payments-api`,
      method: 'GET',
    },
    '@backstage/plugin-kubernetes-backend (workloads only)': {
      url: `${base}/api/kubernetes/services/payments-api`,
      method: 'POST',
      body: JSON.stringify({ entity }),
    },
  };
  const rows = await measureRoutes(targets, headers);
  console.log(
    `production bundle: build ${(bundle.buildMs / 1000).toFixed(
      1,
    )} s, install ${(bundle.installMs / 1000).toFixed(1)} s${
      bundle.reused ? ' (reused)' : ''
    }, ready in ${(portal.readyMs / 1000).toFixed(1)} s\n`,
  );
  printRoutes(
    'route (production mode, same entity, 200 rps, user token + policy)',
    rows,
    `goal ≥ 10×; runtime-health p99 ${rows[0][2]} ms, goal < 50 ms`,
  );
} finally {
  await portal?.stop();
  await sandbox?.stop();
  try {
    await dropDatabases(postgres, prefix);
  } catch (error) {
    console.error(`could not drop the run's databases: ${error.message}`);
  }
}
