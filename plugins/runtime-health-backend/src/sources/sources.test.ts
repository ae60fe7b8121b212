import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  configuredHealthSources,
  HEALTH_SOURCE_ANNOTATIONS,
} from '@paved/plugin-paved-common';
import { argoCdTarget, readArgoCd } from './argocd';
import { kubernetesTarget, readKubernetes } from './kubernetes';
import { newRelicTarget, readNewRelic } from './newrelic';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default', annotations },
  spec: {},
});

describe('Kubernetes source', () => {
  it.each<[Record<string, string>, unknown]>([
    [{}, undefined],
    [
      { 'backstage.io/kubernetes-id': 'orders-api' },
      {
        labelSelector: 'backstage.io/kubernetes-id=orders-api',
        namespace: undefined,
        clusters: undefined,
      },
    ],
    [
      {
        'backstage.io/kubernetes-label-selector': 'app=orders',
        'backstage.io/kubernetes-id': 'ignored',
        'backstage.io/kubernetes-namespace': 'orders',
        'paved.dev/clusters': 'resource:default/prod-eu, dev-eu',
      },
      {
        labelSelector: 'app=orders',
        namespace: 'orders',
        clusters: ['prod-eu', 'dev-eu'],
      },
    ],
  ])('locates workloads from %j', (annotations, target) => {
    expect(kubernetesTarget(entity(annotations))).toEqual(target);
  });

  it('matches pods to their Deployment and names their problems, per cluster, isolating a failing cluster', async () => {
    const deployment = (namespace: string) => ({
      metadata: { name: 'orders-api', namespace },
      spec: { replicas: 2, selector: { matchLabels: { app: 'orders' } } },
      status: { readyReplicas: 1 },
    });
    const pod = (name: string, namespace: string, status: object) => ({
      metadata: { name, namespace, labels: { app: 'orders' } },
      status,
    });
    const reader = {
      workloads: jest.fn(async (cluster: { name: string }) => {
        if (cluster.name === 'dev-eu')
          throw Object.assign(
            new Error(
              'HTTP-Code: 503 Bearer k8s-aws-v1.secret\nBody: {"kind":"Status"}',
            ),
            { code: 503 },
          );
        return {
          deployments: [deployment('orders')],
          pods: [
            pod('a', 'orders', {
              phase: 'Running',
              containerStatuses: [
                { ready: true, restartCount: 0, state: { running: {} } },
              ],
            }),
            pod('b', 'orders', {
              phase: 'Running',
              containerStatuses: [
                {
                  ready: false,
                  restartCount: 4,
                  state: { waiting: { reason: 'CrashLoopBackOff' } },
                  lastState: { terminated: { reason: 'OOMKilled' } },
                },
              ],
            }),
            pod('elsewhere', 'other', {
              phase: 'Running',
              containerStatuses: [],
            }),
          ],
        };
      }),
    };
    const clusters = {
      list: () => [{ name: 'dev-eu' }, { name: 'prod-eu' }],
      get: (name: string) => ({ name, dashboardUrl: `https://dash/${name}` }),
      connection: async (name: string) => ({ name }),
    };
    const result = await readKubernetes(
      entity({ 'backstage.io/kubernetes-id': 'orders-api' }),
      {
        clusters: clusters as any,
        reader: reader as any,
      },
    );
    expect(result.clusters[0]).toEqual({
      cluster: 'dev-eu',
      workloads: [],
      error: {
        name: 'Error',
        message: 'HTTP-Code: 503 Bearer *** (HTTP 503)',
      },
    });
    expect(result.clusters[1]).toEqual({
      cluster: 'prod-eu',
      dashboardUrl: 'https://dash/prod-eu',
      workloads: [
        {
          kind: 'Deployment',
          name: 'orders-api',
          namespace: 'orders',
          desired: 2,
          ready: 1,
          pods: [
            {
              name: 'a',
              phase: 'Running',
              ready: true,
              restarts: 0,
              problems: [],
            },
            {
              name: 'b',
              phase: 'Running',
              ready: false,
              restarts: 4,
              problems: ['CrashLoopBackOff', 'OOMKilled'],
            },
          ],
        },
      ],
    });
  });
});

describe('Argo CD source', () => {
  it('lists apps by selector, newest five releases first, with UI links', async () => {
    const history = Array.from({ length: 7 }, (_, i) => ({
      id: i,
      revision: `r${i}`,
      deployedAt: `2026-11-0${i + 1}T00:00:00Z`,
    }));
    const instance = {
      config: { name: 'main' },
      applicationUrl: (n: string) => `https://argocd/applications/argocd/${n}`,
      request: jest.fn(async () => ({
        items: [
          {
            metadata: { name: 'orders-api-prod-eu' },
            spec: { project: 'orders-team' },
            status: {
              sync: { status: 'Synced', revision: 'r6' },
              health: { status: 'Healthy' },
              operationState: { phase: 'Succeeded' },
              history,
            },
          },
        ],
      })),
    };
    const result = await readArgoCd(
      entity({
        'argocd/app-selector': 'backstage.io/kubernetes-id=orders-api',
      }),
      { get: () => instance } as any,
    );
    expect(instance.request).toHaveBeenCalledWith(
      'GET',
      '/api/v1/applications?selector=backstage.io%2Fkubernetes-id%3Dorders-api',
    );
    expect(result.apps[0]).toMatchObject({
      name: 'orders-api-prod-eu',
      instance: 'main',
      project: 'orders-team',
      syncStatus: 'Synced',
      revision: 'r6',
      healthStatus: 'Healthy',
      operationPhase: 'Succeeded',
      url: 'https://argocd/applications/argocd/orders-api-prod-eu',
    });
    expect(result.apps[0].history.map(h => h.revision)).toEqual([
      'r6',
      'r5',
      'r4',
      'r3',
      'r2',
    ]);
  });
});

describe('New Relic source', () => {
  it('looks an entity up by name when it has no guid, and says so when there is none', async () => {
    const client = {
      findEntityGuid: jest.fn(async () => undefined),
      health: jest.fn(),
    };
    await expect(
      readNewRelic(
        entity({ 'newrelic.com/entity-name': 'orders-api' }),
        client as any,
      ),
    ).rejects.toThrow(
      new NotFoundError('New Relic has no APM entity named orders-api'),
    );
    expect(client.health).not.toHaveBeenCalled();
  });
});

describe('the annotations each source reads', () => {
  const targets = {
    kubernetes: kubernetesTarget,
    argocd: argoCdTarget,
    newrelic: newRelicTarget,
  };

  it.each(
    Object.entries(HEALTH_SOURCE_ANNOTATIONS).flatMap(([source, names]) =>
      names.map(name => [source, name] as const),
    ),
  )(
    'turn %s on with %s alone, as paved-common tells the frontend',
    (source, name) => {
      const only = entity({ [name]: 'orders-api' });
      expect(configuredHealthSources(only)).toEqual([source]);
      for (const [other, target] of Object.entries(targets)) {
        expect(Boolean(target(only))).toBe(other === source);
      }
    },
  );
});
