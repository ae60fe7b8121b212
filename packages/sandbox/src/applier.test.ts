import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import {
  ClusterRegistry,
  DEFAULT_TIERS,
  EksClient,
  EksTokenProvider,
  KubernetesApplier,
  namespaceManifests,
} from '@paved/plugin-paved-node';
import { Sandbox, startSandbox } from './index';

// Paved's own clients end to end: EKS lookup → EKS token → server-side apply, over the wire.
describe('KubernetesApplier against the sandbox', () => {
  let sandbox: Sandbox;
  let applier: KubernetesApplier;
  let connection: {
    name: string;
    region: string;
    server: string;
    caData?: string;
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
    const identity = {
      accessKeyId: sandbox.seed.aws.accessKeyId,
      secretAccessKey: sandbox.seed.aws.secretAccessKey,
    };
    process.env.AWS_ACCESS_KEY_ID = identity.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = identity.secretAccessKey;
    const cluster = await new EksClient({
      endpoint: `${sandbox.url}/aws/eks`,
    }).describeCluster({}, 'eu-west-1', 'dev-eu');
    connection = {
      name: cluster.name,
      region: cluster.region,
      server: cluster.endpoint!,
      caData: cluster.certificateAuthority,
    };
    applier = new KubernetesApplier({
      tokens: new EksTokenProvider({
        defaultCredentials: async () => identity,
      }),
    });
  });
  afterAll(() => sandbox.close());

  const orderQuota = () =>
    applier.get(connection, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      name: 'paved-quota',
      namespace: 'checkout',
    });

  const manifests = (tier = 'small') =>
    namespaceManifests({
      name: 'checkout',
      ownerRef: 'group:default/checkout',
      tier,
      preset: DEFAULT_TIERS[tier],
      teamGroup: 'paved:team:checkout',
      viewerGroups: [],
      ingressNamespaces: ['ingress-nginx'],
    });

  it('applies a team namespace, then converges: a second apply changes nothing', async () => {
    const first = await applier.apply(connection, manifests());
    expect(first.map(r => [r.kind, r.name, r.changed])).toEqual([
      ['Namespace', 'checkout', true],
      ['ResourceQuota', 'paved-quota', true],
      ['LimitRange', 'paved-limits', true],
      ['NetworkPolicy', 'default-deny-ingress', true],
      ['NetworkPolicy', 'allow-same-namespace', true],
      ['NetworkPolicy', 'allow-from-ingress', true],
      ['RoleBinding', 'paved-team-edit', true],
      ['ServiceAccount', 'workload', true],
    ]);
    expect(
      (await applier.apply(connection, manifests())).every(r => !r.changed),
    ).toBe(true);
    expect(await orderQuota()).toMatchObject({
      spec: { hard: DEFAULT_TIERS.small.quota },
    });
  });

  it('dry run shows the change without making it', async () => {
    const dry = await applier.apply(
      connection,
      manifests('large').slice(0, 2),
      { dryRun: true },
    );
    expect(dry.map(r => r.changed)).toEqual([true, true]);
    expect(await orderQuota()).toMatchObject({
      spec: { hard: DEFAULT_TIERS.small.quota },
    });
  });

  it('reports fields another manager took over as a ConflictError instead of forcing', async () => {
    const token = (
      await new EksTokenProvider({
        defaultCredentials: async () => ({
          accessKeyId: sandbox.seed.aws.accessKeyId,
          secretAccessKey: sandbox.seed.aws.secretAccessKey,
        }),
      }).getToken('dev-eu', 'eu-west-1')
    ).token;
    await fetch(
      `${sandbox.url}/k8s/dev-eu/api/v1/namespaces/checkout?fieldManager=someone-else&force=true`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/apply-patch+yaml',
        },
        body: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'checkout', labels: { 'paved.dev/tier': 'large' } },
        }),
      },
    );
    const error = await applier.apply(connection, manifests()).catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(
      /^Namespace checkout on dev-eu is managed by someone else/,
    );
  });

  it('returns undefined for an object that does not exist', async () => {
    expect(
      await applier.get(connection, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'none',
        namespace: 'checkout',
      }),
    ).toBeUndefined();
  });

  it('resolves configured clusters through EKS, and only those', async () => {
    const registry = ClusterRegistry.fromConfig(
      new ConfigReader({
        paved: {
          eks: {
            clusters: [
              { name: 'prod-eu', region: 'eu-west-1', environment: 'prod' },
            ],
          },
        },
      }),
      new EksClient({ endpoint: `${sandbox.url}/aws/eks` }),
    );
    expect(registry.list('prod').map(c => c.name)).toEqual(['prod-eu']);
    expect(await registry.connection('prod-eu')).toMatchObject({
      name: 'prod-eu',
      server: `${sandbox.tlsUrl}/k8s/prod-eu`,
      caData: Buffer.from(sandbox.caPem).toString('base64'),
    });
    expect(() => registry.get('dev-eu')).toThrow(InputError);
    expect(() => registry.get('dev-eu')).toThrow(
      'Cluster "dev-eu" is not one Paved provisions into; configured: prod-eu',
    );
    const applied = await applier.apply(
      await registry.connection('prod-eu'),
      manifests().slice(0, 1),
    );
    expect(applied).toEqual([
      expect.objectContaining({
        kind: 'Namespace',
        name: 'checkout',
        changed: true,
      }),
    ]);
  });
});
