import type { Entity } from '@backstage/catalog-model';
import type {
  EntityHealth,
  GoldenSignalsPoint,
} from '@paved/plugin-paved-common';

export const NOW = new Date('2026-11-22T10:30:00Z');
const at = (minutesAgo: number) =>
  new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

export const ordersApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'orders-api',
      'argocd/app-selector': 'paved.dev/entity=orders-api',
      'newrelic.com/entity-guid': 'MTExMTExMXxBUE18QVBQTElDQVRJT058b3JkZXJz',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'orders-team' },
};

const series = (errorRate: number): GoldenSignalsPoint[] =>
  Array.from({ length: 30 }, (_, i) => ({
    timestamp: at(30 - i),
    throughput: 1200 + i * 10,
    errorRate: errorRate * (0.5 + i / 60),
    responseTimeMs: 80 + (i % 5),
    apdex: 0.97,
  }));

/** Every source answered and all is well. */
export const healthy: EntityHealth = {
  verdict: 'healthy',
  confidence: 'full',
  deployment: {
    expected: ['dev-eu', 'prod-eu'],
    deployed: ['dev-eu', 'prod-eu'],
    missing: [],
    unread: [],
  },
  reasons: ['Every source reports the service healthy'],
  sources: {
    kubernetes: {
      status: 'ok',
      fetchedAt: at(0),
      data: {
        clusters: [
          {
            cluster: 'dev-eu',
            dashboardUrl: 'https://dash.example.com/dev-eu',
            workloads: [
              {
                kind: 'Deployment',
                name: 'orders-api',
                namespace: 'orders',
                ready: 2,
                desired: 2,
                pods: [
                  {
                    name: 'orders-api-1',
                    phase: 'Running',
                    ready: true,
                    restarts: 0,
                    problems: [],
                  },
                  {
                    name: 'orders-api-2',
                    phase: 'Running',
                    ready: true,
                    restarts: 1,
                    problems: [],
                  },
                ],
              },
            ],
          },
        ],
      },
    },
    argocd: {
      status: 'ok',
      fetchedAt: at(0),
      data: {
        apps: [
          {
            name: 'orders-api-dev-eu',
            instance: 'main',
            project: 'orders-team',
            syncStatus: 'Synced',
            revision: '4f2a9c1e0b7d3a5f6e8c9d0b1a2f3e4d5c6b7a89',
            healthStatus: 'Healthy',
            operationPhase: 'Succeeded',
            url: 'https://argocd.example.com/applications/argocd/orders-api-dev-eu',
            history: [
              {
                id: 1,
                revision: '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d',
                deployedAt: at(180),
              },
              {
                id: 2,
                revision: '4f2a9c1e0b7d3a5f6e8c9d0b1a2f3e4d5c6b7a89',
                deployedAt: at(25),
                initiatedBy: 'alice@example.com',
              },
            ],
          },
        ],
      },
    },
    newrelic: {
      status: 'ok',
      fetchedAt: at(0),
      data: {
        entityGuid: 'MTExMTExMXxBUE18QVBQTElDQVRJT058b3JkZXJz',
        name: 'orders-api',
        url: 'https://one.newrelic.com/redirect/entity/MTExMTExMXxBUE18QVBQTElDQVRJT058b3JkZXJz',
        reporting: true,
        signals: {
          throughput: 1345,
          errorRate: 0.0012,
          responseTimeMs: 82,
          apdex: 0.97,
        },
        timeseries: series(0.0012),
        incidents: [],
      },
    },
  },
};

