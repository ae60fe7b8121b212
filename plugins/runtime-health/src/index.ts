/**
 * Paved runtime health for Backstage: the entity Runtime tab and overview card. This entry point serves apps on the
 * legacy frontend system and shares the API; the new frontend system's plugin is the default export of `./alpha`.
 *
 * @packageDocumentation
 */
export {
  runtimeHealthPlugin,
  runtimeHealthRouteRef,
  EntityRuntimeHealthCard,
  EntityRuntimeHealthContent,
} from './plugin';
export type { EntityRuntimeHealthProps } from './plugin';
export { runtimeHealthApiRef, RuntimeHealthClient } from './api';
export type { RuntimeHealthApi } from './api';
export { isRuntimeHealthAvailable } from './lib/available';
