import type {
  ArgoCdAppHealth,
  EntityHealth,
  NewRelicHealth,
  WorkloadHealth,
} from '@paved/plugin-paved-common';
import { verdict } from './verdict';

const at = '2026-11-22T10:00:00.000Z';
const notConfigured = { status: 'not-configured' as const, fetchedAt: at };
const none: EntityHealth['sources'] = {
  kubernetes: notConfigured,
  argocd: notConfigured,
  newrelic: notConfigured,
};

const workload = (over: Partial<WorkloadHealth> = {}): WorkloadHealth => ({
  kind: 'Deployment',
  name: 'orders-api',
  namespace: 'orders',
  ready: 2,
  desired: 2,
  pods: [],
  ...over,
});
const k8s = (...workloads: WorkloadHealth[]) => ({
  kubernetes: {
    status: 'ok' as const,
    fetchedAt: at,
    data: { clusters: [{ cluster: 'prod-eu', workloads }] },
  },
});
const app = (over: Partial<ArgoCdAppHealth> = {}): ArgoCdAppHealth => ({
  name: 'orders-api-prod-eu',
  instance: 'main',
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
  operationPhase: 'Succeeded',
  history: [],
  url: 'https://argocd/applications/argocd/orders-api-prod-eu',
  ...over,
});
const argo = (...apps: ArgoCdAppHealth[]) => ({
  argocd: { status: 'ok' as const, fetchedAt: at, data: { apps } },
});
const nr = (
  over: Partial<NewRelicHealth['signals']> = {},
  incidents: NewRelicHealth['incidents'] = [],
) => ({
  newrelic: {
    status: 'ok' as const,
    fetchedAt: at,
    data: {
      entityGuid: 'G',
      name: 'orders-api',
      url: 'https://one.newrelic.com/redirect/entity/G',
      reporting: true,
      signals: {
        throughput: 100,
        errorRate: 0.01,
        responseTimeMs: 120,
        apdex: 0.95,
        ...over,
      },
      timeseries: [],
      incidents,
    },
  },
});

