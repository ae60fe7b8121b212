import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityLookup } from './EntityLookup';

describe('EntityLookup', () => {
  it('reads an entity once with the plugin credentials and serves it from the cache for the TTL', async () => {
    const catalog = catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'orders-api', namespace: 'default' },
        },
      ],
    });
    const spy = jest.spyOn(catalog, 'getEntityByRef');
    const lookup = new EntityLookup({
      catalog,
      auth: mockServices.auth(),
      cache: CacheManager.fromConfig(
        new ConfigReader({ backend: { cache: { store: 'memory' } } }),
      ).forPlugin('runtime-health'),
      ttlMs: 60_000,
    });
    expect(
      (await lookup.get('component:default/orders-api'))?.metadata.name,
    ).toBe('orders-api');
    expect(
      (await lookup.get('component:default/orders-api'))?.metadata.name,
    ).toBe('orders-api');
    expect(spy).toHaveBeenCalledTimes(1);
    expect((spy.mock.calls[0][1] as any).credentials.principal).toMatchObject({
      type: 'service',
    });
    expect(await lookup.get('component:default/ghost')).toBeUndefined();
  });
});
