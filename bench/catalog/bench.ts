/* eslint-disable no-console */
// Catalog benchmarks: PavedEntityProcessor cost per entity over 10,000 entities, and one EKS provider run over
// 3 accounts × 4 regions × 120 clusters against the fake EKS/STS (msw), following every page.
import { Entity } from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  PavedEntityProcessor,
  EksClusterEntityProvider,
} from '@paved/plugin-catalog-backend-module-paved';
import { EksClient } from '@paved/plugin-paved-node';
import {
  fakeAwsHandlers,
  FakeAwsState,
} from '@paved/plugin-paved-node/testUtils';
import { setupServer } from 'msw/node';
import { performance } from 'node:perf_hooks';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { figure } = require('../lib/figures.cjs');

async function processorBench() {
  const processor = new PavedEntityProcessor({
    deriveKubernetesId: true,
    argocdInstances: ['main', 'edge'],
    groupOwnedLifecycles: ['production'],
  });
  const guid = Buffer.from('1234567|APM|APPLICATION|98765').toString('base64');
  const entities: Entity[] = Array.from({ length: 10_000 }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `service-${i}`,
      annotations: {
        'paved.dev/template-source': 'https://github.com/acme/templates',
        'paved.dev/template-version': `v1.${i % 20}.0`,
        'paved.dev/answers-file': '.copier-answers.yml',
        'argocd/app-name': `service-${i}-prod`,
        'argocd/instance-name': 'main',
        'backstage.io/kubernetes-namespace': `team-${i % 50}`,
        'backstage.io/kubernetes-label-selector': `app.kubernetes.io/name=service-${i},tier in (web,api)`,
        'newrelic.com/entity-guid': guid,
        'paved.dev/clusters': 'prod-eu,dev-eu',
        'backstage.io/source-template': 'template:default/ts-service',
        ...(i % 10 === 0 ? { 'argocd/project-name': 'Bad Name' } : {}),
      },
    },
    spec: {
      type: 'service',
      lifecycle: i % 2 ? 'production' : 'experimental',
      owner: `group:team-${i % 50}`,
    },
  }));
  const location = {
    type: 'url',
    target: 'https://github.com/acme/x/blob/main/catalog-info.yaml',
  };
  let emitted = 0;
  const emit = () => {
    emitted++;
  };
  const pass = async () => {
    for (const entity of entities) {
      await processor.postProcessEntity(
        await processor.preProcessEntity(entity),
        location,
        emit,
      );
    }
  };
  await pass(); // warm-up
  emitted = 0;
  const start = performance.now();
  await pass();
  const ms = performance.now() - start;
  const perEntity = (ms * 1000) / entities.length;
  figure(
    'catalog',
    'processor, per entity (10,000 Components)',
    `${perEntity.toFixed(1)} µs`,
    '< 50 µs',
    perEntity < 50,
  );
  console.log(
    `| processor | 10,000 Components, 10 annotations each, 1 in 10 invalid | ${(
      (ms * 1000) /
      entities.length
    ).toFixed(
      1,
    )} µs per entity (pre + post), ${emitted} results emitted | < 50 µs |`,
  );
}

const silent: LoggerService = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
  child: () => silent,
};

async function providerBench() {
  const regions = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2'];
  const accounts = ['111111111111', '222222222222', '333333333333'];
  const state: FakeAwsState = {
    defaultAccountId: accounts[0],
    clusters: {},
    roles: {},
  };
  for (const account of accounts) {
    state.clusters[account] = Object.fromEntries(
      regions.map(region => [
        region,
        Array.from({ length: 120 }, (_, i) => ({
          name: `c${i}-${region}`,
          tags: { owner: `team-${i % 7}` },
        })),
      ]),
    );
    state.roles![`arn:aws:iam::${account}:role/reader`] = {
      accountId: account,
    };
  }
  const server = setupServer(...fakeAwsHandlers(state));
  server.listen({ onUnhandledRequest: 'error' });
  process.env.AWS_ACCESS_KEY_ID = 'AKIABENCH';
  process.env.AWS_SECRET_ACCESS_KEY = 'bench';
  let mutated = 0;
  const provider = new EksClusterEntityProvider({
    id: 'bench',
    accounts: accounts.map(accountId => ({
      accountId,
      roleArn: `arn:aws:iam::${accountId}:role/reader`,
      regions,
    })),
    eks: new EksClient(),
    logger: silent,
    taskRunner: { run: async () => {} },
    ownerTag: 'owner',
    defaultOwner: 'group:platform-team',
    systemTag: 'system',
    lifecycleTag: 'lifecycle',
    defaultLifecycle: 'production',
  });
  await provider.connect({
    applyMutation: async m => {
      mutated = m.type === 'full' ? m.entities.length : 0;
    },
    refresh: async () => {},
  });
  const start = performance.now();
  await provider.refresh();
  const ms = performance.now() - start;
  server.close();
  figure(
    'catalog',
    'EKS provider run, 3 accounts × 4 regions × 120 clusters',
    `${(ms / 1000).toFixed(2)} s, ${mutated} Resources, ${
      state.calls?.ListClusters
    } pages`,
    'every page followed (1,440 Resources)',
    mutated === 1440,
  );
  console.log(
    `| EKS provider | 3 accounts × 4 regions × 120 clusters (role assumed per account) | ${(
      ms / 1000
    ).toFixed(2)} s, ${mutated} Resources, ${
      state.calls?.ListClusters
    } ListClusters pages, ${state.calls?.DescribeCluster} DescribeCluster, ${
      state.calls?.AssumeRole
    } AssumeRole | pages followed |`,
  );
}

(async () => {
  console.log('| benchmark | workload | result | goal |');
  console.log('|---|---|---|---|');
  await processorBench();
  await providerBench();
})().catch(error => {
  console.error(error);
  process.exit(1);
});
