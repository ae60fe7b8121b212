import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  argoCdRegistrarServiceRef,
  namespaceProvisionerServiceRef,
} from '@paved/plugin-paved-node';
import { createArgoCdRegisterAction } from './actions/argocd/register';
import { createNamespaceProvisionAction } from './actions/namespace/provision';

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
      },
      async init({ scaffolder, namespaces, argocd }) {
        scaffolder.addActions(
          createNamespaceProvisionAction({ provisioner: namespaces }),
          createArgoCdRegisterAction({ registrar: argocd }),
        );
      },
    });
  },
});
