import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { GitOpsWriter, GitProviders } from '@paved/plugin-paved-node';
import { type Sandbox, sandboxConfig, startSandbox } from '@paved/sandbox';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { runtimeHealthPlugin } from './plugin';

/**
 * The plugin as a backend runs it, against the sandbox over the wire (EKS → Kubernetes with EKS tokens, Argo CD,
 * NerdGraph), for the example catalog's services.
 */
describe('runtime-health against the sandbox', () => {
  let sandbox: Sandbox;
  let server: any;
  let stop: () => Promise<void>;
  const env = { ...process.env };

  beforeAll(async () => {
    sandbox = await startSandbox();
    process.env.AWS_ACCESS_KEY_ID = sandbox.seed.aws.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = sandbox.seed.aws.secretAccessKey;
    const entities = parseAllDocuments(
      fs.readFileSync(
        path.resolve(__dirname, '../../../examples/catalog.yaml'),
        'utf8',
      ),
    )
      .map(d => d.toJS())
      .map(e => ({ ...e, metadata: { namespace: 'default', ...e.metadata } }))
      .concat([
        // Freshly scaffolded: nothing deployed, its GitOps pull requests open (opened below).
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'basket-api',
            namespace: 'default',
            annotations: {
              'backstage.io/kubernetes-id': 'basket-api',
              'backstage.io/kubernetes-namespace': 'basket-team',
              'paved.dev/clusters': 'dev-eu,prod-eu',
              'argocd/app-selector':
                'paved.dev/entity=component.default.basket-api',
              'newrelic.com/entity-name': 'basket-api',
            },
          },
          spec: {
            type: 'service',
            lifecycle: 'experimental',
            owner: 'group:default/basket-team',
          },
        },
      ]);
    const backend = await startTestBackend({
      features: [
        runtimeHealthPlugin,
        mockServices.rootConfig.factory({
          data: {
            ...sandboxConfig(sandbox),
            // A short TTL so fault tests see upstream again; budgets as a deployment would set them.
            paved: {
              ...sandboxConfig(sandbox).paved,
              health: {
                cacheTtlSeconds: 0.5,
                timeoutMs: 2000,
                timeouts: { argocd: 300 },
              },
            },
          },
        }),
        catalogServiceMock.factory({ entities }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop?.();
    await sandbox?.close();
    process.env = env;
  });

  const health = (name: string) =>
    request(server)
      .get(`/api/runtime-health/entity/default/component/${name}`)
      .set('authorization', mockCredentials.user.header());

  it('shows a degraded orders-api with the reasons from every source', async () => {
    const res = await health('orders-api');
    expect(res.status).toBe(200);
    expect(res.body.verdict).toBe('degraded');
    expect(res.body.sources.kubernetes.status).toBe('ok');
    const prod = res.body.sources.kubernetes.data.clusters.find(
      (c: any) => c.cluster === 'prod-eu',
    );
    expect(prod.workloads[0]).toMatchObject({
      name: 'orders-api',
      ready: 1,
      desired: 2,
    });
    expect(prod.workloads[0].pods.flatMap((p: any) => p.problems)).toEqual([
      'CrashLoopBackOff',
    ]);
    expect(
      res.body.sources.argocd.data.apps.map((a: any) => [
        a.name,
        a.healthStatus,
      ]),
    ).toEqual([
      ['orders-api-dev-eu', 'Healthy'],
      ['orders-api-prod-eu', 'Degraded'],
    ]);
    expect(res.body.sources.argocd.data.apps[0].history).toHaveLength(3);
    expect(res.body.sources.newrelic.data.timeseries).toHaveLength(30);
    expect(res.body.reasons).toEqual(
      expect.arrayContaining([
        'Deployment orders/orders-api on prod-eu: 1/2 pods ready',
        'Deployment orders/orders-api on prod-eu: pods in CrashLoopBackOff',
        'Argo CD app orders-api-prod-eu (main) is Degraded',
      ]),
    );
  });

  it('says a service is not deployed, with no data from New Relic and its open GitOps pull requests, namespace first', async () => {
    const gitops = GitOpsWriter.fromConfig(
      new ConfigReader(sandboxConfig(sandbox)),
      GitProviders.fromConfig(
        new ConfigReader(sandboxConfig(sandbox)),
        mockServices.logger.mock(),
        { writeMinTimeMs: 0 },
      ),
    );
    const open = async (branch: string, title: string) =>
      (
        await gitops.write({
          files: [{ path: `${branch}.yaml`, content: 'x: 1\n' }],
          branch,
          message: title,
          title,
          body: title,
        })
      ).pullRequest!;
    const argo = await open(
      'paved/argocd/main/basket-team/basket-api',
      'Argo CD: basket-api',
    );
    const namespace = await open(
      'paved/namespace/basket-team',
      'Namespace basket-team',
    );
    // Another service's pull request is not basket-api's.
    await open(
      'paved/argocd/main/basket-team/basket-web',
      'Argo CD: basket-web',
    );

    const res = await health('basket-api');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      verdict: 'not-deployed',
      confidence: 'full',
      deployment: { expected: ['dev-eu', 'prod-eu'], deployed: [] },
      pending: [
        {
          kind: 'namespace',
          number: namespace.number,
          url: namespace.url,
          title: 'Namespace basket-team',
          draft: false,
        },
        {
          kind: 'argocd',
          number: argo.number,
          url: argo.url,
          title: 'Argo CD: basket-api',
          draft: false,
        },
      ],
    });
    expect(res.body.sources.newrelic).toMatchObject({
      status: 'ok',
      data: { name: 'basket-api', signals: null, reporting: false },
    });
    // Deployed services get no pending list.
    expect((await health('payments-api')).body.pending).toBeUndefined();
  }, 20_000);

  it('shows a healthy payments-api and a down ledger-worker', async () => {
    expect((await health('payments-api')).body.verdict).toBe('healthy');
    const worker = await health('ledger-worker');
    expect(worker.body.verdict).toBe('down');
    expect(worker.body.reasons[0]).toMatch(/0\/1 pods ready|is Missing/);
  });

  const fault = (body: Record<string, unknown>) =>
    fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
  const afterTtl = () => new Promise(r => setTimeout(r, 600));

  it('degrades New Relic to a per-source error on 503 while the others answer', async () => {
    await afterTtl();
    await fault({ path: '^/newrelic/', status: 503 });
    try {
      const res = await health('payments-api');
      expect(res.status).toBe(200);
      expect(res.body.sources.newrelic).toMatchObject({
        status: 'error',
        error: {
          name: 'ServiceUnavailableError',
          message: 'New Relic answered 503',
        },
      });
      expect(res.body.sources.kubernetes.status).toBe('ok');
      expect(res.body.sources.argocd.status).toBe('ok');
      expect(res.body.verdict).toBe('healthy');
    } finally {
      await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
    }
  });

  it('answers within the Argo CD budget when Argo CD is slow', async () => {
    await afterTtl();
    await fault({ path: '^/argocd/', latencyMs: 3000 });
    try {
      const res = await health('payments-api');
      expect(res.body.sources.argocd).toMatchObject({
        status: 'timeout',
        error: { message: 'no answer within 300 ms' },
      });
      expect(res.body.sources.newrelic.status).toBe('ok');
    } finally {
      await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
    }
  });

  it('answers a 429 from New Relic as a per-source error', async () => {
    await afterTtl();
    await fault({ path: '^/newrelic/', status: 429, retryAfter: 1 });
    try {
      const res = await health('orders-api');
      expect(res.body.sources.newrelic.error.message).toBe(
        'New Relic answered 429',
      );
      expect(res.body.verdict).toBe('degraded');
    } finally {
      await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
    }
  });

  it('keeps the other clusters when one cluster is down', async () => {
    await afterTtl();
    await fault({ path: '^/k8s/prod-eu/', status: 503 });
    try {
      const res = await health('orders-api');
      const clusters = res.body.sources.kubernetes.data.clusters;
      expect(
        clusters.find((c: any) => c.cluster === 'dev-eu').workloads,
      ).toHaveLength(1);
      expect(
        clusters.find((c: any) => c.cluster === 'prod-eu').error.message,
      ).toMatch(/503/);
      expect(res.body.reasons).toContainEqual(
        expect.stringMatching(/^Cluster prod-eu could not be read/),
      );
    } finally {
      await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
    }
  });

  it('never puts a credential in a response', async () => {
    await afterTtl();
    await fault({ path: '^/argocd/', status: 500 });
    try {
      const body = JSON.stringify((await health('orders-api')).body);
      for (const secret of [
        sandbox.seed.newrelic.apiKey,
        sandbox.seed.aws.secretAccessKey,
        ...sandbox.seed.argocd.instances.map(i => i.token),
        'k8s-aws-v1.',
      ])
        expect(body).not.toContain(secret);
    } finally {
      await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
    }
  });
});
