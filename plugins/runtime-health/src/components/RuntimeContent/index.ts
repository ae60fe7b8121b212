export { EntityRuntimeHealthContent } from './EntityRuntimeHealthContent';
