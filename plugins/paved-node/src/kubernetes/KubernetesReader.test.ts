import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { EksTokenProvider } from '../eks/EksTokenProvider';
import { KubernetesReader } from './KubernetesReader';

const SERVER = 'https://deveu.gr7.eu-west-1.eks.amazonaws.com';
const cluster = { name: 'dev-eu', region: 'eu-west-1', server: SERVER };

describe('KubernetesReader (msw)', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const reader = new KubernetesReader(
    new EksTokenProvider({
      defaultCredentials: async () => ({
        accessKeyId: 'AKIAUNIT',
        secretAccessKey: 'unit-secret',
      }),
    }),
  );

  it('lists Deployments and Pods by label selector in a namespace, with an EKS token', async () => {
    const seen: string[] = [];
    server.use(
      http.get(
        `${SERVER}/apis/apps/v1/namespaces/orders/deployments`,
        ({ request }) => {
          seen.push(
            `${new URL(request.url).searchParams.get(
              'labelSelector',
            )} ${request.headers.get('authorization')?.slice(0, 18)}`,
          );
          return HttpResponse.json({
            kind: 'DeploymentList',
            apiVersion: 'apps/v1',
            metadata: {},
            items: [{ metadata: { name: 'orders-api' } }],
          });
        },
      ),
      http.get(`${SERVER}/api/v1/namespaces/orders/pods`, () =>
        HttpResponse.json({
          kind: 'PodList',
          apiVersion: 'v1',
          metadata: {},
          items: [{ metadata: { name: 'p1' } }, { metadata: { name: 'p2' } }],
        }),
      ),
    );
    const result = await reader.workloads(cluster, {
      labelSelector: 'backstage.io/kubernetes-id=orders-api',
      namespace: 'orders',
    });
    expect(result.deployments.map(d => d.metadata?.name)).toEqual([
      'orders-api',
    ]);
    expect(result.pods.map(p => p.metadata?.name)).toEqual(['p1', 'p2']);
    expect(seen).toEqual([
      'backstage.io/kubernetes-id=orders-api Bearer k8s-aws-v1.',
    ]);
  });

  it('reads across namespaces when none is given', async () => {
    server.use(
      http.get(`${SERVER}/apis/apps/v1/deployments`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${SERVER}/api/v1/pods`, () => HttpResponse.json({ items: [] })),
    );
    await expect(
      reader.workloads(cluster, { labelSelector: 'app=x' }),
    ).resolves.toEqual({ deployments: [], pods: [] });
  });

  it('surfaces a failing API server with its status code', async () => {
    server.use(
      http.get(`${SERVER}/apis/apps/v1/namespaces/orders/deployments`, () =>
        HttpResponse.json(
          {
            kind: 'Status',
            status: 'Failure',
            code: 503,
            message: 'unavailable',
          },
          { status: 503 },
        ),
      ),
      http.get(`${SERVER}/api/v1/namespaces/orders/pods`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await expect(
      reader.workloads(cluster, {
        labelSelector: 'app=x',
        namespace: 'orders',
      }),
    ).rejects.toMatchObject({ code: 503 });
  });
});
