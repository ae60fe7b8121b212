import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { gitOpsServiceRef } from '../git/serviceRefs';
import {
  clusterRegistryServiceRef,
  kubernetesApplierServiceRef,
} from '../kubernetes/serviceRefs';
import { NamespacePolicy } from './NamespacePolicy';
import { NamespaceProvisioner } from './NamespaceProvisioner';

/** Team namespace provisioning with the policy from `paved.namespaces`. @public */
export const namespaceProvisionerServiceRef =
  createServiceRef<NamespaceProvisioner>({
    id: 'paved.namespaces',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          clusters: clusterRegistryServiceRef,
          applier: kubernetesApplierServiceRef,
          gitops: gitOpsServiceRef,
        },
        factory: ({ config, clusters, applier, gitops }) =>
          new NamespaceProvisioner({
            policy: NamespacePolicy.fromConfig(config),
            clusters,
            applier,
            gitops,
          }),
      }),
  });
