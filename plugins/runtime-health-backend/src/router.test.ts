import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import type { HealthService } from './service/HealthService';
import { DecisionCache } from './service/DecisionCache';

const orders = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: {},
};

async function app(
  result: AuthorizeResult | AuthorizeResult[],
  decisions?: DecisionCache,
) {
  const health = {
    get: jest.fn(async () => ({
      verdict: 'healthy',
      reasons: [],
      sources: {},
    })),
  };
  const permissions = mockServices.permissions.mock({
    authorize: async requests => requests.map(() => ({ result } as any)),
  });
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    permissions,
    entities: {
      get: async (ref: string) =>
        ref === 'component:default/orders-api' ? (orders as any) : undefined,
    },
    health: health as unknown as HealthService,
    decisions,
  });
  const server = express().use(router).use(mockErrorHandler());
  return { server, health, permissions };
}

describe('runtime-health router', () => {
  it('answers the health of an entity the caller may read', async () => {
    const { server, health, permissions } = await app(AuthorizeResult.ALLOW);
    const res = await request(server)
      .get('/entity/default/component/orders-api')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.verdict).toBe('healthy');
    expect(health.get).toHaveBeenCalledWith(
      expect.objectContaining({ metadata: orders.metadata }),
    );
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({ name: 'catalog.entity.read' }),
          resourceRef: 'component:default/orders-api',
        },
        {
          permission: expect.objectContaining({
            name: 'paved.runtime-health.read',
          }),
          resourceRef: 'component:default/orders-api',
        },
      ],
      expect.anything(),
    );
  });

  it('refuses with 403 before any upstream call when permission is denied', async () => {
    const { server, health } = await app(AuthorizeResult.DENY);
    const res = await request(server)
      .get('/entity/default/component/orders-api')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'You may not read the runtime health of component:default/orders-api',
    );
    expect(health.get).not.toHaveBeenCalled();
  });

  it('refuses when the caller may read the entity but not its runtime health', async () => {
    const { server, health } = await app([
      AuthorizeResult.ALLOW,
      AuthorizeResult.DENY,
    ]);
    const res = await request(server)
      .get('/entity/default/component/orders-api')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
    expect(health.get).not.toHaveBeenCalled();
  });

  it('answers 404 for an entity the catalog does not have', async () => {
    const { server, health } = await app(AuthorizeResult.ALLOW);
    const res = await request(server)
      .get('/entity/default/component/ghost')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
    expect(health.get).not.toHaveBeenCalled();
  });

  it.each([
    '/entity/default/component/bad%20name',
    '/entity/-x/component/a',
    '/entity/default/9kind/a',
  ])('answers 400 for %s', async path => {
    const { server, health } = await app(AuthorizeResult.ALLOW);
    const res = await request(server)
      .get(path)
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(health.get).not.toHaveBeenCalled();
  });

  it('answers 401 without credentials', async () => {
    const { server } = await app(AuthorizeResult.ALLOW);
    const res = await request(server)
      .get('/entity/default/component/orders-api')
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  describe('with remembered decisions', () => {
    const path = '/entity/default/component/orders-api';
    const alice = mockCredentials.user.header('user:default/alice');
    const bob = mockCredentials.user.header('user:default/bob');

    it('asks once per token and entity within the TTL, again after it', async () => {
      let now = 1_000;
      const { server, permissions, health } = await app(
        AuthorizeResult.ALLOW,
        new DecisionCache({ ttlMs: 10_000, now: () => now }),
      );
      for (let i = 0; i < 3; i++)
        expect(
          (await request(server).get(path).set('authorization', alice)).status,
        ).toBe(200);
      expect(permissions.authorize).toHaveBeenCalledTimes(1);
      // Another token is another caller: asked again.
      await request(server).get(path).set('authorization', bob);
      expect(permissions.authorize).toHaveBeenCalledTimes(2);
      now += 10_001;
      await request(server).get(path).set('authorization', alice);
      expect(permissions.authorize).toHaveBeenCalledTimes(3);
      expect(health.get).toHaveBeenCalledTimes(5);
    });

    it('never remembers a refusal, and never a service principal', async () => {
      const refused = await app(
        AuthorizeResult.DENY,
        new DecisionCache({ ttlMs: 10_000 }),
      );
      for (let i = 0; i < 2; i++)
        expect(
          (await request(refused.server).get(path).set('authorization', alice))
            .status,
        ).toBe(403);
      expect(refused.permissions.authorize).toHaveBeenCalledTimes(2);
      const service = await app(
        AuthorizeResult.ALLOW,
        new DecisionCache({ ttlMs: 10_000 }),
      );
      for (let i = 0; i < 2; i++)
        await request(service.server)
          .get(path)
          .set('authorization', mockCredentials.service.header());
      expect(service.permissions.authorize).toHaveBeenCalledTimes(2);
    });

    it('still verifies the token on every request', async () => {
      const { server } = await app(
        AuthorizeResult.ALLOW,
        new DecisionCache({ ttlMs: 10_000 }),
      );
      await request(server).get(path).set('authorization', alice);
      expect(
        (
          await request(server)
            .get(path)
            .set('authorization', mockCredentials.none.header())
        ).status,
      ).toBe(401);
    });
  });
});
