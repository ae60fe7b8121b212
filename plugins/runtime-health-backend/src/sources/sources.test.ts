import type { Entity } from '@backstage/catalog-model';
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
  spec: { owner: 'orders-team' },
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
    (reader as any).namespaceOwners = async () =>
      new Map([['orders', 'group:default/orders-team']]);
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

describe('Kubernetes source with every cluster failing', () => {
  it('fails as a source (never "ok, nothing there"), naming each cluster, secrets redacted', async () => {
    const reader = {
      workloads: jest.fn(async (cluster: { name: string }) => {
        throw Object.assign(new Error(`connect ECONNREFUSED ${cluster.name}`), {
          code: 'ECONNREFUSED',
        });
      }),
      namespaceOwners: async () => new Map(),
    };
    const clusters = {
      list: () => [{ name: 'dev-eu' }, { name: 'prod-eu' }],
      get: (name: string) => ({ name }),
      connection: async (name: string) => ({ name }),
    };
    await expect(
      readKubernetes(entity({ 'backstage.io/kubernetes-id': 'orders-api' }), {
        clusters: clusters as any,
        reader: reader as any,
      }),
    ).rejects.toThrow(
      /^No cluster could be read: dev-eu: connect ECONNREFUSED dev-eu.*; prod-eu: connect ECONNREFUSED prod-eu/,
    );
  });
});

describe('attribution', () => {
  const deployment = (namespace: string) => ({
    metadata: { name: 'orders-api', namespace },
    spec: { replicas: 1, selector: { matchLabels: { app: 'orders' } } },
    status: { readyReplicas: 1 },
  });

  it("does not count workloads in another owner's namespace, nor in one without a Paved owner", async () => {
    // An entity whose annotations point at payments' workloads (the issue's cross-team read).
    const reader = {
      workloads: async () => ({
        deployments: [
          deployment('orders'),
          deployment('payments'),
          deployment('legacy'),
        ],
        pods: [],
      }),
      namespaceOwners: async () =>
        new Map<string, string | null>([
          ['orders', 'group:default/orders-team'],
          ['payments', 'group:default/payments-team'],
          ['legacy', null],
        ]),
    };
    const clusters = {
      list: () => [{ name: 'prod-eu' }],
      get: (name: string) => ({ name }),
      connection: async (name: string) => ({ name }),
    };
    const result = await readKubernetes(
      entity({ 'backstage.io/kubernetes-id': 'orders-api' }),
      { clusters: clusters as any, reader: reader as any },
    );
    expect(result.clusters[0].workloads.map(w => w.namespace)).toEqual([
      'orders',
    ]);
    expect(result.clusters[0].unattributed).toEqual([
      {
        kind: 'Deployment',
        name: 'payments/orders-api',
        reason: 'namespace payments belongs to group:default/payments-team',
      },
      {
        kind: 'Deployment',
        name: 'legacy/orders-api',
        reason: 'namespace legacy records no Paved owner',
      },
    ]);
  });

  it("counts Argo CD apps that name the entity or sit in its owner's project, not the others", async () => {
    const appOf = (name: string, project: string, entityRef?: string) => ({
      metadata: {
        name,
        ...(entityRef
          ? { annotations: { 'paved.dev/entity-ref': entityRef } }
          : {}),
      },
      spec: { project },
      status: {},
    });
    const instance = {
      config: { name: 'main' },
      applicationUrl: (n: string) => `https://argocd/${n}`,
      request: async () => ({
        items: [
          appOf('named', 'anything', 'component:default/orders-api'),
          appOf('in-project', 'orders-team'),
          appOf(
            'other-entity',
            'orders-team',
            'component:default/payments-api',
          ),
          appOf('other-project', 'payments-team'),
        ],
      }),
      getProject: async (name: string) => ({
        metadata: {
          name,
          annotations: { 'paved.dev/owner-ref': `group:default/${name}` },
        },
      }),
    };
    const result = await readArgoCd(
      entity({ 'argocd/app-selector': 'app=orders' }),
      { get: () => instance } as any,
    );
    expect(result.apps.map(a => a.name)).toEqual(['in-project', 'named']);
    expect(result.unattributed).toEqual([
      {
        kind: 'Application',
        name: 'other-entity',
        reason: 'it names component:default/payments-api',
      },
      {
        kind: 'Application',
        name: 'other-project',
        reason: 'project payments-team belongs to group:default/payments-team',
      },
    ]);
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
      getProject: async () => ({
        metadata: {
          annotations: { 'paved.dev/owner-ref': 'group:default/orders-team' },
        },
      }),
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
  it('counts a New Relic entity only when its tags name the catalog entity', async () => {
    const health = (tags: Array<{ key: string; values: string[] }>) => ({
      findEntityGuid: async () => 'G1',
      health: async () => ({ entityGuid: 'G1', name: 'payments-api', tags }),
    });
    const annotated = entity({ 'newrelic.com/entity-name': 'payments-api' });
    await expect(
      readNewRelic(
        annotated,
        health([
          {
            key: 'paved.dev/entity',
            values: ['component.default.payments-api'],
          },
        ]) as any,
      ),
    ).rejects.toThrow(
      'New Relic entity payments-api is not attributable to this entity: its tag paved.dev/entity is component.default.payments-api, not component.default.orders-api',
    );
    await expect(readNewRelic(annotated, health([]) as any)).rejects.toThrow(
      /its tag paved.dev\/entity is missing/,
    );
    await expect(
      readNewRelic(
        annotated,
        health([
          { key: 'paved.dev/entity', values: ['component.default.orders-api'] },
        ]) as any,
      ),
    ).resolves.toMatchObject({ entityGuid: 'G1' });
  });

  it('looks an entity up by name when it has no guid, and is "no data" when there is none yet (not deployed: nothing reported)', async () => {
    const client = {
      findEntityGuid: jest.fn(async () => undefined),
      health: jest.fn(),
    };
    await expect(
      readNewRelic(
        entity({ 'newrelic.com/entity-name': 'orders-api' }),
        client as any,
      ),
    ).resolves.toEqual({
      name: 'orders-api',
      reporting: false,
      signals: null,
      timeseries: [],
      incidents: [],
    });
    expect(client.findEntityGuid).toHaveBeenCalledWith('orders-api');
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