describe('verdict', () => {
  it.each<[string, Partial<EntityHealth['sources']>, string, string[]]>([
    [
      'nothing configured',
      {},
      'unknown',
      ['No runtime source is configured for this entity'],
    ],
    ['all ready', k8s(workload()), 'healthy', ['All Kubernetes checks pass']],
    [
      'some pods not ready',
      k8s(workload({ ready: 1 })),
      'degraded',
      ['Deployment orders/orders-api on prod-eu: 1/2 pods ready'],
    ],
    [
      'no pod ready',
      k8s(workload({ ready: 0 })),
      'down',
      ['Deployment orders/orders-api on prod-eu: 0/2 pods ready'],
    ],
    [
      'a pod in CrashLoopBackOff',
      k8s(
        workload({
          ready: 1,
          pods: [
            {
              name: 'p',
              phase: 'Running',
              ready: false,
              restarts: 7,
              problems: ['CrashLoopBackOff'],
            },
          ],
        }),
      ),
      'degraded',
      [
        'Deployment orders/orders-api on prod-eu: 1/2 pods ready',
        'Deployment orders/orders-api on prod-eu: pods in CrashLoopBackOff',
      ],
    ],
    [
      'scaled to zero',
      k8s(workload({ ready: 0, desired: 0 })),
      'healthy',
      ['All Kubernetes checks pass'],
    ],
    [
      'Argo CD healthy and synced',
      argo(app()),
      'healthy',
      ['All Argo CD checks pass'],
    ],
    [
      'Argo CD degraded',
      argo(app({ healthStatus: 'Degraded' })),
      'degraded',
      ['Argo CD app orders-api-prod-eu (main) is Degraded'],
    ],
    [
      'Argo CD missing: registered, nothing deployed yet',
      argo(app({ healthStatus: 'Missing' })),
      'not-deployed',
      [
        'Not deployed anywhere yet: no workload runs and no Argo CD application has deployed anything',
      ],
    ],
    [
      'Kubernetes answered and found nothing',
      k8s(),
      'not-deployed',
      [
        'Not deployed anywhere yet: no workload runs and no Argo CD application has deployed anything',
      ],
    ],
    [
      'Argo CD out of sync',
      argo(app({ syncStatus: 'OutOfSync' })),
      'degraded',
      ['Argo CD app orders-api-prod-eu (main) is OutOfSync with Git'],
    ],
    [
      'Argo CD sync failed',
      argo(app({ operationPhase: 'Failed' })),
      'degraded',
      ['Argo CD app orders-api-prod-eu (main): last sync failed'],
    ],
    [
      'Argo CD progressing',
      argo(app({ healthStatus: 'Progressing' })),
      'healthy',
      ['All Argo CD checks pass'],
    ],
    [
      'errors above 5%',
      nr({ errorRate: 0.07 }),
      'degraded',
      ['New Relic: error rate 7%'],
    ],
    [
      'errors above 25%',
      nr({ errorRate: 0.4 }),
      'down',
      ['New Relic: error rate 40%'],
    ],
    ['low Apdex', nr({ apdex: 0.6 }), 'degraded', ['New Relic: Apdex 0.6']],
    [
      'an open critical issue',
      nr({}, [
        {
          id: '1',
          title: 'High errors',
          priority: 'CRITICAL',
          state: 'ACTIVATED',
          openedAt: at,
          url: 'u',
        },
      ]),
      'degraded',
      ['New Relic critical issue: High errors'],
    ],
    [
      'a closed or low issue',
      nr({}, [
        {
          id: '1',
          title: 'Old',
          priority: 'CRITICAL',
          state: 'CLOSED',
          openedAt: at,
          url: 'u',
        },
        {
          id: '2',
          title: 'Minor',
          priority: 'LOW',
          state: 'ACTIVATED',
          openedAt: at,
          url: 'u',
        },
      ]),
      'healthy',
      ['All New Relic checks pass'],
    ],
    [
      'the worst source wins, most severe reason first',
      {
        ...k8s(workload({ ready: 1 })),
        ...argo(
          app({ syncStatus: 'OutOfSync' }),
          app({ name: 'x', healthStatus: 'Degraded' }),
        ),
        ...nr({ errorRate: 0.3 }),
      },
      'down',
      [
        'New Relic: error rate 30%',
        'Deployment orders/orders-api on prod-eu: 1/2 pods ready',
        'Argo CD app orders-api-prod-eu (main) is OutOfSync with Git',
        'Argo CD app x (main) is Degraded',
      ],
    ],
    [
      'a failing source is a note, not a broken service',
      {
        ...nr(),
        argocd: {
          status: 'timeout',
          fetchedAt: at,
          error: {
            name: 'ServiceUnavailableError',
            message: 'did not answer within 2000 ms',
          },
        },
      },
      'healthy',
      [
        'All New Relic checks pass',
        'Argo CD could not be read in time: did not answer within 2000 ms',
        'Partial view: based on New Relic only',
      ],
    ],
    [
      'every configured source failing is unknown',
      {
        kubernetes: {
          status: 'error',
          fetchedAt: at,
          error: { name: 'Error', message: 'boom' },
        },
      },
      'unknown',
      ['Kubernetes could not be read: boom'],
    ],
  ])('%s → %s', (_name, sources, expected, reasons) => {
    const result = verdict({ ...none, ...sources });
    expect(result.verdict).toBe(expected);
    expect(result.reasons).toEqual(reasons);
  });

  it('reports an unreadable cluster without blaming the service', () => {
    const result = verdict({
      ...none,
      kubernetes: {
        status: 'ok',
        fetchedAt: at,
        data: {
          clusters: [
            { cluster: 'dev-eu', workloads: [workload()] },
            {
              cluster: 'prod-eu',
              workloads: [],
              error: { name: 'Error', message: '503' },
            },
          ],
        },
      },
    });
    expect(result).toEqual({
      verdict: 'healthy',
      confidence: 'full',
      deployment: {
        expected: [],
        deployed: ['dev-eu'],
        missing: [],
        unread: ['prod-eu'],
      },
      reasons: [
        'All Kubernetes checks pass',
        'Cluster prod-eu could not be read: 503',
      ],
    });
  });

  const clusters = (
    ...cs: Array<[string, WorkloadHealth[]] | [string, 'error']>
  ) => ({
    kubernetes: {
      status: 'ok' as const,
      fetchedAt: at,
      data: {
        clusters: cs.map(([cluster, w]) =>
          w === 'error'
            ? {
                cluster,
                workloads: [],
                error: { name: 'Error', message: '503' },
              }
            : { cluster, workloads: w },
        ),
      },
    },
  });
  const both = ['dev-eu', 'prod-eu'];

  it.each<
    [
      string,
      Partial<EntityHealth['sources']>,
      string[],
      string,
      string,
      string[],
    ]
  >([
    [
      'a fresh two-cluster service: Argo CD apps registered, nothing running',
      {
        ...clusters(['dev-eu', []], ['prod-eu', []]),
        ...argo(
          app({
            name: 'a-dev-eu',
            cluster: 'dev-eu',
            healthStatus: 'Missing',
            syncStatus: 'OutOfSync',
          }),
          app({
            name: 'a-prod-eu',
            cluster: 'prod-eu',
            healthStatus: 'Missing',
            syncStatus: 'OutOfSync',
          }),
        ),
      },
      both,
      'not-deployed',
      'full',
      [
        'Not deployed on dev-eu, prod-eu yet: no workload runs and no Argo CD application has deployed anything',
        'Argo CD app a-dev-eu (main) is OutOfSync with Git',
        'Argo CD app a-prod-eu (main) is OutOfSync with Git',
      ],
    ],
    [
      'running on one of two clusters',
      {
        ...clusters(['dev-eu', [workload()]], ['prod-eu', []]),
        ...argo(app({ name: 'a-dev-eu', cluster: 'dev-eu' })),
      },
      both,
      'partially-deployed',
      'full',
      ['Not deployed on prod-eu (deployed on dev-eu)'],
    ],
    [
      'an expected cluster missing from the sources entirely (prod-eu not even listed)',
      { ...clusters(['dev-eu', [workload()]]) },
      both,
      'partially-deployed',
      'full',
      ['Not deployed on prod-eu (deployed on dev-eu)'],
    ],
    [
      'degraded where it runs outranks missing elsewhere',
      { ...clusters(['dev-eu', [workload({ ready: 1 })]], ['prod-eu', []]) },
      both,
      'degraded',
      'full',
      [
        'Deployment orders/orders-api on dev-eu: 1/2 pods ready',
        'Not deployed on prod-eu (deployed on dev-eu)',
      ],
    ],
    [
      'an unreadable expected cluster is neither deployed nor missing',
      { ...clusters(['dev-eu', [workload()]], ['prod-eu', 'error']) },
      both,
      'healthy',
      'full',
      ['All Kubernetes checks pass', 'Cluster prod-eu could not be read: 503'],
    ],
    [
      'deployed on both',
      {
        ...clusters(['dev-eu', [workload()]], ['prod-eu', [workload()]]),
        ...nr(),
      },
      both,
      'healthy',
      'full',
      ['All Kubernetes, New Relic checks pass'],
    ],
    [
      'New Relic without data says so and counts for nothing',
      {
        ...clusters(['dev-eu', [workload()]], ['prod-eu', [workload()]]),
        newrelic: {
          status: 'ok',
          fetchedAt: at,
          data: { ...nr().newrelic.data, reporting: false, signals: null },
        },
      },
      both,
      'healthy',
      'full',
      [
        'All Kubernetes, New Relic checks pass',
        'New Relic has no data for this service',
      ],
    ],
    [
      'only New Relic answered: no claim about deployment, lower confidence',
      {
        ...nr(),
        kubernetes: {
          status: 'error',
          fetchedAt: at,
          error: { name: 'Error', message: 'No cluster could be read' },
        },
      },
      both,
      'healthy',
      'partial',
      [
        'All New Relic checks pass',
        'Kubernetes could not be read: No cluster could be read',
        'Partial view: based on New Relic only',
      ],
    ],
  ])('%s', (_name, sources, expected, verdictIs, confidence, reasons) => {
    const result = verdict({ ...none, ...sources }, undefined, expected);
    expect(result.verdict).toBe(verdictIs);
    expect(result.confidence).toBe(confidence);
    expect(result.reasons).toEqual(reasons);
    expect(result.deployment.expected).toEqual(expected);
  });
});
