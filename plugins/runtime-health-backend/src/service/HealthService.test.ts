import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type {
  ArgoCdHealth,
  KubernetesHealth,
  NewRelicHealth,
} from '@paved/plugin-paved-common';
import { HealthService, type HealthSource } from './HealthService';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: {},
};

const k8s: KubernetesHealth = {
  clusters: [
    {
      cluster: 'prod-eu',
      workloads: [
        {
          kind: 'Deployment',
          name: 'orders-api',
          namespace: 'orders',
          ready: 2,
          desired: 2,
          pods: [],
        },
      ],
    },
  ],
};
const argo: ArgoCdHealth = { apps: [] };
const nr = {
  entityGuid: 'G',
  name: 'orders-api',
  url: 'u',
  reporting: true,
  signals: { throughput: 1, errorRate: 0, responseTimeMs: 1, apdex: 1 },
  timeseries: [],
  incidents: [],
} as NewRelicHealth;

function source<T>(
  data: T,
  options: { delayMs?: number; fail?: Error; configured?: boolean } = {},
) {
  const read = jest.fn(async () => {
    if (options.delayMs) await new Promise(r => setTimeout(r, options.delayMs));
    if (options.fail) throw options.fail;
    return data;
  });
  return {
    configured: () => options.configured ?? true,
    read,
  } satisfies HealthSource<T>;
}

const caches: Array<
  [string, () => ReturnType<CacheManager['forPlugin']> | undefined]
> = [
  [
    'memory',
    () =>
      CacheManager.fromConfig(
        new ConfigReader({ backend: { cache: { store: 'memory' } } }),
      ).forPlugin('runtime-health'),
  ],
  [
    'Redis',
    () =>
      process.env.PAVED_TEST_REDIS_URL
        ? CacheManager.fromConfig(
            new ConfigReader({
              backend: {
                cache: {
                  store: 'redis',
                  connection: process.env.PAVED_TEST_REDIS_URL,
                },
              },
            }),
          ).forPlugin(`runtime-health-test-${process.pid}-${Date.now()}`)
        : undefined,
  ],
];

describe.each(caches)('HealthService with the %s cache', (_name, makeCache) => {
  const cache = makeCache();
  if (!cache) {
    // eslint-disable-next-line jest/no-disabled-tests
    it.skip('needs PAVED_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379); .ci/run sets it', () => {});
    return;
  }

  const service = (
    sources: Partial<ConstructorParameters<typeof HealthService>[0]['sources']>,
    ttlMs = 60_000,
  ) =>
    new HealthService({
      cache,
      logger: mockServices.logger.mock(),
      ttlMs,
      timeoutMs: { default: 200 },
      sources: {
        kubernetes: source(k8s),
        argocd: source(argo),
        newrelic: source(nr),
        ...sources,
      } as any,
    });

  it('coalesces 100 concurrent identical requests into one upstream call per source, then serves the cache', async () => {
    const kubernetes = source(k8s, { delayMs: 30 });
    const argocd = source(argo, { delayMs: 30 });
    const newrelic = source(nr, { delayMs: 30 });
    const e = {
      ...entity,
      metadata: { ...entity.metadata, name: `coalesce-${_name}` },
    };
    const health = service({ kubernetes, argocd, newrelic });
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => health.get(e)),
    );
    expect(new Set(answers.map(a => a.verdict))).toEqual(new Set(['healthy']));
    await health.get(e);
    expect(
      [kubernetes.read, argocd.read, newrelic.read].map(
        r => r.mock.calls.length,
      ),
    ).toEqual([1, 1, 1]);
  });

  it('answers within the time budget with partial data when a source is slow', async () => {
    const e = {
      ...entity,
      metadata: { ...entity.metadata, name: `slow-${_name}` },
    };
    const result = await service({
      argocd: source(argo, { delayMs: 5_000 }),
    }).get(e);
    expect(result.sources.argocd).toMatchObject({
      status: 'timeout',
      error: { name: 'TimeoutError', message: 'no answer within 200 ms' },
    });
    expect(result.sources.kubernetes.status).toBe('ok');
    expect(result.verdict).toBe('healthy');
    expect(result.reasons).toContain(
      'Argo CD could not be read in time: no answer within 200 ms',
    );
  });

  it('turns a failing source into a per-source error and keeps the others', async () => {
    const e = {
      ...entity,
      metadata: { ...entity.metadata, name: `fail-${_name}` },
    };
    const result = await service({
      newrelic: source(nr, { fail: new Error('New Relic answered 503') }),
    }).get(e);
    expect(result.sources.newrelic).toMatchObject({
      status: 'error',
      error: { name: 'Error', message: 'New Relic answered 503' },
    });
    expect(result.sources.kubernetes.status).toBe('ok');
  });

  it('does not call a source the entity is not configured for', async () => {
    const newrelic = source(nr, { configured: false });
    const e = {
      ...entity,
      metadata: { ...entity.metadata, name: `unconfigured-${_name}` },
    };
    const result = await service({ newrelic }).get(e);
    expect(result.sources.newrelic.status).toBe('not-configured');
    expect(newrelic.read).not.toHaveBeenCalled();
  });

  it('reads upstream again once the entry expires', async () => {
    const kubernetes = source(k8s);
    const e = {
      ...entity,
      metadata: { ...entity.metadata, name: `ttl-${_name}` },
    };
    const health = service({ kubernetes }, 100);
    await health.get(e);
    await new Promise(r => setTimeout(r, 250));
    await health.get(e);
    expect(kubernetes.read).toHaveBeenCalledTimes(2);
  });
  it('keeps an answer that is about to change (nothing deployed yet) for a fifth of the TTL only', async () => {
    const waiting = {
      ...source<KubernetesHealth>({
        clusters: [{ cluster: 'dev-eu', workloads: [] }],
      }),
      provisional: (d: KubernetesHealth) =>
        d.clusters.every(c => !c.workloads.length),
    };
    const settled = { ...source(k8s), provisional: () => false };
    const e1 = {
      ...entity,
      metadata: { ...entity.metadata, name: 'waiting-1' },
    };
    const e2 = {
      ...entity,
      metadata: { ...entity.metadata, name: 'settled-1' },
    };
    const a = service({ kubernetes: waiting }, 1_000);
    const b = service({ kubernetes: settled }, 1_000);
    await a.get(e1);
    await b.get(e2);
    await new Promise(r => setTimeout(r, 400));
    await a.get(e1);
    await b.get(e2);
    expect(waiting.read).toHaveBeenCalledTimes(2);
    expect(settled.read).toHaveBeenCalledTimes(1);
  });
});

