// The sandbox's OpenID Provider: `oidc-provider` (a certified OpenID Provider implementation) with the sandbox's
// users and clients, and a sign-in page of its own. Started by src/oidc.ts as a child process (the package is
// ESM-only); it prints one line `{"issuer": "<url>"}` when it listens, and stops on SIGTERM or when its parent's
// stdin closes. Development and tests only, like the rest of the sandbox.
//
//   PAVED_OIDC_CONFIG='{"host":"127.0.0.1","port":0,"users":[…],"clients":[…]}' node oidc/provider.mjs
import crypto from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.PAVED_OIDC_CONFIG ?? '{}');
const users = new Map((config.users ?? []).map(u => [u.username, u]));

const escape = text =>
  String(text).replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]),
  );

function signInPage(res, uid, client, message) {
  res.writeHead(message ? 401 : 200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in — Paved sandbox identity provider</title>
<style>body{font-family:sans-serif;max-width:24rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.4rem 0}
input{padding:.4rem}button{padding:.5rem}.error{color:#b00020}</style></head>
<body><main><h1>Sign in</h1><p>to ${escape(
    client,
  )} (Paved sandbox identity provider, development only)</p>
${message ? `<p class="error" role="alert">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></main></body></html>`);
}

const readForm = req =>
  new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', chunk => {
      body += chunk;
      if (body.length > 10_000) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });

const { privateKey } = crypto.generateKeyPairSync('rsa', {
  modulusLength: 2048,
});
const jwk = {
  ...privateKey.export({ format: 'jwk' }),
  use: 'sig',
  alg: 'RS256',
  kid: 'sandbox',
};

let provider;
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const interaction = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
  if (!interaction) {
    provider.callback()(req, res);
    return;
  }
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== interaction[1]) throw new Error('interaction mismatch');
    const clientId = details.params.client_id;
    if (!interaction[2] || req.method !== 'POST') {
      signInPage(res, details.uid, clientId);
      return;
    }
    const form = await readForm(req);
    const user = users.get(form.get('username') ?? '');
    const given = Buffer.from(form.get('password') ?? '');
    const expected = Buffer.from(user?.password ?? '');
    if (
      !user ||
      given.length !== expected.length ||
      !crypto.timingSafeEqual(given, expected)
    ) {
      signInPage(res, details.uid, clientId, 'Invalid username or password.');
      return;
    }
    // The sandbox's clients are first-party: the requested scopes are granted without a consent page.
    const grant = new provider.Grant({ accountId: user.username, clientId });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.username }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  } catch (error) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`Sign-in failed: ${error.message}`);
  }
});

server.listen(config.port ?? 0, config.host ?? '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://${config.host ?? '127.0.0.1'}:${port}`;
  provider = new Provider(issuer, {
    clients: (config.clients ?? []).map(c => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      groups: ['groups'],
    },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
    async findAccount(ctx, id) {
      const user = users.get(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          email: user.email,
          email_verified: true,
          name: user.name,
          preferred_username: id,
          groups: user.groups ?? [],
        }),
      };
    },
    interactions: {
      url: (ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    features: { devInteractions: { enabled: false } },
    // Portals keep their sessions across reloads with refresh tokens, which Backstage asks for without
    // `offline_access`; the sandbox's clients get one whenever they may use the grant.
    issueRefreshToken: async (ctx, client) =>
      client.grantTypeAllowed('refresh_token'),
    pkce: { required: () => false },
    ttl: {
      AccessToken: 3600,
      IdToken: 3600,
      RefreshToken: 86400,
      Session: 86400,
      Interaction: 600,
      Grant: 86400,
    },
  });
  provider.on('server_error', (ctx, error) =>
    console.error(`oidc: ${error.message}`),
  );
  console.log(JSON.stringify({ issuer }));
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
