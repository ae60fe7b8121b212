export { EntityTemplateSyncCard } from './EntityTemplateSyncCard';
