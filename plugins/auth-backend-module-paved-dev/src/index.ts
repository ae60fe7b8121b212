/**
 * Development sign-in as one of a few configured catalog Users, next to Backstage's guest sign-in: a newcomer can sign
 * in as a developer and as a platform admin and see what each may do under the shipped permission policy.
 *
 * @packageDocumentation
 */

export { authModulePavedDev as default } from './module';
