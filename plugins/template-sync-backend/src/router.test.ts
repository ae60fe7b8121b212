import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { TemplateInstanceState } from '@paved/plugin-paved-common';
import express from 'express';
import request from 'supertest';
import { createRouter, summarise } from './router';
import { decide } from './service/FleetSync';

const state = (
  name: string,
  extra: Partial<TemplateInstanceState> = {},
): TemplateInstanceState => ({
  entityRef: `component:default/${name}`,
  source: 'https://github.com/acme/templates//service',
  templateName: 'service',
  answersFile: '.copier-answers.yml',
  status: 'up-to-date',
  currentVersion: 'v2.0.0',
  latestVersion: 'v2.0.0',
  ...extra,
});

const instances = [
  state('a'),
  state('b', { status: 'pull-request', currentVersion: 'v1.0.0' }),
  state('secret', { status: 'conflicts', currentVersion: 'v1.0.0' }),
];

async function app(denied: string[] = []) {
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockImplementation(async requests =>
    requests.map(r => ({
      result:
        'resourceRef' in r && denied.includes(String(r.resourceRef))
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    })),
  );
  const store = {
    get: jest.fn(async (ref: string) =>
      instances.find(i => i.entityRef === ref),
    ),
    list: jest.fn(async () => instances),
  };
  const fleet = {
    runOne: jest.fn(async (ref: string) => state(ref.split('/')[1])),
  };
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    permissions,
    store: store as any,
    fleet,
    schedule: { enabled: true, description: 'every 30 minutes' },
  });
  const server = express()
    .use(router)
    .use(
      MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger: mockServices.logger.mock(),
      }).error(),
    );
  return { server, permissions, store, fleet };
}

const auth = mockCredentials.user.header();

describe('template-sync routes', () => {
  it('checks catalog read and template-sync read on the entity before answering', async () => {
    const { server, permissions } = await app();
    const res = await request(server)
      .get('/entity/default/component/a')
      .set('authorization', auth)
      .expect(200);
    expect(res.body.entityRef).toBe('component:default/a');
    expect(permissions.authorize.mock.calls[0][0]).toEqual([
      {
        permission: expect.objectContaining({ name: 'catalog.entity.read' }),
        resourceRef: 'component:default/a',
      },
      {
        permission: expect.objectContaining({
          name: 'paved.template-sync.read',
        }),
        resourceRef: 'component:default/a',
      },
    ]);
  });

  it('answers 403 for an entity the caller may not see, without reading state', async () => {
    const { server, store } = await app(['component:default/secret']);
    const res = await request(server)
      .get('/entity/default/component/secret')
      .set('authorization', auth)
      .expect(403);
    expect(res.body.error.message).toBe(
      'You may not read the template sync state of component:default/secret',
    );
    expect(store.get).not.toHaveBeenCalled();
  });

  it('answers 403 for a run the caller may not ask for, and runs nothing', async () => {
    const { server, fleet, permissions } = await app([
      'component:default/secret',
    ]);
    await request(server)
      .post('/entity/default/component/secret/sync')
      .set('authorization', auth)
      .expect(403);
    expect(fleet.runOne).not.toHaveBeenCalled();
    expect(permissions.authorize.mock.calls[0][0][1].permission.name).toBe(
      'paved.template-sync.run',
    );
    await request(server)
      .post('/entity/default/component/a/sync')
      .set('authorization', auth)
      .expect(200);
    expect(fleet.runOne).toHaveBeenCalledWith('component:default/a');
  });

  it('leaves entities the caller may not read out of the fleet listing and its summary', async () => {
    const { server } = await app(['component:default/secret']);
    const { body } = await request(server)
      .get('/fleet')
      .set('authorization', auth)
      .expect(200);
    expect(body.total).toBe(2);
    expect(
      body.instances.map((i: TemplateInstanceState) => i.entityRef),
    ).toEqual(['component:default/a', 'component:default/b']);
    expect(body.templates[0]).toMatchObject({
      instances: 2,
      conflicted: 0,
      openPullRequests: 1,
    });
  });

  it.each([
    ['/entity/default/component/a%20b', 'Invalid entity reference: name'],
    ['/entity/-x/component/a', 'Invalid entity reference: namespace'],
    ['/fleet?limit=0', 'Invalid query: limit'],
    ['/fleet?status=up-to-date,bogus', 'Invalid query: status'],
    [`/fleet?q=${'x'.repeat(201)}`, 'Invalid query: q'],
  ])('answers 400 to %s', async (path, message) => {
    const { server, permissions } = await app();
    const res = await request(server)
      .get(path)
      .set('authorization', auth)
      .expect(400);
    expect(res.body.error.message).toContain(message);
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('tells a signed-in user the fleet schedule, and nobody else', async () => {
    const { server } = await app();
    await request(server)
      .get('/schedule')
      .set('authorization', auth)
      .expect(200, { enabled: true, description: 'every 30 minutes' });
    await request(server)
      .get('/schedule')
      .set('authorization', mockCredentials.none.header())
      .expect(401);
  });

  it('summarises versions newest first, counting what is behind, open and conflicted', () => {
    expect(
      summarise([
        ...instances,
        state('c', { status: 'error', currentVersion: undefined }),
        state('d', { status: 'declined', currentVersion: 'v1.10.0' }),
      ]),
    ).toEqual([
      {
        source: 'https://github.com/acme/templates//service',
        templateName: 'service',
        latestVersion: 'v2.0.0',
        instances: 5,
        behind: 3,
        openPullRequests: 2,
        conflicted: 1,
        errors: 1,
        versions: [
          { version: 'v2.0.0', count: 1 },
          { version: 'v1.10.0', count: 1 },
          { version: 'v1.0.0', count: 2 },
          { version: 'unknown', count: 1 },
        ],
      },
    ]);
  });
});

describe('the fleet rule', () => {
  it.each([
    [{ current: 'v2.0.0', latest: 'v2.0.0' }, 'up-to-date'],
    [{ current: 'v2.1.0', latest: 'v2.0.0' }, 'up-to-date'],
    [{ current: 'v1.0.0', latest: 'v2.0.0' }, 'update'],
    [{ current: 'v1.0.0-3-gabc1234', latest: 'v1.0.0' }, 'up-to-date'],
    [
      {
        current: 'v1.0.0',
        latest: 'v2.0.0',
        pullRequest: { version: 'v2.0.0', state: 'open' as const },
      },
      'waiting',
    ],
    [
      {
        current: 'v1.0.0',
        latest: 'v3.0.0',
        pullRequest: { version: 'v2.0.0', state: 'open' as const },
      },
      'update',
    ],
    [
      {
        current: 'v1.0.0',
        latest: 'v2.0.0',
        pullRequest: { version: 'v2.0.0', state: 'closed' as const },
      },
      'declined',
    ],
    [
      {
        current: 'v1.0.0',
        latest: 'v3.0.0',
        pullRequest: { version: 'v2.0.0', state: 'closed' as const },
      },
      'update',
    ],
    [
      {
        current: 'v1.0.0',
        latest: 'v2.0.0',
        pullRequest: { version: 'v2.0.0', state: 'merged' as const },
      },
      'update',
    ],
    [{ current: 'abc1234', latest: 'v2.0.0' }, 'update'],
  ])('%j → %s', (input, kind) => {
    expect(decide(input).kind).toBe(kind);
  });
});
