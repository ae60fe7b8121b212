import { ownershipForTests } from '@paved/plugin-paved-node/testUtils';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ClusterRegistry,
  EksClient,
  GitOpsWriter,
  GitProviders,
  KubernetesApplier,
  NamespacePolicy,
  NamespaceProvisioner,
} from '@paved/plugin-paved-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { JsonObject } from '@backstage/types';
import { parse } from 'yaml';
import { createNamespaceProvisionAction } from './provision';
import { examples } from './provision.examples';

const API = 'https://api.github.com/repos/acme/gitops';
const config = new ConfigReader({
  integrations: { github: [{ host: 'github.com', token: 'ghp_unit' }] },
  paved: {
    gitops: { repoUrl: 'https://github.com/acme/gitops' },
    eks: {
      clusters: [
        { name: 'dev-eu', region: 'eu-west-1', environment: 'dev' },
        { name: 'prod-eu', region: 'eu-west-1', environment: 'prod' },
      ],
    },
    namespaces: {
      reservedNames: ['platform-*', 'monitoring'],
      tiers: {
        gpu: {
          quota: { 'requests.nvidia.com/gpu': 2, pods: 10 },
          limits: {
            defaultRequest: { cpu: '1', memory: '1Gi' },
            default: { cpu: '2', memory: '2Gi' },
            max: { cpu: '8', memory: '32Gi' },
          },
        },
      },
    },
  },
});

/**
 * The action over real paved-node classes: GitHub is msw, Kubernetes a spy that is only read from here (gitops mode
 * reads the live namespace too) and never written to; the clusters have no such namespace.
 */
function setup() {
  const applier = {
    apply: jest.fn(),
    get: jest.fn(async () => undefined),
  } as unknown as jest.Mocked<KubernetesApplier>;
  const eks = new EksClient();
  const clusters = ClusterRegistry.fromConfig(config, eks);
  jest
    .spyOn(clusters, 'connection')
    .mockImplementation(async name => ({ name } as any));
  const provisioner = new NamespaceProvisioner({
    policy: NamespacePolicy.fromConfig(config),
    clusters,
    applier,
    gitops: GitOpsWriter.fromConfig(
      config,
      GitProviders.fromConfig(config, mockServices.logger.mock(), {
        writeMinTimeMs: 0,
      }),
    ),
  });
  return {
    applier,
    action: createNamespaceProvisionAction({
      provisioner,
      ownership: ownershipForTests(),
    }),
  };
}

const valid = {
  name: 'payments-dev',
  owner: 'group:default/payments',
  environment: 'dev',
};

