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

const orders = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: {},
};

async function app(result: AuthorizeResult | AuthorizeResult[]) {
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
});
