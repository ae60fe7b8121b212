import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { gitOpsServiceRef } from '../git/serviceRefs';
import { clusterRegistryServiceRef } from '../kubernetes/serviceRefs';
import { ArgoCdClients } from './ArgoCdClient';
import { ArgoCdRegistrar } from './ArgoCdRegistrar';
import { namespaceProvisionerServiceRef } from '../namespace/serviceRef';

/** The Argo CD instances of `paved.argocd.instances`; sessions are cached per instance. @public */
export const argoCdServiceRef = createServiceRef<ArgoCdClients>({
  id: 'paved.argocd',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => ArgoCdClients.fromConfig(config),
    }),
});

/** Application and AppProject registration (`paved:argocd:register`). @public */
export const argoCdRegistrarServiceRef = createServiceRef<ArgoCdRegistrar>({
  id: 'paved.argocd.registrar',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        argocd: argoCdServiceRef,
        clusters: clusterRegistryServiceRef,
        gitops: gitOpsServiceRef,
        namespaces: namespaceProvisionerServiceRef,
      },
      factory: ({ config, argocd, clusters, gitops, namespaces }) =>
        new ArgoCdRegistrar({
          argocd,
          clusters,
          gitops,
          namespaces,
          sharedNamespaces:
            config.getOptionalStringArray('paved.argocd.sharedNamespaces') ??
            [],
          syncPolicy: {
            automated:
              config.getOptionalBoolean('paved.argocd.syncPolicy.automated') ??
              true,
            prune:
              config.getOptionalBoolean('paved.argocd.syncPolicy.prune') ??
              false,
            selfHeal:
              config.getOptionalBoolean('paved.argocd.syncPolicy.selfHeal') ??
              false,
          },
        }),
    }),
});
