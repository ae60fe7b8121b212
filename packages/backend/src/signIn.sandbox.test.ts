import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import authPlugin from '@backstage/plugin-auth-backend';
import githubProvider from '@backstage/plugin-auth-backend-module-github-provider';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import oidcProvider from '@backstage/plugin-auth-backend-module-oidc-provider';
import authModulePavedDev from '@paved/plugin-auth-backend-module-paved-dev';
import { cookieFetch, type Sandbox, startSandbox } from '@paved/sandbox';
import { parse } from 'yaml';

jest.setTimeout(60_000);

const root = path.resolve(__dirname, '../../..');

/** app-config.production.yaml's `auth` with its `${VARIABLES}` filled in, as the backend would read it. */
function productionAuth(env: Record<string, string>) {
  const text = fs
    .readFileSync(path.join(root, 'app-config.production.yaml'), 'utf8')
    .replace(/\$\{([A-Z_]+)\}/g, (_, name) => {
      if (!(name in env)) return `unset-${name}`;
      return env[name];
    });
  return parse(text).auth;
}

const ORG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: payments-team }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: ada }
spec:
  profile: { displayName: Ada, email: ada@paved.example }
  memberOf: [payments-team]
`;

/**
 * Sign-in as production configures it (app-config.production.yaml's `auth`, `auth.environment: production`), on the
 * real auth backend with every sign-in module Paved's backend installs and the real catalog: OIDC against the sandbox's
 * identity provider (the certified `oidc-provider`) signs ada in as the catalog User with her email and her Group;
 * guest and the development sign-in are refused; a user the catalog does not have is refused.
 */
describe('production sign-in', () => {
  let sandbox: Sandbox;
  let base: string;
  let stop: () => Promise<void>;
  let dir: string;
  const callbackUrl = 'http://localhost:7007/api/auth/oidc/handler/frame';

  beforeAll(async () => {
    sandbox = await startSandbox({ oidc: true, gitopsPolling: false });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-sign-in-'));
    fs.writeFileSync(path.join(dir, 'org.yaml'), ORG);
    const client = sandbox.seed.oidc.clients[0];
    const auth = productionAuth({
      AUTH_OIDC_METADATA_URL: sandbox.oidc!.metadataUrl,
      AUTH_OIDC_CLIENT_ID: client.clientId,
      AUTH_OIDC_CLIENT_SECRET: client.clientSecret,
      AUTH_SESSION_SECRET: 'a-test-session-secret',
    });
    // The only change: the IdP knows the portal's usual callback, this backend listens on another port.
    auth.providers.oidc.production.callbackUrl = callbackUrl;
    const backend = await startTestBackend({
      features: [
        authPlugin,
        oidcProvider,
        githubProvider,
        guestProvider,
        authModulePavedDev,
        catalogPlugin,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: {
              ...auth,
              // What app-config.yaml adds and production keeps.
              providers: {
                ...auth.providers,
                guest: { userEntityRef: 'user:default/guest' },
                'paved-dev': { users: ['ada'] },
              },
            },
            catalog: {
              rules: [{ allow: ['Group', 'User'] }],
              locations: [{ type: 'file', target: path.join(dir, 'org.yaml') }],
              processingInterval: { seconds: 1 },
            },
          },
        }),
      ],
    });
    const address = backend.server.address() as { port: number };
    base = `http://localhost:${address.port}`;
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop?.();
    await sandbox?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the popup flow: start → the IdP's sign-in page → the portal's handler; answers the portal's refresh. */
  async function oidcSignIn(username: string, password: string) {
    const go = cookieFetch();
    const start = await go(
      `${base}/api/auth/oidc/start?scope=${encodeURIComponent(
        'openid profile email',
      )}&env=production&origin=${encodeURIComponent(
        'http://localhost:3000',
      )}&flow=popup`,
    );
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(
      `${sandbox.oidc!.issuer}/auth`,
    );
    expect(authorize.searchParams.get('redirect_uri')).toBe(callbackUrl);
    const toPage = await go(authorize.href);
    const page = new URL(toPage.headers.get('location')!, authorize).href;
    await go(page);
    const login = await go(`${page}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    if (login.status !== 303) return { refused: await login.text() };
    const resumed = await go(
      new URL(login.headers.get('location')!, page).href,
    );
    const callback = new URL(resumed.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(callbackUrl);
    // The IdP sent the browser to the portal's callback: this backend answers it.
    const frame = await go(
      `${base}/api/auth/oidc/handler/frame${callback.search}`,
    );
    const html = await frame.text();
    const refresh = await go(`${base}/api/auth/oidc/refresh?env=production`);
    return { frame: html, status: frame.status, refresh };
  }

  it('signs ada in through OIDC as user:default/ada, with her Group among her claims', async () => {
    // The catalog loads its file in the background: retry until ada is there.
    let result: Awaited<ReturnType<typeof oidcSignIn>> | undefined;
    const deadline = Date.now() + 30_000;
    for (;;) {
      result = await oidcSignIn('ada', 'paved-sandbox-ada');
      if (result.refresh?.status === 200 || Date.now() > deadline) break;
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    expect(result.refresh?.status).toBe(200);
    const body = await result.refresh!.json();
    expect(body.profile).toMatchObject({ email: 'ada@paved.example' });
    expect(body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/ada',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/ada',
        'group:default/payments-team',
      ]),
    });
  });

  it('refuses a wrong password at the IdP, and a user the catalog does not have at the portal', async () => {
    expect((await oidcSignIn('ada', 'wrong')).refused).toContain(
      'Invalid username or password.',
    );
    // omar is the IdP's, not this catalog's: the resolver finds no User with his email.
    const omar = await oidcSignIn('omar', 'paved-sandbox-omar');
    // The popup's answer to the portal (posted to the opener): an error, no identity.
    const answer = JSON.parse(
      decodeURIComponent(
        /decodeURIComponent\('([^']*)'\)/.exec(omar.frame ?? '')![1],
      ),
    );
    expect(answer).toEqual({
      type: 'authorization_response',
      error: {
        name: 'Error',
        message: expect.stringContaining(
          'Failed to sign-in, unable to resolve user identity',
        ),
      },
    });
    expect(omar.refresh?.status).not.toBe(200);
  });

  it('refuses guest and the development sign-in in production', async () => {
    const go = cookieFetch();
    const guest = await go(`${base}/api/auth/guest/refresh?env=production`, {
      method: 'POST',
    });
    expect(guest.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(await guest.json())).toMatch(/development/i);
    const dev = await go(
      `${base}/api/auth/paved-dev/refresh?user=ada&env=production`,
    );
    expect(dev.status).toBeGreaterThanOrEqual(400);
    // GitHub sign-in is installed and configured (it redirects to github.com, which is unreachable here).
    const github = await go(
      `${base}/api/auth/github/start?env=production&origin=${encodeURIComponent(
        'http://localhost:3000',
      )}&scope=read:user`,
    );
    expect(github.status).toBe(302);
    expect(github.headers.get('location')).toMatch(
      /^https:\/\/github\.com\/login\/oauth\/authorize\?/,
    );
  });
});
