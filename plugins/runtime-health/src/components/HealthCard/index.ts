export { EntityRuntimeHealthCard } from './EntityRuntimeHealthCard';
