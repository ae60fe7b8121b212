export { TemplateSyncFleetPage } from './TemplateSyncFleetPage';
