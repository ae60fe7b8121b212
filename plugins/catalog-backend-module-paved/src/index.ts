/**
 * Paved's catalog module: validates and enriches Paved's annotations, and discovers EKS clusters as Resources the
 * Kubernetes plugin can use.
 *
 * @packageDocumentation
 */

export { catalogModulePaved as default } from './module';
export { PavedEntityProcessor } from './processor/PavedEntityProcessor';
export type { PavedEntityProcessorOptions } from './processor/PavedEntityProcessor';
export { EksClusterEntityProvider } from './provider/EksClusterEntityProvider';
export type { ClusterEntityOptions } from './provider/clusterEntity';
export type { RuleOptions } from './processor/rules';
export type {
  EksClusterEntityProviderOptions,
  EksProviderAccount,
} from './provider/EksClusterEntityProvider';
