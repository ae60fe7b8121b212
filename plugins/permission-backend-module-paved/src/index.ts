/**
 * Paved's permission policy, shipped and on by default: owners read and sync their own entities' health and template
 * state, platform admins may do everything, Paved's scaffolder actions run only for members of the owner they name,
 * the Kubernetes proxy is for platform admins, the catalog stays readable unless configured otherwise.
 *
 * @packageDocumentation
 */

export { permissionModulePavedPolicy as default } from './module';
export { PavedPermissionPolicy } from './policy/PavedPermissionPolicy';
