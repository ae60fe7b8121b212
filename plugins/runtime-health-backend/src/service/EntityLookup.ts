import type { AuthService, CacheService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Entities by ref, read with the plugin's own credentials and cached for the health TTL. Callers are authorised
 * separately on every request (catalog read and runtime-health read, in one permissions call), so the cache holds
 * no caller's view: only which annotations an entity has, which is what the sources need.
 */
export class EntityLookup {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      cache: CacheService;
      ttlMs: number;
    },
  ) {}

  async get(entityRef: string): Promise<Entity | undefined> {
    const key = `entity:${entityRef}`;
    const cached = (await this.options.cache
      .get(key)
      .catch(() => undefined)) as Entity | undefined;
    if (cached) return cached;
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
    if (entity) {
      await this.options.cache
        .set(key, entity as any, { ttl: this.options.ttlMs })
        .catch(() => undefined);
    }
    return entity;
  }
}
