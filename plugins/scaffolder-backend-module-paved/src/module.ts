import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { namespaceProvisionerServiceRef } from '@paved/plugin-paved-node';
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
      },
      async init({ scaffolder, namespaces }) {
        scaffolder.addActions(
          createNamespaceProvisionAction({ provisioner: namespaces }),
        );
      },
    });
  },
});
