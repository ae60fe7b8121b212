import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  argoCdRegistrarServiceRef,
  namespaceProvisionerServiceRef,
  ownershipServiceRef,
  templateSyncServiceRef,
} from '@paved/plugin-paved-node';
import { createArgoCdRegisterAction } from './actions/argocd/register';
import { createNamespaceProvisionAction } from './actions/namespace/provision';
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
        config: coreServices.rootConfig,
      },
      async init({
        scaffolder,
        namespaces,
        argocd,
        templates,
        ownership,
        config,
      }) {
        const integrations = ScmIntegrations.fromConfig(config);
        scaffolder.addActions(
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
