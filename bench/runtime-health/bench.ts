/* eslint-disable no-console */
// Runtime health over HTTP on loopback against the sandbox: upstream reads for 100 concurrent identical cold requests,
// cold latency against the slowest source alone, and warm latency at 200 requests per second (autocannon).
// Figures are printed, never asserted.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import {
  ArgoCdClients,
  ClusterRegistry,
  EksClient,
  EksTokenProvider,
  KubernetesReader,
  NewRelicClient,
} from '@paved/plugin-paved-node';
import { sandboxConfig, startSandbox } from '@paved/sandbox';
import express from 'express';
import { parseAllDocuments } from 'yaml';
import { HealthService } from '../../plugins/runtime-health-backend/src/service/HealthService';
import { readArgoCd } from '../../plugins/runtime-health-backend/src/sources/argocd';
import { readKubernetes } from '../../plugins/runtime-health-backend/src/sources/kubernetes';
import { readNewRelic } from '../../plugins/runtime-health-backend/src/sources/newrelic';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { figure } = require('../lib/figures.cjs');

/** autocannon (10 connections, 200 rps overall, 10 s) in a child process; its JSON result. */
function loadFromAnotherProcess(url: string): Promise<any> {
  const { execFile } = require('node:child_process');
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [
        require.resolve('autocannon/autocannon.js'),
        '--connections',
        '10',
        '--overallRate',
        '200',
        '--duration',
        '10',
        '--json',
        url,
      ],
      { maxBuffer: 10 * 1024 * 1024 },
      (error: Error | null, stdout: string) =>
        error ? reject(error) : resolve(JSON.parse(stdout)),
    ),
  );
}

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silent,
} as any;

async function main() {
  // No GitOps polling: its `git` process every 2 s would pause this process's event loop (fork cost), which is the
  // sandbox's doing, not the route's.
  const sandbox = await startSandbox({ gitopsPolling: false });
  process.env.AWS_ACCESS_KEY_ID = sandbox.seed.aws.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = sandbox.seed.aws.secretAccessKey;
  const config = new ConfigReader(sandboxConfig(sandbox));
  const eks = new EksClient({ endpoint: `${sandbox.url}/aws/eks` });
  const clusters = ClusterRegistry.fromConfig(config, eks);
  const reader = new KubernetesReader(
    new EksTokenProvider({ credentials: eks.credentials }),
  );
  const argocd = ArgoCdClients.fromConfig(config);
  const newrelic = NewRelicClient.fromConfig(config)!;
  const entities = parseAllDocuments(
    fs.readFileSync(
      path.resolve(__dirname, '../../examples/catalog.yaml'),
      'utf8',
    ),
  )
    .map(d => d.toJS() as Entity)
    .map(e => ({ ...e, metadata: { ...e.metadata, namespace: 'default' } }));
  const orders = entities.find(e => e.metadata.name === 'orders-api')!;

  const reads = { kubernetes: 0, argocd: 0, newrelic: 0 };
  const service = new HealthService({
    cache: CacheManager.fromConfig(
      new ConfigReader({ backend: { cache: { store: 'memory' } } }),
    ).forPlugin('runtime-health'),
    logger: silent,
    ttlMs: 60_000,
    timeoutMs: { default: 5_000 },
    sources: {
      kubernetes: {
        configured: () => true,
        read: e => (
          reads.kubernetes++, readKubernetes(e, { clusters, reader })
        ),
      },
      argocd: {
        configured: () => true,
        read: e => (reads.argocd++, readArgoCd(e, argocd)),
      },
      newrelic: {
        configured: () => true,
        read: e => (reads.newrelic++, readNewRelic(e, newrelic)),
      },
    },
  });
  // The router's permission and catalog steps are in-process lookups; the HTTP layer and the service are measured.
  const app = express().get(
    '/entity/:namespace/:kind/:name',
    async (req, res) => {
      const entity = entities.find(e => e.metadata.name === req.params.name);
      if (!entity) return res.status(404).end();
      return res.json(await service.get(entity));
    },
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise(r => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Warm the clients (EKS DescribeCluster, tokens, Argo CD) so "cold" means "cache empty", not "process cold".
  await Promise.all([
    readKubernetes(orders, { clusters, reader }),
    readArgoCd(orders, argocd),
    readNewRelic(orders, newrelic),
  ]);
  const time = async (fn: () => Promise<unknown>) => {
    const t = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const slowest: Record<string, number> = {
    kubernetes: await time(() => readKubernetes(orders, { clusters, reader })),
    argocd: await time(() => readArgoCd(orders, argocd)),
    newrelic: await time(() => readNewRelic(orders, newrelic)),
  };
  const slowestMs = Math.max(...Object.values(slowest));

  // 100 concurrent identical cold requests.
  const payments = `${base}/entity/default/component/payments-api`;
  Object.assign(reads, { kubernetes: 0, argocd: 0, newrelic: 0 });
  await Promise.all(
    Array.from({ length: 100 }, () => fetch(payments).then(r => r.json())),
  );
  const coalesced = { ...reads };

  const cold = await time(() =>
    fetch(`${base}/entity/default/component/orders-api`).then(r => r.json()),
  );

  // The load generator runs in its own process: in this one it would compete with the route for the event loop and
  // its own pauses would show up as the route's tail latency.
  const result = await loadFromAnotherProcess(
    `${base}/entity/default/component/orders-api`,
  );
  server.close();
  await sandbox.close();

  const rows = [
    [
      'upstream reads, 100 concurrent identical cold requests',
      `kubernetes ${coalesced.kubernetes}, argocd ${coalesced.argocd}, newrelic ${coalesced.newrelic}`,
      '1 per source',
    ],
    [
      'slowest source alone (ms)',
      `${slowestMs.toFixed(1)} (${Object.entries(slowest)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', ')})`,
      '',
    ],
    [
      'cold request, empty cache (ms)',
      `${cold.toFixed(1)} (+${(cold - slowestMs).toFixed(
        1,
      )} over the slowest source)`,
      '≤ +15 ms',
    ],
    [
      'warm p50 / p99 at 200 rps (ms)',
      `${result.latency.p50} / ${result.latency.p99} (${result.requests.total} requests, ${result.non2xx} non-2xx)`,
      'p99 < 25 ms',
    ],
  ];
  const perSource = Object.values(coalesced);
  figure(
    'runtime-health',
    'upstream reads, 100 concurrent identical cold requests',
    `${Math.max(...perSource)} per source`,
    '1 per source',
    perSource.every(n => n === 1),
  );
  figure(
    'runtime-health',
    'cold request over the slowest source',
    `+${(cold - slowestMs).toFixed(1)} ms`,
    '≤ +15 ms',
    cold - slowestMs <= 15,
  );
  figure(
    'runtime-health',
    'warm p99 at 200 rps (route on loopback)',
    `${result.latency.p99} ms (p50 ${result.latency.p50} ms)`,
    'p99 < 25 ms',
    result.latency.p99 < 25,
  );
  console.log('| figure | measured | goal |\n| --- | --- | --- |');
  for (const [figure, measured, goal] of rows)
    console.log(`| ${figure} | ${measured} | ${goal} |`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
