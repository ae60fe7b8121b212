export { runtimeHealthApiRef, type RuntimeHealthApi } from './RuntimeHealthApi';
export { RuntimeHealthClient } from './RuntimeHealthClient';
