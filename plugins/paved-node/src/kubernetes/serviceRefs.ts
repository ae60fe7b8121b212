import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { EksTokenProvider } from '../eks/EksTokenProvider';
import { eksServiceRef } from '../eks/serviceRef';
import { ClusterRegistry } from './ClusterRegistry';
import { KubernetesApplier } from './KubernetesApplier';
import { KubernetesReader } from './KubernetesReader';

/**
 * EKS IAM tokens, cached until shortly before expiry and minted with the same assumed-role credentials as the EKS
 * client. Tokens are secrets: never log them.
 * @public
 */
export const eksTokenServiceRef = createServiceRef<EksTokenProvider>({
  id: 'paved.eks.token',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { eks: eksServiceRef },
      factory: ({ eks }) =>
        new EksTokenProvider({ credentials: eks.credentials }),
    }),
});

/** The clusters Paved may write to (`paved.eks.clusters`), resolved through EKS. @public */
export const clusterRegistryServiceRef = createServiceRef<ClusterRegistry>({
  id: 'paved.clusters',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, eks: eksServiceRef },
      factory: ({ config, eks }) => ClusterRegistry.fromConfig(config, eks),
    }),
});

/** Server-side apply to EKS clusters with Paved's field manager. @public */
export const kubernetesApplierServiceRef = createServiceRef<KubernetesApplier>({
  id: 'paved.kubernetes.applier',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, tokens: eksTokenServiceRef },
      factory: ({ config, tokens }) =>
        new KubernetesApplier({
          tokens,
          timeoutMs: config.getOptionalNumber('paved.namespaces.timeoutMs'),
        }),
    }),
});

/** Workload reads (Deployments, Pods) by label selector with EKS tokens. @public */
export const kubernetesReaderServiceRef = createServiceRef<KubernetesReader>({
  id: 'paved.kubernetes.reader',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { tokens: eksTokenServiceRef },
      factory: ({ tokens }) => new KubernetesReader(tokens),
    }),
});
