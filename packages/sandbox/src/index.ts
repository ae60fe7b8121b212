/**
 * Paved's sandbox: local, protocol-faithful stand-ins for the services Paved talks to, so development, the demo
 * portal and tests run with the real clients and no cloud account. Never used in production.
 *
 * @packageDocumentation
 */

export { startSandbox } from './server';
export { cookieFetch } from './browser';
export type { Sandbox, SandboxSnapshot } from './server';
export { defaultSeed } from './seed';
export {
  DEV_TEMPLATE_SOURCE,
  renderedServiceFixture,
  serviceTemplateFixture,
  withPlatform,
  withTemplates,
} from './fixtures';
export type { SeedRepo } from './fixtures';
export type { SandboxSeed } from './seed';
export type { Fault, Faults } from './faults';
export type { Handler, SandboxRequest, SandboxResponse } from './http';
export type { OidcClient, OidcUser } from './oidc';
export { sandboxConfig } from './config';