describe('HealthService pending pull requests', () => {
  const memoryCache = () =>
    CacheManager.fromConfig(
      new ConfigReader({ backend: { cache: { store: 'memory' } } }),
    ).forPlugin('runtime-health');
  const build = (pending: { configured: boolean; of: jest.Mock }) =>
    new HealthService({
      cache: memoryCache(),
      logger: mockServices.logger.mock(),
      ttlMs: 0,
      timeoutMs: { default: 200 },
      pending,
      sources: {
        kubernetes: source<KubernetesHealth>({
          clusters: [{ cluster: 'dev-eu', workloads: [] }],
        }),
        argocd: source(argo),
        newrelic: source(nr, { configured: false }),
      } as any,
    });
  const change = {
    kind: 'namespace' as const,
    number: 3,
    title: 'Namespace orders',
    url: 'https://github.com/acme/gitops/pull/3',
    draft: false,
  };

  it('lists them while nothing is deployed, and never asks while the service runs', async () => {
    const of = jest.fn(async () => [change]);
    await expect(
      build({ configured: true, of }).get(entity),
    ).resolves.toMatchObject({
      verdict: 'not-deployed',
      pending: [change],
    });
    const running = new HealthService({
      cache: memoryCache(),
      logger: mockServices.logger.mock(),
      ttlMs: 0,
      timeoutMs: { default: 200 },
      pending: { configured: true, of },
      sources: {
        kubernetes: source(k8s),
        argocd: source(argo),
        newrelic: source(nr),
      } as any,
    });
    of.mockClear();
    expect((await running.get(entity)).pending).toBeUndefined();
    expect(of).not.toHaveBeenCalled();
  });

  it('says so when they cannot be read, or not in time, and keeps the verdict', async () => {
    for (const of of [
      jest.fn(async () => {
        throw new Error('GitHub is down');
      }),
      jest.fn(() => new Promise(() => {})),
    ]) {
      const health = await build({ configured: true, of }).get(entity);
      expect(health.verdict).toBe('not-deployed');
      expect(health.pending).toBeUndefined();
      expect(health.reasons).toContain(
        'The open GitOps pull requests could not be read',
      );
    }
  });
});
