import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { EksClient } from './EksClient';

/**
 * The shared EKS client. Root-scoped, so every plugin reuses the same SDK clients and assumed-role credentials.
 * @public
 */
export const eksServiceRef = createServiceRef<EksClient>({
  id: 'paved.eks',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => EksClient.fromConfig(config),
    }),
});
