/**
 * Paved template sync in the portal: the entity Template card and the Template fleet page (new frontend system,
 * default export), with the API and components for apps that mount them themselves.
 *
 * @packageDocumentation
 */
export {
  templateSyncPlugin as default,
  templateSyncPlugin,
  templateSyncApi,
  entityTemplateSyncCard,
  templateSyncFleetPage,
  templateSyncFleetRouteRef,
} from './plugin';
export { templateSyncApiRef, TemplateSyncClient } from './api';
export type { FleetQuery, TemplateSyncApi } from './api';
export { EntityTemplateSyncCard } from './components/TemplateSyncCard';
export { TemplateSyncFleetPage } from './components/FleetPage';
export { isTemplateInstance } from './lib/present';
