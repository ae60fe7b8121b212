import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { fleet, withPullRequest } from '../__testUtils__/fixtures';
import { TemplateSyncClient } from './TemplateSyncClient';

const base = 'http://backstage.test/api/template-sync';
const server = setupServer();
registerMswTestHooks(server);

const client = () =>
  new TemplateSyncClient({
    discoveryApi: { getBaseUrl: async () => base },
    fetchApi: {
      fetch: (input: any, init?: RequestInit) =>
        fetch(input, {
          ...init,
          headers: { ...init?.headers, authorization: 'Bearer user-token' },
        }),
    },
  });

describe('TemplateSyncClient', () => {
  it("reads an entity's state with the user's token, escaping the path", async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${base}/entity/*`, ({ request }) => {
        seen.push(
          `${new URL(request.url).pathname} ${request.headers.get(
            'authorization',
          )}`,
        );
        return HttpResponse.json(withPullRequest);
      }),
    );
    await expect(client().getEntityState('component:orders')).resolves.toEqual(
      withPullRequest,
    );
    await client().getEntityState('component:shop/a?b');
    expect(seen).toEqual([
      '/api/template-sync/entity/default/component/orders Bearer user-token',
      '/api/template-sync/entity/shop/component/a%3Fb Bearer user-token',
    ]);
  });

  it("answers undefined for an entity template sync has not seen, and throws the backend's refusals", async () => {
    server.use(
      http.get(`${base}/entity/default/component/new`, () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'not seen' } },
          { status: 404 },
        ),
      ),
      http.get(`${base}/entity/default/component/secret`, () =>
        HttpResponse.json(
          // Backstage's error middleware answers in this shape.
          {
            error: { name: 'NotAllowedError', message: 'You may not' },
            request: { method: 'GET', url: '/entity/default/component/secret' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await expect(
      client().getEntityState('component:new'),
    ).resolves.toBeUndefined();
    const error = await client()
      .getEntityState('component:secret')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('You may not');
  });

  it('asks for a run with POST and returns the new state', async () => {
    let method = '';
    server.use(
      http.post(
        `${base}/entity/default/component/orders/sync`,
        ({ request }) => {
          method = request.method;
          return HttpResponse.json(withPullRequest);
        },
      ),
    );
    await expect(
      client().syncEntity('component:default/orders'),
    ).resolves.toEqual(withPullRequest);
    expect(method).toBe('POST');
  });

  it('sends the fleet filters as query parameters', async () => {
    let search = '';
    server.use(
      http.get(`${base}/fleet`, ({ request }) => {
        search = new URL(request.url).search;
        return HttpResponse.json(fleet);
      }),
    );
    await client().getFleet({
      source: 'https://x/y//z',
      status: ['error', 'conflicts'],
      owner: 'group:default/a',
      q: 'pay',
      limit: 50,
      offset: 50,
    });
    expect(Object.fromEntries(new URLSearchParams(search))).toEqual({
      source: 'https://x/y//z',
      status: 'error,conflicts',
      owner: 'group:default/a',
      q: 'pay',
      limit: '50',
      offset: '50',
    });
    await client().getFleet();
    expect(search).toBe('');
  });

  it("reads the fleet job's schedule with the user's token", async () => {
    server.use(
      http.get(`${base}/schedule`, ({ request }) =>
        request.headers.get('authorization') === 'Bearer user-token'
          ? HttpResponse.json({ enabled: true, description: 'every day' })
          : new HttpResponse(null, { status: 401 }),
      ),
    );
    await expect(client().getSchedule()).resolves.toEqual({
      enabled: true,
      description: 'every day',
    });
  });
});
