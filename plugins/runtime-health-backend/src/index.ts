export { runtimeHealthPlugin as default } from './plugin';
