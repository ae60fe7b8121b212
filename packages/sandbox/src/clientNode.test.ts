import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import {
  createEksToken,
  DEFAULT_TIERS,
  namespaceManifests,
} from '@paved/plugin-paved-node';
import { Sandbox, startSandbox } from './index';

// @kubernetes/client-node 1.4.0 (what @backstage/plugin-kubernetes-backend uses) over TLS with an EKS token.
describe('Kubernetes stand-in, with the real @kubernetes/client-node', () => {
  let sandbox: Sandbox;
  let api: KubernetesObjectApi;
  let kubeConfig: KubeConfig;

  beforeAll(async () => {
    sandbox = await startSandbox();
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'prod-eu',
          server: `${sandbox.tlsUrl}/k8s/prod-eu`,
          caData: Buffer.from(sandbox.caPem).toString('base64'),
        },
      ],
      users: [
        {
          name: 'paved',
          token: await createEksToken({
            clusterName: 'prod-eu',
            region: 'eu-west-1',
            credentials: {
              accessKeyId: sandbox.seed.aws.accessKeyId,
              secretAccessKey: sandbox.seed.aws.secretAccessKey,
            },
          }),
        },
      ],
      contexts: [{ name: 'prod-eu', cluster: 'prod-eu', user: 'paved' }],
      currentContext: 'prod-eu',
    });
    api = KubernetesObjectApi.makeApiClient(kc);
    kubeConfig = kc;
  });
  afterAll(() => sandbox.close());

  it('server-side applies through discovery and reads the object back', async () => {
    const namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'client-node', labels: { team: 'payments' } },
    };
    await api.patch(
      namespace,
      undefined,
      undefined,
      'paved',
      false,
      PatchStrategy.ServerSideApply,
    );
    const quota = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: 'client-node' },
      spec: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi' } },
    };
    const applied = await api.patch(
      quota,
      undefined,
      undefined,
      'paved',
      false,
      PatchStrategy.ServerSideApply,
    );
    expect((applied as any).metadata.managedFields[0].manager).toBe('paved');

    const read = await api.read({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: 'client-node' },
    });
    expect((read as any).spec.hard).toEqual({
      'requests.cpu': '4',
      'requests.memory': '8Gi',
    });
  });

  it('surfaces the stand-in’s Status errors as ApiException with the code', async () => {
    const error = await api
      .read({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'missing', namespace: 'default' },
      })
      .catch(e => e);
    expect(error.code).toBe(404);
    expect(String(error.body)).toContain(
      'deployments.apps \\"missing\\" not found',
    );
  });

  it('accepts Paved’s team-namespace manifests, and a second apply converges without changes', async () => {
    const objects = namespaceManifests({
      name: 'payments-prod',
      ownerRef: 'group:default/payments',
      tier: 'small',
      preset: DEFAULT_TIERS.small,
      teamGroup: 'paved:team:payments',
      viewerGroups: ['paved:viewers'],
      ingressNamespaces: ['ingress-nginx'],
      workloadRoleArn: 'arn:aws:iam::111111111111:role/payments',
    });
    const applyAll = async () => {
      const results = [];
      for (const object of objects) {
        results.push(
          await api.patch(
            object as any,
            undefined,
            undefined,
            'paved',
            false,
            PatchStrategy.ServerSideApply,
          ),
        );
      }
      return results.map(
        (r: any) =>
          `${r.kind}/${r.metadata.name}@${r.metadata.resourceVersion}`,
      );
    };
    const first = await applyAll();
    expect(first).toHaveLength(9);
    expect(await applyAll()).toEqual(first);
  });

  it('serves the seeded services: a degraded orders-api with one pod in CrashLoopBackOff', async () => {
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const deployment = await apps.readNamespacedDeployment({
      name: 'orders-api',
      namespace: 'orders',
    });
    expect(deployment.spec?.replicas).toBe(2);
    expect(deployment.status).toMatchObject({ replicas: 2, readyReplicas: 1 });
    const pods = await core.listNamespacedPod({
      namespace: 'orders',
      labelSelector: 'backstage.io/kubernetes-id=orders-api',
    });
    expect(pods.items).toHaveLength(2);
    const waiting = pods.items
      .flatMap(p => p.status?.containerStatuses ?? [])
      .map(c => c.state?.waiting?.reason ?? 'running');
    expect(waiting.sort()).toEqual(['CrashLoopBackOff', 'running']);
    const replicaSets = await apps.listNamespacedReplicaSet({
      namespace: 'orders',
    });
    expect(
      replicaSets.items.map(r => r.metadata?.ownerReferences?.[0]?.name),
    ).toEqual(['orders-api']);
  });
});
