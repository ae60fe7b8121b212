/* eslint-disable no-console */
// Template sync fleet run over 1,000 up-to-date instances (one repository each) on the sandbox's GitHub: how many
// GitHub requests one run makes, and its wall time with 50 ms added to every GitHub request.
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { GitProviders, TemplateSync } from '@paved/plugin-paved-node';
import {
  DEV_TEMPLATE_SOURCE,
  renderedServiceFixture,
  sandboxConfig,
  startSandbox,
} from '@paved/sandbox';
import knexFactory from 'knex';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { figure } = require('../lib/figures.cjs');
import { performance } from 'node:perf_hooks';
import { SyncStore } from '../../plugins/template-sync-backend/src/database/SyncStore';
import { FleetSync } from '../../plugins/template-sync-backend/src/service/FleetSync';

const INSTANCES = Number(process.env.INSTANCES ?? 1000);
const LATENCY_MS = 50;

async function pool<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function main() {
  const sandbox = await startSandbox();
  const org = sandbox.seed.github.org;
  const source = `${sandbox.url}/${org}/service-template.git`;
  const answers = renderedServiceFixture({
    name: 'x',
    version: 'v2.0.0',
    srcPath: DEV_TEMPLATE_SOURCE,
  }).find(f => f.path === '.copier-answers.yml')!;
  const headers = {
    authorization: `token ${sandbox.github.token}`,
    'content-type': 'application/json',
  };

  console.log(
    `Seeding ${INSTANCES} repositories at v2.0.0 (the newest version)…`,
  );
  const seedStart = performance.now();
  const names = Array.from(
    { length: INSTANCES },
    (_, i) => `svc-${String(i).padStart(4, '0')}`,
  );
  await pool(names, 8, async name => {
    const res = await fetch(`${sandbox.github.apiUrl}/orgs/${org}/repos`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name }),
    });
    if (res.status !== 201) throw new Error(`create ${name}: ${res.status}`);
    await sandbox.github.commit(name, {
      '.copier-answers.yml': answers.content
        .replace(DEV_TEMPLATE_SOURCE, source)
        .replace('name: x', `name: ${name}`),
    });
  });
  console.log(
    `  seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  const entities: Entity[] = names.map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/source-location': `url:${sandbox.url}/${org}/${name}/tree/main/`,
        'paved.dev/template-source': source,
        'paved.dev/template-version': 'v2.0.0',
      },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  }));

  const base = sandboxConfig(sandbox);
  const config = new ConfigReader({
    ...base,
    paved: {
      ...base.paved,
      templateSync: { allowedSources: [`${sandbox.url}/${org}`] },
    },
  });
  // Quiet: the figures are the output. (mockServices' logger mock needs jest.)
  const logger: any = {
    info() {},
    debug() {},
    warn: console.warn,
    error: console.error,
    child() {
      return logger;
    },
  };
  const git = GitProviders.fromConfig(config, logger, { writeMinTimeMs: 0 });
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const store = await SyncStore.create({ getClient: async () => knex } as any);
  const fleet = new FleetSync({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    store,
    templates: TemplateSync.fromConfig(config, { git, logger }),
    git,
    logger,
  });

  const githubRequests = (from: number) =>
    sandbox.requests
      .slice(from)
      .filter(r => r.path.startsWith('/api/') || r.path.startsWith(`/${org}/`));
  const describe = (requests: Array<{ method: string; path: string }>) => {
    const graphql = requests.filter(r => r.path === '/api/graphql').length;
    const git = requests.filter(r =>
      /\/(info\/refs|git-upload-pack)$/.test(r.path),
    ).length;
    const rest = requests.length - graphql - git;
    return { total: requests.length, graphql, git, rest };
  };

  const rows: Array<[string, string, string]> = [];
  for (const [label, latency] of [
    // Cold: a new database and a sandbox that has not read these repositories yet (1,000 git processes on its side).
    [`first run, cold, +${LATENCY_MS} ms per GitHub request`, LATENCY_MS],
    ['second run', 0],
    [`second run, +${LATENCY_MS} ms per GitHub request`, LATENCY_MS],
  ] as const) {
    sandbox.faults.clear();
    if (latency)
      sandbox.faults.add({ path: `^/(api|${org})/`, latencyMs: latency });
    const mark = sandbox.requests.length;
    const start = performance.now();
    const summary = await fleet.runAll();
    const seconds = (performance.now() - start) / 1000;
    if (summary.upToDate !== INSTANCES) {
      throw new Error(
        `expected ${INSTANCES} up to date, got ${JSON.stringify(summary)}`,
      );
    }
    const r = describe(githubRequests(mark));
    if (label !== 'second run') {
      figure(
        'template-sync',
        `${label}: GitHub requests (${INSTANCES} instances)`,
        String(r.total),
        '≤ 12',
        r.total <= 12,
      );
      figure(
        'template-sync',
        `${label}: wall time (${INSTANCES} instances)`,
        `${seconds.toFixed(2)} s`,
        '< 10 s',
        seconds < 10,
      );
    }
    rows.push([
      label,
      `${r.total} (${r.graphql} GraphQL, ${r.git} git ls-remote, ${r.rest} REST)`,
      `${seconds.toFixed(2)} s`,
    ]);
  }
  // The reads alone: what GitHub answers cost, apart from the database and the catalog.
  const reads = names.map(name => ({
    repoUrl: `${sandbox.url}/${org}/${name}`,
    paths: ['.copier-answers.yml'],
  }));
  for (const latency of [0, LATENCY_MS]) {
    sandbox.faults.clear();
    if (latency)
      sandbox.faults.add({ path: `^/(api|${org})/`, latencyMs: latency });
    const mark = sandbox.requests.length;
    const start = performance.now();
    await git.readBatch(reads);
    const r = describe(githubRequests(mark));
    rows.push([
      `answers files alone (readBatch)${latency ? `, +${latency} ms` : ''}`,
      `${r.total} (${r.graphql} GraphQL)`,
      `${((performance.now() - start) / 1000).toFixed(2)} s`,
    ]);
  }
  sandbox.faults.clear();

  console.log(
    `\n| run over ${INSTANCES} up-to-date instances | GitHub requests (goal ≤ 12) | wall time (goal < 10 s at +${LATENCY_MS} ms) |`,
  );
  console.log('| --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  await knex.destroy();
  await sandbox.close();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
