import { cookieFetch, Sandbox, startSandbox } from './index';

jest.setTimeout(60_000);

/**
 * The sandbox's identity provider (the certified `oidc-provider`) through the authorization code flow a relying party
 * such as Backstage's OIDC sign-in runs: discovery, the sign-in page, a wrong password, the code, tokens (with a refresh
 * token), userinfo with the claims the sign-in resolver reads, refresh.
 */
describe('sandbox identity provider', () => {
  let sandbox: Sandbox;
  const client = () => sandbox.seed.oidc.clients[0];
  const redirectUri = () => client().redirectUris[0];

  beforeAll(async () => {
    sandbox = await startSandbox({ oidc: true, gitopsPolling: false });
  });
  afterAll(() => sandbox.close());

  it('signs a user in with a password and hands the portal tokens and the claims it resolves users by', async () => {
    const issuer = sandbox.oidc!.issuer;
    const metadata = await (await fetch(sandbox.oidc!.metadataUrl)).json();
    expect(metadata).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/me`,
    });
    const go = cookieFetch();
    const auth = new URL(metadata.authorization_endpoint);
    auth.search = new URLSearchParams({
      client_id: client().clientId,
      response_type: 'code',
      scope: 'openid profile email',
      redirect_uri: redirectUri(),
      state: 'state-1',
      nonce: 'nonce-1',
    }).toString();
    const toInteraction = await go(auth.toString());
    expect(toInteraction.status).toBe(303);
    const interaction = new URL(
      toInteraction.headers.get('location')!,
      issuer,
    ).toString();
    const page = await (await go(interaction)).text();
    expect(page).toContain('<form method="post"');
    const login = (username: string, password: string) =>
      go(`${interaction}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password }).toString(),
      });
    const wrong = await login('ada', 'not-her-password');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Invalid username or password.');
    const unknown = await login('mallory', 'paved-sandbox-ada');
    expect(unknown.status).toBe(401);

    const ok = await login('ada', 'paved-sandbox-ada');
    expect(ok.status).toBe(303);
    // Back to the authorization endpoint, which redirects to the portal with a code.
    const resumed = await go(new URL(ok.headers.get('location')!, issuer).href);
    const callback = new URL(resumed.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri());
    expect(callback.searchParams.get('state')).toBe('state-1');
    const code = callback.searchParams.get('code')!;

    const basic = `Basic ${Buffer.from(
      `${client().clientId}:${client().clientSecret}`,
    ).toString('base64')}`;
    const token = (body: Record<string, string>, authorization = basic) =>
      fetch(metadata.token_endpoint, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(body).toString(),
      });
    const refused = await token(
      { grant_type: 'authorization_code', code, redirect_uri: redirectUri() },
      `Basic ${Buffer.from(`${client().clientId}:wrong`).toString('base64')}`,
    );
    expect(refused.status).toBe(401);
    const tokens = await (
      await token({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri(),
      })
    ).json();
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      id_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    const idToken = JSON.parse(
      Buffer.from(tokens.id_token.split('.')[1], 'base64url').toString(),
    );
    expect(idToken).toMatchObject({
      iss: issuer,
      sub: 'ada',
      aud: client().clientId,
      nonce: 'nonce-1',
    });
    const me = await (
      await fetch(metadata.userinfo_endpoint, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      })
    ).json();
    expect(me).toMatchObject({
      sub: 'ada',
      email: 'ada@paved.example',
      name: 'Ada (Payments team)',
    });
    // The refresh token keeps the session.
    const refresh = () =>
      token({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
    const refreshed = await (await refresh()).json();
    expect(refreshed.access_token).toEqual(expect.any(String));
    // The code is single-use: replaying it fails and revokes what it gave, as OAuth 2.0 asks.
    expect(
      (
        await token({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri(),
        })
      ).status,
    ).toBe(400);
    expect((await refresh()).status).toBe(400);
  });

  it('refuses a redirect URI the client did not register', async () => {
    const res = await fetch(
      `${sandbox.oidc!.issuer}/auth?${new URLSearchParams({
        client_id: client().clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: 'https://attacker.example/callback',
      })}`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('redirect_uri');
  });
});
