import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ArgoCdClients } from './ArgoCdClient';

const A = 'https://argocd-a.example.com';
const B = 'https://argocd-b.example.com';
const SECRET = 'argocd-canary-secret-123';

function clients(extra: Record<string, unknown> = {}) {
  return ArgoCdClients.fromConfig(
    new ConfigReader({
      paved: {
        argocd: {
          instances: [
            { name: 'a', url: A, token: SECRET, timeoutMs: 200 },
            {
              name: 'b',
              url: B,
              username: 'admin',
              password: SECRET,
              uiUrl: 'https://cd.example.com',
            },
          ],
          ...extra,
        },
      },
    }),
  );
}

describe('ArgoCdClients', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('refuses an instance without credentials: there are no defaults', () => {
    expect(() =>
      ArgoCdClients.fromConfig(
        new ConfigReader({
          paved: { argocd: { instances: [{ name: 'x', url: A }] } },
        }),
      ),
    ).toThrow(
      'paved.argocd.instances: x needs a token, or a username and password',
    );
  });

  it('selects instances by name, defaulting to the configured default, and names the valid ones', () => {
    expect(clients().get().config.name).toBe('a');
    expect(clients({ defaultInstance: 'b' }).get().config.name).toBe('b');
    expect(() => clients().get('c')).toThrow(
      new InputError(
        'Argo CD instance "c" is not configured; configured: a, b',
      ),
    );
  });

  it('sends the token as a bearer token and reads an application', async () => {
    server.use(
      http.get(`${A}/api/v1/applications/orders`, ({ request }) =>
        request.headers.get('authorization') === `Bearer ${SECRET}`
          ? HttpResponse.json({ metadata: { name: 'orders' }, spec: {} })
          : HttpResponse.json({ code: 16 }, { status: 401 }),
      ),
    );
    await expect(
      clients().get('a').getApplication('orders'),
    ).resolves.toMatchObject({
      metadata: { name: 'orders' },
    });
  });

  it('logs in once for a session, and logs in again when the session expires', async () => {
    let logins = 0;
    let valid = '';
    server.use(
      http.post(`${B}/api/v1/session`, async ({ request }) => {
        const body = (await request.json()) as {
          username: string;
          password: string;
        };
        expect(body).toEqual({ username: 'admin', password: SECRET });
        valid = `session-${++logins}`;
        return HttpResponse.json({ token: valid });
      }),
      http.get(`${B}/api/v1/projects/:name`, ({ request, params }) =>
        request.headers.get('authorization') === `Bearer ${valid}`
          ? HttpResponse.json({ metadata: { name: params.name }, spec: {} })
          : HttpResponse.json(
              {
                error: 'invalid session',
                code: 16,
                message: 'invalid session',
              },
              { status: 401 },
            ),
      ),
    );
    const b = clients().get('b');
    await b.getProject('p1');
    await b.getProject('p2');
    expect(logins).toBe(1);
    valid = 'expired-elsewhere';
    await expect(b.getProject('p3')).resolves.toMatchObject({
      metadata: { name: 'p3' },
    });
    expect(logins).toBe(2);
  });

  it.each([
    [403, 7, 'permission denied', NotAllowedError],
    [400, 3, 'application spec is invalid', InputError],
    [503, 14, 'unavailable', ServiceUnavailableError],
  ])(
    'maps HTTP %p / gRPC code %p to a typed error',
    async (status, code, message, type) => {
      server.use(
        http.get(`${A}/api/v1/applications/orders`, () =>
          HttpResponse.json({ error: message, code, message }, { status }),
        ),
      );
      const error = await clients()
        .get('a')
        .getApplication('orders')
        .catch(e => e);
      expect(error).toBeInstanceOf(type);
      expect(error.message).toBe(
        `Argo CD instance a: GET /api/v1/applications/orders?appNamespace=argocd failed: ${message}`,
      );
    },
  );

  it('reads a missing application (404, gRPC NotFound) as absent', async () => {
    server.use(
      http.get(`${A}/api/v1/applications/orders`, () =>
        HttpResponse.json(
          { error: 'not found', code: 5, message: 'not found' },
          { status: 404 },
        ),
      ),
    );
    await expect(
      clients().get('a').getApplication('orders'),
    ).resolves.toBeUndefined();
  });

  it('gives up within the configured timeout with a clear error', async () => {
    server.use(
      http.get(`${A}/api/v1/applications/slow`, async () => {
        await delay(2_000);
        return HttpResponse.json({});
      }),
    );
    const error = await clients()
      .get('a')
      .getApplication('slow')
      .catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      'Argo CD instance a did not answer GET /api/v1/applications/slow?appNamespace=argocd within 200 ms',
    );
  });

  it('never puts a token or password in an error', async () => {
    server.use(
      http.post(`${B}/api/v1/session`, () =>
        HttpResponse.json(
          {
            error: 'Invalid username or password',
            code: 16,
            message: 'Invalid username or password',
          },
          { status: 401 },
        ),
      ),
    );
    const error = await clients()
      .get('b')
      .getProject('p')
      .catch(e => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(
      JSON.stringify({ message: error.message, stack: error.stack }),
    ).not.toContain(SECRET);
  });

  it('links to the UI URL when there is one', () => {
    expect(clients().get('b').applicationUrl('orders')).toBe(
      'https://cd.example.com/applications/argocd/orders',
    );
    expect(clients().get('a').applicationUrl('orders')).toBe(
      `${A}/applications/argocd/orders`,
    );
  });
});
