import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  TemplateFleetResponse,
  TemplateInstanceState,
  TemplateSyncSchedule,
  TemplateSyncStatus,
} from '@paved/plugin-paved-common';

/** Filters of the fleet listing. @public */
export interface FleetQuery {
  source?: string;
  status?: TemplateSyncStatus[];
  owner?: string;
  /** Matches entity ref, title or repository. */
  q?: string;
  limit?: number;
  offset?: number;
}

/**
 * Template sync from the `template-sync` backend, which checks permissions and holds the GitHub credentials.
 * @public
 */
export interface TemplateSyncApi {
  /** An entity's sync state; undefined when template sync has not seen it yet. */
  getEntityState(
    entityRef: string,
    options?: { signal?: AbortSignal },
  ): Promise<TemplateInstanceState | undefined>;
  /** Checks the entity now and opens or refreshes its pull request; answers the new state. */
  syncEntity(entityRef: string): Promise<TemplateInstanceState>;
  /** Per-template summary and the instances matching the filters. */
  getFleet(
    query?: FleetQuery,
    options?: { signal?: AbortSignal },
  ): Promise<TemplateFleetResponse>;
  /** When the fleet job checks every instance ("every 30 minutes"). */
  getSchedule(options?: {
    signal?: AbortSignal;
  }): Promise<TemplateSyncSchedule>;
}

/** @public */
export const templateSyncApiRef = createApiRef<TemplateSyncApi>().with({
  id: 'plugin.template-sync.api',
  pluginId: 'template-sync',
});
