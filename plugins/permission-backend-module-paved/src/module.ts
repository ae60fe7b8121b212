import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ownershipServiceRef } from '@paved/plugin-paved-node';
import { PavedPermissionPolicy } from './policy/PavedPermissionPolicy';

/**
 * The permission backend's policy: {@link PavedPermissionPolicy}, configured by `paved.permissions`.
 * @public
 */
export const permissionModulePavedPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'paved-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        ownership: ownershipServiceRef,
        logger: coreServices.logger,
      },
      async init({ policy, ownership, logger }) {
        policy.setPolicy(new PavedPermissionPolicy({ ownership, logger }));
      },
    });
  },
});