describe('paved:namespace:provision', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const github: string[] = [];
  beforeEach(() => {
    github.length = 0;
    server.use(
      http.all('https://api.github.com/*', ({ request }) => {
        github.push(`${request.method} ${new URL(request.url).pathname}`);
        return HttpResponse.json({ message: 'unexpected' }, { status: 500 });
      }),
    );
  });

  describe('bad input: a clear InputError, nothing read or written', () => {
    const corpus: Array<[string, Record<string, unknown>, RegExp]> = [
      ['no input at all', {}, /name: Required/],
      ['missing name', { ...valid, name: undefined }, /name: Required/],
      ['missing owner', { ...valid, owner: undefined }, /owner: Required/],
      ['name is a number', { ...valid, name: 42 }, /name: Expected string/],
      [
        'empty name',
        { ...valid, name: '' },
        /name: String must contain at least 1/,
      ],
      [
        'name over 63 characters',
        { ...valid, name: 'a'.repeat(64) },
        /name: String must contain at most 63/,
      ],
      [
        'upper-case name',
        { ...valid, name: 'Payments' },
        /must be at most 63 lower-case/,
      ],
      [
        'name with underscore',
        { ...valid, name: 'pay_ments' },
        /lower-case letters/,
      ],
      [
        'name starting with a dash',
        { ...valid, name: '-payments' },
        /starting and ending/,
      ],
      [
        'name ending with a dash',
        { ...valid, name: 'payments-' },
        /starting and ending/,
      ],
      [
        'name with a dot',
        { ...valid, name: 'pay.ments' },
        /lower-case letters/,
      ],
      ['name with a slash', { ...valid, name: '../etc' }, /lower-case letters/],
      [
        'reserved: default',
        { ...valid, name: 'default' },
        /reserved \(default\)/,
      ],
      [
        'reserved: kube-system',
        { ...valid, name: 'kube-system' },
        /reserved \(kube-\*\)/,
      ],
      [
        'reserved: kube-anything',
        { ...valid, name: 'kube-payments' },
        /reserved/,
      ],
      ['reserved: argocd', { ...valid, name: 'argocd' }, /reserved \(argocd\)/],
      [
        'reserved by config (prefix)',
        { ...valid, name: 'platform-tools' },
        /reserved \(platform-\*\)/,
      ],
      [
        'reserved by config (exact)',
        { ...valid, name: 'monitoring' },
        /reserved \(monitoring\)/,
      ],
      [
        'owner is a user',
        { ...valid, owner: 'user:default/jane' },
        /owner must be a Group/,
      ],
      [
        'owner is not a ref',
        { ...valid, owner: 'group:' },
        /is not an entity ref/,
      ],
      [
        'owner is an object',
        { ...valid, owner: { kind: 'Group' } },
        /owner: Expected string/,
      ],
      [
        'unknown tier',
        { ...valid, tier: 'huge' },
        /tier "huge" is not one of small, medium, large, gpu/,
      ],
      [
        'unknown cluster',
        { ...valid, environment: undefined, clusters: ['mars-1'] },
        /Cluster "mars-1" is not one Paved provisions into/,
      ],
      [
        'cluster listed twice',
        { ...valid, environment: undefined, clusters: ['dev-eu', 'dev-eu'] },
        /lists a cluster twice/,
      ],
      [
        'empty cluster list',
        { ...valid, environment: undefined, clusters: [] },
        /clusters: Array must contain at least 1/,
      ],
      [
        'clusters and environment',
        { ...valid, clusters: ['dev-eu'] },
        /either clusters or environment, not both/,
      ],
      [
        'neither clusters nor environment',
        { ...valid, environment: undefined },
        /give clusters or an environment/,
      ],
      [
        'environment without clusters',
        { ...valid, environment: 'staging' },
        /no configured cluster serves environment "staging"/,
      ],
      [
        'mode not offered',
        { ...valid, mode: 'kubectl' },
        /mode: Invalid enum value/,
      ],
      [
        'unknown input field',
        { ...valid, namespaceName: 'x' },
        /Unrecognized key\(s\) in object: 'namespaceName'/,
      ],
      [
        'label value too long',
        { ...valid, labels: { team: 'x'.repeat(64) } },
        /label team="x+" has an invalid value/,
      ],
      [
        'label value with spaces',
        { ...valid, labels: { team: 'a b' } },
        /has an invalid value/,
      ],
      [
        'label value not a string',
        { ...valid, labels: { replicas: 3 } },
        /labels.replicas: Expected string/,
      ],
      [
        'invalid label key',
        { ...valid, labels: { 'bad key': 'x' } },
        /label key "bad key" is not a valid Kubernetes key/,
      ],
      [
        'label overriding ownership',
        { ...valid, labels: { 'paved.dev/owner': 'someone' } },
        /label key "paved.dev\/owner" is reserved/,
      ],
      [
        'label claiming managed-by',
        { ...valid, labels: { 'app.kubernetes.io/managed-by': 'me' } },
        /is reserved/,
      ],
      [
        'kubernetes.io label',
        { ...valid, labels: { 'kubernetes.io/metadata.name': 'x' } },
        /is reserved/,
      ],
      [
        'annotation overriding owner-ref',
        {
          ...valid,
          annotations: { 'paved.dev/owner-ref': 'group:default/other' },
        },
        /annotation key "paved.dev\/owner-ref" is reserved/,
      ],
      [
        'annotation smuggling a role',
        {
          ...valid,
          annotations: {
            'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x',
          },
        },
        /is reserved/,
      ],
      [
        'role ARN of a user',
        { ...valid, workloadRoleArn: 'arn:aws:iam::111111111111:user/jane' },
        /is not an IAM role ARN/,
      ],
      [
        'role ARN with a short account',
        { ...valid, workloadRoleArn: 'arn:aws:iam::1111:role/x' },
        /is not an IAM role ARN/,
      ],
      [
        'role ARN that is not an ARN',
        { ...valid, workloadRoleArn: 'orders-role' },
        /is not an IAM role ARN/,
      ],
      [
        'viewer group with spaces',
        { ...valid, viewerGroups: ['read only'] },
        /viewer group "read only"/,
      ],
      [
        'empty viewer group',
        { ...valid, viewerGroups: [''] },
        /viewer group ""/,
      ],
    ];

    it('has at least 30 cases', () =>
      expect(corpus.length).toBeGreaterThanOrEqual(30));

    it.each(corpus)('%s', async (_case, input, message) => {
      const { action, applier } = setup();
      const ctx = createMockActionContext({ input: input as any });
      const error = await action.handler(ctx).then(
        () => undefined,
        e => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
      expect(ctx.output).not.toHaveBeenCalled();
      expect(applier.apply).not.toHaveBeenCalled();
      expect(applier.get).not.toHaveBeenCalled();
      expect(github).toEqual([]);
    });

    it('lists every problem at once', async () => {
      const { action } = setup();
      await expect(
        action.handler(
          createMockActionContext({
            input: {
              name: 'Bad',
              owner: 'user:jane',
              tier: 'huge',
              environment: 'dev',
            },
          }),
        ),
      ).rejects.toThrow(/lower-case.*; owner must be a Group.*; tier "huge"/);
    });
  });

  it('dry run outputs the manifests and touches nothing', async () => {
    const { action, applier } = setup();
    // createMockActionContext does not pass isDryRun through.
    const ctx = {
      ...createMockActionContext({
        input: { ...valid, tier: 'gpu', mode: 'apply' },
      }),
      isDryRun: true,
    } as any;
    await action.handler(ctx);
    const manifests = (ctx.output as jest.Mock).mock.calls.find(
      ([name]) => name === 'manifests',
    )![1] as string;
    const kinds = manifests.split('---\n').map(d => parse(d).kind);
    expect(kinds).toEqual([
      'Namespace',
      'ResourceQuota',
      'LimitRange',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'RoleBinding',
      'ServiceAccount',
    ]);
    expect(parse(manifests.split('---\n')[1]).spec.hard).toEqual({
      'requests.nvidia.com/gpu': '2',
      pods: '10',
    });
    expect(ctx.output).toHaveBeenCalledWith('clusters', ['dev-eu']);
    expect(applier.apply).not.toHaveBeenCalled();
    expect(applier.get).not.toHaveBeenCalled();
    expect(github).toEqual([]);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'example runs (dry run): %s',
    async (_description, example) => {
      const { action } = setup();
      const input = parse(example).steps[0].input;
      const filled = Object.fromEntries(
        Object.entries(input).map(([k, v]) => [
          k,
          typeof v === 'string' && v.includes('${{')
            ? {
                name: 'web',
                owner: 'group:default/web',
                environment: 'prod',
                tier: 'large',
              }[k]
            : v,
        ]),
      );
      const ctx = {
        ...createMockActionContext({ input: filled as JsonObject }),
        isDryRun: true,
      } as any;
      await action.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('namespace', filled.name);
    },
  );

  it('gitops mode refuses a namespace the GitOps repository holds for another team, writing nothing', async () => {
    const foreign = [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: payments-dev',
      '  annotations:',
      '    paved.dev/owner-ref: group:default/fraud',
    ].join('\n');
    server.use(
      http.get(`${API}/contents/:path+`, ({ params }) =>
        (params.path as string[]).join('/') ===
        'clusters/dev-eu/namespaces/payments-dev.yaml'
          ? HttpResponse.json({
              type: 'file',
              content: Buffer.from(foreign).toString('base64'),
            })
          : HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
      ),
    );
    const { action } = setup();
    const error = await action
      .handler(createMockActionContext({ input: { ...valid, mode: 'gitops' } }))
      .catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      'Namespace payments-dev already exists on dev-eu in the GitOps repository and belongs to group:default/fraud, not group:default/payments',
    );
    expect(github).toEqual([]);
  });

  it('gitops mode refuses a namespace the live cluster holds for another team, though the GitOps repository has none', async () => {
    // The case: the live `orders` namespace of orders-team, never committed to the GitOps repository.
    server.use(
      http.get(`${API}/contents/:path+`, () =>
        HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
      ),
    );
    const { action, applier } = setup();
    applier.get.mockImplementation(async () => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'payments-dev',
        annotations: { 'paved.dev/owner-ref': 'group:default/orders-team' },
      },
    }));
    const error = await action
      .handler(createMockActionContext({ input: { ...valid, mode: 'gitops' } }))
      .catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      'Namespace payments-dev already exists on cluster dev-eu and belongs to group:default/orders-team, not group:default/payments',
    );
    expect(github.filter(r => !r.startsWith('GET '))).toEqual([]);
    expect(applier.apply).not.toHaveBeenCalled();
  });
});
