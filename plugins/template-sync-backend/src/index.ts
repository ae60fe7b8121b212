/**
 * Paved's template-sync backend plugin (plugin id `template-sync`): the fleet job and its routes.
 *
 * @packageDocumentation
 */
export { templateSyncPlugin as default } from './plugin';
