import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import runtimeHealthPlugin from '@paved/plugin-runtime-health-backend';
import templateSyncPlugin from '@paved/plugin-template-sync-backend';
import request from 'supertest';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import authPlugin from '@backstage/plugin-auth-backend';
import authModulePavedDev from '@paved/plugin-auth-backend-module-paved-dev';
import { type Sandbox, sandboxConfig, startSandbox } from '@paved/sandbox';
import permissionModulePavedPolicy from '@paved/plugin-permission-backend-module-paved';

jest.setTimeout(60_000);

/**
 * The shipped policy with Backstage's real permission backend, the real catalog (which applies the policy's
 * conditions) and Paved's routes: nothing here is a mocked PermissionsService.
 */
describe('the shipped permission policy on a real backend', () => {
  let server: any;
  let stop: () => Promise<void>;
  let sandbox: Sandbox;
  const env = { ...process.env };

  beforeAll(async () => {
    const file = path.join(__dirname, '__testUtils__/org.yaml');
    sandbox = await startSandbox();
    process.env.AWS_ACCESS_KEY_ID = sandbox.seed.aws.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = sandbox.seed.aws.secretAccessKey;
    const base = sandboxConfig(sandbox);
    const backend = await startTestBackend({
      features: [
        // Real auth: plugin-to-plugin calls carry the user as Backstage does in production, and the catalog's
        // apply-conditions endpoint sees the permission backend, not a mock token.
        authServiceFactory,
        httpAuthServiceFactory,
        userInfoServiceFactory,
        authPlugin,
        authModulePavedDev,
        catalogPlugin,
        permissionPlugin,
        permissionModulePavedPolicy,
        runtimeHealthPlugin,
        templateSyncPlugin,
        kubernetesPlugin,
        mockServices.rootConfig.factory({
          data: {
            ...base,
            app: { baseUrl: 'http://localhost:3000' },
            auth: {
              providers: {
                'paved-dev': {
                  users: ['alice', 'bob', 'carol', 'dave'],
                  dangerouslyAllowOutsideDevelopment: true,
                },
              },
            },
            permission: { enabled: true },
            // A cluster nobody listens on: the proxy's permission decides first; a let-through request then fails upstream.
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'dev-eu',
                      url: 'http://127.0.0.1:9',
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'unused',
                    },
                  ],
                },
              ],
            },
            catalog: {
              rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
              locations: [{ type: 'file', target: file }],
              processingInterval: { seconds: 1 },
            },
            paved: {
              ...base.paved,
              permissions: { platformAdmins: ['group:default/platform-team'] },
              templateSync: { enabled: false },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    // The catalog processes its file location in the background: wait until the org is in.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await request(server)
        .get('/api/auth/paved-dev/refresh?user=dave')
        .set('x-requested-with', 'XMLHttpRequest');
      if (r.status === 200) break;
      if (Date.now() > deadline)
        throw new Error(`catalog never loaded: ${r.status} ${r.text}`);
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  });

  afterAll(async () => {
    await stop?.();
    await sandbox?.close();
    process.env = env;
  });

  const tokens = new Map<string, string>();
  /** A real Backstage token for a catalog User, from the auth backend. */
  const tokenOf = async (user: string) => {
    if (!tokens.has(user)) {
      const r = await request(server)
        .get(`/api/auth/paved-dev/refresh?user=${user}`)
        .set('x-requested-with', 'XMLHttpRequest');
      if (r.status !== 200) throw new Error(`sign-in of ${user}: ${r.text}`);
      tokens.set(user, r.body.backstageIdentity.token);
    }
    return tokens.get(user)!;
  };
  const get = async (user: string, url: string) =>
    request(server)
      .get(url)
      .set('authorization', `Bearer ${await tokenOf(user)}`);
  const post = async (user: string, url: string) =>
    request(server)
      .post(url)
      .set('authorization', `Bearer ${await tokenOf(user)}`);

  const health = '/api/runtime-health/entity/default/component/payments-api';
  const sync = '/api/template-sync/entity/default/component/payments-api';

  it.each([
    ['alice', 'a member of the owner'],
    ['dave', 'a member of a child team of the owner'],
    ['carol', 'a platform admin through a child team'],
  ])('lets %s (%s) read health and template state', async user => {
    expect((await get(user, health)).status).toBe(200);
    // Allowed through the permission, then the store has no state: 404, not 403.
    expect((await get(user, sync)).status).toBe(404);
  });

  it("refuses another team's entity although the catalog shows it (partial denial → 403)", async () => {
    expect(
      (
        await get(
          'bob',
          '/api/catalog/entities/by-name/component/default/payments-api',
        )
      ).status,
    ).toBe(200);
    const refused = await get('bob', health);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'You may not read the runtime health of component:default/payments-api',
    );
    expect((await get('bob', sync)).status).toBe(403);
    expect((await post('bob', `${sync}/sync`)).status).toBe(403);
  });

  it('shows a team its own entity, not the other', async () => {
    expect(
      (
        await get(
          'bob',
          '/api/runtime-health/entity/default/component/orders-api',
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await get(
          'alice',
          '/api/runtime-health/entity/default/component/orders-api',
        )
      ).status,
    ).toBe(403);
  });

  it("does not count another team's workloads for an entity whose annotations point at them", async () => {
    const r = await get(
      'bob',
      '/api/runtime-health/entity/default/component/orders-spy',
    );
    expect(r.status).toBe(200);
    const { kubernetes, argocd } = r.body.sources;
    const counted = kubernetes.data.clusters.flatMap((c: any) => c.workloads);
    const refused = kubernetes.data.clusters.flatMap(
      (c: any) => c.unattributed ?? [],
    );
    expect(counted).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].reason).toMatch(
      /belongs to group:default\/payments-team/,
    );
    expect(argocd.data.apps).toEqual([]);
    expect(argocd.data.unattributed.length).toBeGreaterThan(0);
  });

  it("limits Backstage's Kubernetes proxy (it writes to clusters) to platform admins", async () => {
    const proxy = async (user: string) =>
      request(server)
        .post('/api/kubernetes/proxy/api/v1/namespaces')
        .set('authorization', `Bearer ${await tokenOf(user)}`)
        .set('Backstage-Kubernetes-Cluster', 'dev-eu')
        .send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
    for (const user of ['alice', 'bob', 'dave']) {
      const refused = await proxy(user);
      expect({ user, status: refused.status }).toEqual({ user, status: 403 });
    }
    // The admin is let through the permission: the request reaches the (absent) cluster and fails there instead.
    const admin = await proxy('carol');
    expect(admin.status).not.toBe(403);
    expect(admin.status).toBeGreaterThanOrEqual(500);
  });
});
