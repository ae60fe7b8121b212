import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { healthy } from '../__testUtils__/fixtures';
import { RuntimeHealthClient } from './RuntimeHealthClient';

const base = 'http://backstage.test/api/runtime-health';
const server = setupServer();
registerMswTestHooks(server);

const client = (token = 'user-token') =>
  new RuntimeHealthClient({
    discoveryApi: { getBaseUrl: async () => base },
    // Backstage's fetch API adds the user's token; this stands in for it.
    fetchApi: {
      fetch: (input: any, init?: RequestInit) =>
        fetch(input, {
          ...init,
          headers: { ...init?.headers, authorization: `Bearer ${token}` },
        }),
    },
  });

describe('RuntimeHealthClient', () => {
  it("asks the backend for the entity's health with the user's token", async () => {
    const seen: { path?: string; auth?: string | null } = {};
    server.use(
      http.get(`${base}/entity/:namespace/:kind/:name`, ({ request }) => {
        seen.path = new URL(request.url).pathname;
        seen.auth = request.headers.get('authorization');
        return HttpResponse.json(healthy);
      }),
    );
    await expect(
      client().getEntityHealth('component:shop/orders-api'),
    ).resolves.toEqual(healthy);
    expect(seen).toEqual({
      path: '/api/runtime-health/entity/shop/component/orders-api',
      auth: 'Bearer user-token',
    });
  });

  it('fills in the default namespace and escapes each part of the path', async () => {
    let path = '';
    server.use(
      http.get(`${base}/entity/*`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json(healthy);
      }),
    );
    await client().getEntityHealth('component:orders-api');
    expect(path).toBe(
      '/api/runtime-health/entity/default/component/orders-api',
    );
    await client().getEntityHealth('component:default/a?b');
    expect(path).toBe('/api/runtime-health/entity/default/component/a%3Fb');
  });

  it("turns a refusal into a ResponseError carrying the backend's message", async () => {
    server.use(
      http.get(`${base}/entity/*`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'You may not read it' },
            request: { method: 'GET', url: '/entity/default/component/x' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await client()
      .getEntityHealth('component:default/x')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.body.error.message).toBe('You may not read it');
  });
});
