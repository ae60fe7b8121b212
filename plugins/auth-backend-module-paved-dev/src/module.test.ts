import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import { authModulePavedDev } from './module';

async function start(provider: {
  users: string[];
  dangerouslyAllowOutsideDevelopment?: boolean;
}) {
  const backend = await startTestBackend({
    features: [
      authPlugin,
      authModulePavedDev,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: { providers: { 'paved-dev': provider } },
        },
      }),
    ],
  });
  return backend;
}

const refresh = (server: any, user: string) =>
  request(server)
    .get(`/api/auth/paved-dev/refresh?user=${encodeURIComponent(user)}`)
    .set('x-requested-with', 'XMLHttpRequest');

describe('paved-dev sign-in', () => {
  it('refuses every sign-in outside development', async () => {
    const backend = await start({ users: ['platform-admin'] });
    try {
      const r = await refresh(backend.server, 'platform-admin');
      expect(r.status).toBe(403);
      expect(r.body.error.message).toContain('development only');
    } finally {
      await backend.stop();
    }
  });

  it('signs in only as a configured user', async () => {
    const backend = await start({
      users: ['platform-admin'],
      dangerouslyAllowOutsideDevelopment: true,
    });
    try {
      const refused = await refresh(backend.server, 'ceo');
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toBe(
        'Development sign-in offers platform-admin; "ceo" is not one of them',
      );
      // A configured name is signed in through the catalog (absent here, so the resolver refuses, as in production).
      const missing = await refresh(backend.server, 'platform-admin');
      expect(missing.status).toBeGreaterThanOrEqual(400);
      expect(missing.body.backstageIdentity).toBeUndefined();
    } finally {
      await backend.stop();
    }
  });
});
