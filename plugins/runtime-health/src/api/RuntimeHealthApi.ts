import { createApiRef } from '@backstage/frontend-plugin-api';
import type { EntityHealth } from '@paved/plugin-paved-common';

/**
 * Reads an entity's runtime health from the `runtime-health` backend. The backend checks permissions and holds every
 * upstream credential; the browser only ever sees the combined answer.
 * @public
 */
export interface RuntimeHealthApi {
  /** The health of one entity, by its full ref (`component:default/orders-api`). */
  getEntityHealth(
    entityRef: string,
    options?: { signal?: AbortSignal },
  ): Promise<EntityHealth>;
}

/** @public */
export const runtimeHealthApiRef = createApiRef<RuntimeHealthApi>().with({
  id: 'plugin.runtime-health.api',
  pluginId: 'runtime-health',
});
