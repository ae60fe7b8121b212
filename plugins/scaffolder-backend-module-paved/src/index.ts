/**
 * Paved's scaffolder actions: `paved:namespace:provision` (and, as they land, Argo CD registration and template
 * fetch/update).
 *
 * @packageDocumentation
 */

export { scaffolderModulePaved as default } from './module';
export { createNamespaceProvisionAction } from './actions/namespace/provision';
export { createArgoCdRegisterAction } from './actions/argocd/register';
export { createTemplateFetchAction } from './actions/template/fetch';
export { createTemplateUpdateAction } from './actions/template/update';
export { createTemplateAdoptAction } from './actions/template/adopt';
