import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { OwnershipService } from './OwnershipService';

/**
 * Who a user may act for and who is a platform admin (`paved.permissions`), from the catalog: shared by Paved's
 * permission policy and every Paved action.
 * @public
 */
export const ownershipServiceRef = createServiceRef<OwnershipService>({
  id: 'paved.ownership',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        cache: coreServices.cache,
        logger: coreServices.logger,
      },
      factory: ({ config, ...deps }) =>
        OwnershipService.fromConfig(config, deps),
    }),
});
