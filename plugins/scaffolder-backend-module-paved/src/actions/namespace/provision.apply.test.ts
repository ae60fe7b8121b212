import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ClusterRegistry,
  EksClient,
  EksTokenProvider,
  GitOpsWriter,
  GitProviders,
  KubernetesApplier,
  NamespacePolicy,
  NamespaceProvisioner,
} from '@paved/plugin-paved-node';
import {
  fakeAwsHandlers,
  ownershipForTests,
} from '@paved/plugin-paved-node/testUtils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { createNamespaceProvisionAction } from './provision';

const SERVER = 'https://deveu.gr7.eu-west-1.eks.amazonaws.com';

/** The API resources client-node 1.4.0 discovers before it patches an object. */
const DISCOVERY: Record<string, Array<[string, string, boolean]>> = {
  '/api/v1': [
    ['namespaces', 'Namespace', false],
    ['resourcequotas', 'ResourceQuota', true],
    ['limitranges', 'LimitRange', true],
    ['serviceaccounts', 'ServiceAccount', true],
  ],
  '/apis/networking.k8s.io/v1': [['networkpolicies', 'NetworkPolicy', true]],
  '/apis/rbac.authorization.k8s.io/v1': [['rolebindings', 'RoleBinding', true]],
};

/**
 * Apply mode against msw: the wire contract of what the action sends to EKS and to the Kubernetes API server
 * (server-side apply, field manager, EKS token for the right cluster), with stored objects so a re-run converges.
 */
describe('paved:namespace:provision apply mode (msw contract)', () => {
  const server = setupServer(
    ...fakeAwsHandlers({
      defaultAccountId: '111111111111',
      clusters: { '111111111111': { 'eu-west-1': [{ name: 'dev-eu' }] } },
    }),
  );
  registerMswTestHooks(server);

  const objects = new Map<string, any>();
  const patches: Array<{
    path: string;
    query: string;
    type: string | null;
    auth: string;
  }> = [];
  let version = 0;

  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAUNITTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'unit-secret';
  });
  beforeEach(() => {
    objects.clear();
    patches.length = 0;
    server.use(
      http.get(`${SERVER}/:prefix*`, ({ request }) => {
        const path = new URL(request.url).pathname;
        const resources = DISCOVERY[path];
        if (resources)
          return HttpResponse.json({
            kind: 'APIResourceList',
            groupVersion: path.replace(/^\/apis?\//, ''),
            resources: resources.map(([name, kind, namespaced]) => ({
              name,
              kind,
              namespaced,
              singularName: '',
              verbs: ['get', 'list', 'patch'],
            })),
          });
        const stored = objects.get(path);
        return stored
          ? HttpResponse.json(stored)
          : HttpResponse.json(
              {
                kind: 'Status',
                apiVersion: 'v1',
                status: 'Failure',
                reason: 'NotFound',
                code: 404,
              },
              { status: 404 },
            );
      }),
      http.patch(`${SERVER}/:prefix*`, async ({ request }) => {
        const url = new URL(request.url);
        patches.push({
          path: url.pathname,
          query: url.search,
          type: request.headers.get('content-type'),
          auth: request.headers.get('authorization') ?? '',
        });
        const body = parse(await request.text());
        const before = objects.get(url.pathname);
        const same =
          before &&
          JSON.stringify({
            ...before,
            metadata: { ...before.metadata, resourceVersion: undefined },
          }) ===
            JSON.stringify({
              ...body,
              metadata: { ...body.metadata, resourceVersion: undefined },
            });
        const stored = same
          ? before
          : {
              ...body,
              metadata: {
                ...body.metadata,
                resourceVersion: String(++version),
              },
            };
        objects.set(url.pathname, stored);
        return HttpResponse.json(stored);
      }),
    );
  });

  function action() {
    const config = new ConfigReader({
      paved: {
        eks: {
          clusters: [
            { name: 'dev-eu', region: 'eu-west-1', environment: 'dev' },
          ],
        },
      },
    });
    const eks = new EksClient();
    return createNamespaceProvisionAction({
      ownership: ownershipForTests(),
      provisioner: new NamespaceProvisioner({
        policy: NamespacePolicy.fromConfig(config),
        clusters: ClusterRegistry.fromConfig(config, eks),
        applier: new KubernetesApplier({
          tokens: new EksTokenProvider({ credentials: eks.credentials }),
        }),
        gitops: GitOpsWriter.fromConfig(
          config,
          GitProviders.fromConfig(config, mockServices.logger.mock()),
        ),
      }),
    });
  }

  const input = {
    name: 'payments',
    owner: 'group:default/payments',
    clusters: ['dev-eu'],
    mode: 'apply',
  };

  it('server-side applies every object with field manager paved and an EKS token for the cluster', async () => {
    const ctx = createMockActionContext({ input });
    await action().handler(ctx as any);
    expect(patches.map(p => p.path)).toEqual([
      '/api/v1/namespaces/payments',
      '/api/v1/namespaces/payments/resourcequotas/paved-quota',
      '/api/v1/namespaces/payments/limitranges/paved-limits',
      '/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies/default-deny-ingress',
      '/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies/allow-same-namespace',
      '/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies/allow-from-ingress',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings/paved-team-edit',
      '/api/v1/namespaces/payments/serviceaccounts/workload',
    ]);
    for (const patch of patches) {
      expect(patch.type).toBe('application/apply-patch+yaml');
      expect(new URLSearchParams(patch.query).get('fieldManager')).toBe(
        'paved',
      );
      expect(new URLSearchParams(patch.query).get('force')).toBe('false');
      expect(patch.auth).toMatch(/^Bearer k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    }
    const presigned = Buffer.from(
      patches[0].auth.slice('Bearer k8s-aws-v1.'.length),
      'base64url',
    ).toString();
    expect(presigned).toMatch(
      /^https:\/\/sts\.eu-west-1\.amazonaws\.com\/\?Action=GetCallerIdentity/,
    );
    expect(presigned).toContain('X-Amz-SignedHeaders=host%3Bx-k8s-aws-id');
    expect(ctx.output).toHaveBeenCalledWith(
      'objects',
      expect.arrayContaining([
        {
          cluster: 'dev-eu',
          kind: 'Namespace',
          name: 'payments',
          changed: true,
        },
      ]),
    );
  });

  it('converges: the second run reports nothing changed', async () => {
    await action().handler(createMockActionContext({ input }) as any);
    const ctx = createMockActionContext({ input });
    await action().handler(ctx as any);
    const objectsOut = (ctx.output as jest.Mock).mock.calls.find(
      ([n]) => n === 'objects',
    )![1];
    expect(objectsOut).toHaveLength(8);
    expect(objectsOut.every((o: { changed: boolean }) => !o.changed)).toBe(
      true,
    );
  });

  it('refuses a namespace created outside Paved and patches nothing', async () => {
    objects.set('/api/v1/namespaces/payments', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'payments', resourceVersion: '7' },
    });
    await expect(
      action().handler(createMockActionContext({ input }) as any),
    ).rejects.toThrow(
      new ConflictError(
        'Namespace payments already exists on cluster dev-eu and belongs to someone outside Paved, not group:default/payments',
      ),
    );
    expect(patches).toEqual([]);
  });
});
