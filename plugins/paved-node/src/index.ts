/**
 * Paved's shared backend clients, as Backstage service refs: every Paved plugin gets the same cached credentials and
 * SDK clients.
 *
 * @packageDocumentation
 */

export { EksClient } from './eks/EksClient';
export type { EksAccess, EksCluster, EksClientOptions } from './eks/EksClient';
export { eksServiceRef } from './eks/serviceRef';
export { createEksToken, EksTokenProvider } from './eks/EksTokenProvider';
export { AwsCredentials } from './eks/credentials';
export {
  namespaceManifests,
  ManifestError,
  refLabel,
} from './lib/namespace/manifests';
export type { Manifest, NamespaceRequest } from './lib/namespace/manifests';
export { DEFAULT_TIERS } from './lib/namespace/presets';
export { KubernetesApplier } from './kubernetes/KubernetesApplier';
export type {
  AppliedObject,
  ClusterConnection,
} from './kubernetes/KubernetesApplier';
export { ClusterRegistry } from './kubernetes/ClusterRegistry';
export type { ConfiguredCluster } from './kubernetes/ClusterRegistry';
export type { TierPreset } from './lib/namespace/presets';
export type { CredentialsProvider } from './eks/credentials';
export type { EksToken } from './eks/EksTokenProvider';
export {
  eksTokenServiceRef,
  clusterRegistryServiceRef,
  kubernetesApplierServiceRef,
  kubernetesReaderServiceRef,
} from './kubernetes/serviceRefs';
export { KubernetesReader, kubeConfigFor } from './kubernetes/KubernetesReader';
export { GithubGitProvider } from './git/GithubGitProvider';
export type { GithubGitProviderOptions } from './git/GithubGitProvider';
export { PlainGitProvider } from './git/PlainGitProvider';
export { GitProviders } from './git/GitProviders';
export { GitOpsWriter } from './git/GitOpsWriter';
export type { GitOpsTarget } from './git/GitOpsWriter';
export { gitProviderServiceRef, gitOpsServiceRef } from './git/serviceRefs';
export type * from './git/types';
export { NamespacePolicy } from './namespace/NamespacePolicy';
export { NamespaceProvisioner } from './namespace/NamespaceProvisioner';
export {
  namespaceBranch,
  namespaceFile,
  NamespaceOwnership,
} from './namespace/NamespaceOwnership';
export type { NamespaceRecord } from './namespace/NamespaceOwnership';
export type {
  NamespacePlan,
  NamespaceProvisionRequest,
} from './namespace/NamespaceProvisioner';
export { namespaceProvisionerServiceRef } from './namespace/serviceRef';
export { ArgoCdClients, ArgoCdInstance } from './argocd/ArgoCdClient';
export type { ArgoCdInstanceConfig, ArgoCdObject } from './argocd/ArgoCdClient';
export { ArgoCdRegistrar, isSubset } from './argocd/ArgoCdRegistrar';
export type {
  ArgoCdAppPlan,
  ArgoCdChange,
  ArgoCdGitOpsChange,
  ArgoCdPlan,
  ArgoCdRegistrationRequest,
} from './argocd/ArgoCdRegistrar';
export {
  appProjectManifest,
  applicationManifest,
} from './lib/argocd/manifests';
export type { ArgoCdRegistration, SyncPolicy } from './lib/argocd/manifests';
export {
  argoCdServiceRef,
  argoCdRegistrarServiceRef,
} from './argocd/serviceRefs';
export { NewRelicClient } from './newrelic/NewRelicClient';
export type { NewRelicConfig } from './newrelic/NewRelicClient';
export { newRelicServiceRef } from './newrelic/serviceRef';
export { toYamlDocuments } from './lib/yaml';
export { TemplateSync } from './templateSync/TemplateSync';
export type {
  InstanceUpdateRequest,
  InstanceUpdateResult,
  TemplateRender,
} from './templateSync/TemplateSync';
export { readTemplateSyncSettings, syncBranch } from './templateSync/config';
export { canonicalSource, isAllowedSource } from './templateSync/sources';
export type { CanonicalSource } from './templateSync/sources';
export type { TemplateSyncSettings } from './templateSync/config';
export {
  githubGitCredentials,
  gitCredentialsFromConfig,
} from './templateSync/credentials';
export { pullRequestText, templateName } from './templateSync/pullRequestText';
export { templateSyncServiceRef } from './templateSync/serviceRef';
export { writeProvenance } from './templateSync/catalogInfo';
export { OwnershipService, taskCaller } from './ownership/OwnershipService';
export type { Caller } from './ownership/OwnershipService';
export { ownershipServiceRef } from './ownership/serviceRef';
export { readPermissionSettings, fullRef } from './ownership/config';
export type { PermissionSettings } from './ownership/config';
