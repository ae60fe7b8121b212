/**
 * Test helpers for code that uses Paved's clients: msw handlers that speak the real wire protocols.
 *
 * @packageDocumentation
 */
export { fakeAwsHandlers } from './eks';
export type { FakeAwsState, FakeEksCluster } from './eks';
export { unthrottledGitProviderServiceFactory } from './git';
export { ownershipForTests } from './ownership';
// The types these helpers take and return, so this entry point's API stands on its own.
export type { Caller, OwnershipService } from '../ownership/OwnershipService';
export type { PermissionSettings } from '../ownership/config';
export type * from '../git/types';
