export { templateSyncApiRef } from './TemplateSyncApi';
export type { FleetQuery, TemplateSyncApi } from './TemplateSyncApi';
export { TemplateSyncClient } from './TemplateSyncClient';
