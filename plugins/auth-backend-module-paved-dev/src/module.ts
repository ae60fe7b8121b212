import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { authProvidersExtensionPoint } from '@backstage/plugin-auth-node';
import { devUsersProviderFactory } from './provider';

/**
 * Registers the `paved-dev` sign-in provider. The auth backend mounts it only when `auth.providers.paved-dev` is
 * configured (app-config.yaml does, for development; app-config.production.yaml never does), and the provider refuses
 * every sign-in outside NODE_ENV=development, as Backstage's guest provider does.
 * @public
 */
export const authModulePavedDev = createBackendModule({
  pluginId: 'auth',
  moduleId: 'paved-dev-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'paved-dev',
          factory: devUsersProviderFactory,
        });
      },
    });
  },
});