/** Argo CD and Kubernetes see trouble on prod and New Relic has an incident open. */
export const degraded: EntityHealth = {
  verdict: 'degraded',
  confidence: 'full',
  deployment: {
    expected: ['dev-eu', 'prod-eu'],
    deployed: ['dev-eu', 'prod-eu'],
    missing: [],
    unread: [],
  },
  reasons: [
    'orders-api on prod-eu: 1 of 2 pods ready (CrashLoopBackOff)',
    'Argo CD app orders-api-prod-eu is Degraded',
    'Error rate 4.2% is above 2%',
  ],
  sources: {
    kubernetes: {
      status: 'ok',
      fetchedAt: at(0),
      data: {
        clusters: [
          {
            cluster: 'prod-eu',
            workloads: [
              {
                kind: 'Deployment',
                name: 'orders-api',
                namespace: 'orders',
                ready: 1,
                desired: 2,
                pods: [
                  {
                    name: 'orders-api-a',
                    phase: 'Running',
                    ready: true,
                    restarts: 0,
                    problems: [],
                  },
                  {
                    name: 'orders-api-b',
                    phase: 'Running',
                    ready: false,
                    restarts: 7,
                    problems: ['CrashLoopBackOff'],
                  },
                ],
              },
            ],
          },
        ],
      },
    },
    argocd: {
      status: 'ok',
      fetchedAt: at(0),
      data: {
        apps: [
          {
            ...healthy.sources.argocd.data!.apps[0],
            name: 'orders-api-prod-eu',
            syncStatus: 'OutOfSync',
            healthStatus: 'Degraded',
            operationPhase: 'Failed',
            url: 'https://argocd.example.com/applications/argocd/orders-api-prod-eu',
          },
        ],
      },
    },
    newrelic: {
      status: 'ok',
      fetchedAt: at(0),
      data: {
        ...healthy.sources.newrelic.data!,
        reporting: true,
        signals: {
          throughput: 1210,
          errorRate: 0.042,
          responseTimeMs: 240,
          apdex: 0.81,
        },
        timeseries: series(0.042),
        incidents: [
          {
            id: 'inc-1',
            title: 'High error rate on orders-api',
            priority: 'CRITICAL',
            state: 'ACTIVATED',
            openedAt: at(12),
            url: 'https://one.newrelic.com/alerts-ai/issues/inc-1',
          },
          {
            id: 'inc-0',
            title: 'Old resolved thing',
            priority: 'LOW',
            state: 'CLOSED',
            openedAt: at(300),
            url: 'https://one.newrelic.com/alerts-ai/issues/inc-0',
          },
        ],
      },
    },
  },
};

/** New Relic is down and Argo CD too slow; Kubernetes still answers, with one cluster unreadable. */
export const sourceDown: EntityHealth = {
  verdict: 'healthy',
  confidence: 'partial',
  deployment: {
    expected: [],
    deployed: ['dev-eu'],
    missing: [],
    unread: [],
  },
  reasons: [
    'New Relic could not be read: NerdGraph answered 503 Service Unavailable',
    'Argo CD did not answer within 2000 ms',
    'Cluster prod-eu could not be read',
  ],
  sources: {
    kubernetes: {
      status: 'ok',
      fetchedAt: at(0),
      data: {
        clusters: [
          ...healthy.sources.kubernetes.data!.clusters,
          {
            cluster: 'prod-eu',
            workloads: [],
            error: {
              name: 'ResponseError',
              message: 'connect ECONNREFUSED 10.0.0.1:443',
            },
          },
        ],
      },
    },
    argocd: {
      status: 'timeout',
      fetchedAt: at(0),
      error: {
        name: 'TimeoutError',
        message: 'Argo CD did not answer within 2000 ms',
      },
    },
    newrelic: {
      status: 'error',
      fetchedAt: at(0),
      error: {
        name: 'ResponseError',
        message: 'NerdGraph answered 503 Service Unavailable',
      },
    },
  },
};

/** Only Kubernetes is configured; the others explain which annotation to add. */
export const notConfigured: EntityHealth = {
  verdict: 'healthy',
  confidence: 'full',
  deployment: { expected: [], deployed: ['dev-eu'], missing: [], unread: [] },
  reasons: ['Every source reports the service healthy'],
  sources: {
    kubernetes: healthy.sources.kubernetes,
    argocd: { status: 'not-configured', fetchedAt: at(0) },
    newrelic: { status: 'not-configured', fetchedAt: at(0) },
  },
};
