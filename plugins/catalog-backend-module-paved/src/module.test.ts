import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import {
  fakeAwsHandlers,
  FakeAwsState,
} from '@paved/plugin-paved-node/testUtils';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { catalogModulePaved } from './module';

const state: FakeAwsState = {
  defaultAccountId: '111111111111',
  clusters: {
    '111111111111': {
      'eu-west-1': [{ name: 'Prod_EU', tags: { owner: 'group:payments' } }],
    },
  },
};

describe('catalogModulePaved', () => {
  // Only AWS is faked; the backend's own HTTP calls (catalog ↔ kubernetes) go through.
  const server = setupServer(...fakeAwsHandlers(state));
  beforeAll(() => {
    server.listen({ onUnhandledRequest: 'bypass' });
    process.env.AWS_ACCESS_KEY_ID = 'AKIADEFAULTIDENTITY';
    process.env.AWS_SECRET_ACCESS_KEY = 'default-secret';
  });
  afterAll(() => server.close());

  it('discovers EKS clusters into the catalog, where the Kubernetes plugin’s catalog locator finds them', async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModulePaved,
        kubernetesPlugin,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              providers: {
                pavedEks: {
                  main: {
                    accounts: [
                      { accountId: '111111111111', regions: ['eu-west-1'] },
                    ],
                    defaultOwner: 'group:platform-team',
                    schedule: {
                      frequency: { minutes: 30 },
                      timeout: { minutes: 1 },
                    },
                  },
                },
              },
            },
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              // No DNS here: the locator's public-address check is skipped for EKS endpoints, as it must be for
              // private EKS endpoints in production too.
              clusterLocatorMethods: [
                {
                  type: 'catalog',
                  dangerouslyAllowClusterUrls: ['*.eks.amazonaws.com'],
                },
              ],
            },
          },
        }),
      ],
    });
    try {
      const get = (path: string) =>
        request(backend.server)
          .get(path)
          .set('Authorization', mockCredentials.user.header());

      let entity: any;
      for (let i = 0; i < 120 && !entity; i++) {
        const res = await get(
          '/api/catalog/entities/by-name/resource/default/prod-eu',
        );
        if (res.status === 200) entity = res.body;
        else await new Promise(r => setTimeout(r, 250));
      }
      expect(entity).toMatchObject({
        kind: 'Resource',
        metadata: {
          title: 'Prod_EU',
          annotations: { 'kubernetes.io/x-k8s-aws-id': 'Prod_EU' },
        },
        spec: { type: 'kubernetes-cluster', owner: 'group:payments' },
      });

      const clusters = await get('/api/kubernetes/clusters');
      expect(clusters.status).toBe(200);
      expect(clusters.body.items).toEqual([
        expect.objectContaining({
          name: 'prod-eu',
          title: 'Prod_EU',
          authProvider: 'aws',
        }),
      ]);
    } finally {
      await backend.stop();
    }
  }, 60_000);
});
