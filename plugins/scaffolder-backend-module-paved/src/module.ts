import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  argoCdRegistrarServiceRef,
  gitProviderServiceRef,
  namespaceProvisionerServiceRef,
  ownershipServiceRef,
  templateSyncServiceRef,
} from '@paved/plugin-paved-node';
import { createArgoCdRegisterAction } from './actions/argocd/register';
import { createCatalogRegisterAction } from './actions/catalog/register';
import { createNamespaceProvisionAction } from './actions/namespace/provision';
import { createPreflightAction } from './actions/preflight/preflight';
import { createTemplateAdoptAction } from './actions/template/adopt';
import { createTemplateFetchAction } from './actions/template/fetch';
import { createTemplateUpdateAction } from './actions/template/update';

/**
 * Paved's scaffolder actions. Wiring only: the clients are the shared paved-node services.
 * @public
 */
export const scaffolderModulePaved = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paved',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        namespaces: namespaceProvisionerServiceRef,
        argocd: argoCdRegistrarServiceRef,
        templates: templateSyncServiceRef,
        ownership: ownershipServiceRef,
        git: gitProviderServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
      },
      async init({
        scaffolder,
        namespaces,
        argocd,
        templates,
        ownership,
        git,
        catalog,
        auth,
        config,
      }) {
        const integrations = ScmIntegrations.fromConfig(config);
        scaffolder.addActions(
          createPreflightAction({
            catalog,
            auth,
            git,
            namespaces,
            registrar: argocd,
            ownership,
            integrations,
          }),
          createCatalogRegisterAction({ catalog, integrations, auth }),
          createTemplateFetchAction({ templates, ownership }),
          createTemplateUpdateAction({ templates, integrations, ownership }),
          createTemplateAdoptAction({ templates, integrations, ownership }),
          createNamespaceProvisionAction({
            provisioner: namespaces,
            ownership,
          }),
          createArgoCdRegisterAction({
            registrar: argocd,
            integrations,
            ownership,
          }),
        );
      },
    });
  },
});
