/**
 * Test helpers for code that uses Paved's clients: msw handlers that speak the real wire protocols.
 *
 * @packageDocumentation
 */
export { fakeAwsHandlers } from './eks';
export type { FakeAwsState, FakeEksCluster } from './eks';
export { unthrottledGitProviderServiceFactory } from './git';
export { ownershipForTests } from './ownership';
