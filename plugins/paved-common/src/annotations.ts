/**
 * Annotation names that cross package boundaries. Paved's own live under `paved.dev/`; the others are the ones
 * the core and community plugins already read, so Paved's entities work with those plugins unchanged.
 */

/** Git URL (optionally `//subdirectory`) of the template source an entity was scaffolded from. @public */
export const ANNOTATION_TEMPLATE_SOURCE = 'paved.dev/template-source';
/** Template version (tag, or `git describe --tags` output for other refs) the entity is at. @public */
export const ANNOTATION_TEMPLATE_VERSION = 'paved.dev/template-version';
/** Repository-relative path of the instance's answers file (monorepos hold several). @public */
export const ANNOTATION_ANSWERS_FILE = 'paved.dev/answers-file';

/**
 * Clusters a Component deploys to: comma-separated names (or refs) of the cluster Resources. The catalog processor turns
 * them into dependsOn / dependencyOf relations.
 * @public
 */
export const ANNOTATION_CLUSTERS = 'paved.dev/clusters';
/**
 * On Kubernetes objects Paved provisions (team namespaces): the owning Group's full entity ref. The `paved.dev/owner`
 * label carries a label-safe form for selectors; this annotation is what ownership checks compare.
 * @public
 */
export const ANNOTATION_OWNER_REF = 'paved.dev/owner-ref';
/** On Argo CD Applications Paved registers: the Component's full entity ref, what ownership checks compare. @public */
export const ANNOTATION_ENTITY_REF = 'paved.dev/entity-ref';

/** Argo CD Application name (community Argo CD plugins). @public */
export const ANNOTATION_ARGOCD_APP_NAME = 'argocd/app-name';
/** Argo CD Application label selector (community Argo CD plugins). @public */
export const ANNOTATION_ARGOCD_APP_SELECTOR = 'argocd/app-selector';
/** Named Argo CD instance (`paved.argocd.instances[].name`). @public */
export const ANNOTATION_ARGOCD_INSTANCE_NAME = 'argocd/instance-name';
/** Argo CD AppProject name. @public */
export const ANNOTATION_ARGOCD_PROJECT_NAME = 'argocd/project-name';

/** Template entity an entity was scaffolded from, as Backstage's `catalog:write` records it. @public */
export const ANNOTATION_SOURCE_TEMPLATE = 'backstage.io/source-template';

/** Kubernetes plugin: value of the `backstage.io/kubernetes-id` label on the entity's workloads. @public */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** Kubernetes plugin: namespace the entity's workloads run in. @public */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';
/** Kubernetes plugin: label selector for the entity's workloads. @public */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';

/** `owner/repo` of the entity's GitHub repository. @public */
export const ANNOTATION_GITHUB_PROJECT_SLUG = 'github.com/project-slug';
/** New Relic entity GUID of the service. @public */
export const ANNOTATION_NEWRELIC_ENTITY_GUID = 'newrelic.com/entity-guid';
/** New Relic APM entity name, for entities without a guid (looked up by name). @public */
export const ANNOTATION_NEWRELIC_ENTITY_NAME = 'newrelic.com/entity-name';

/**
 * Annotations on cluster Resources, as read by `@backstage/plugin-kubernetes-backend`'s catalog cluster locator.
 * @public
 */
export const CLUSTER_ANNOTATIONS = {
  apiServer: 'kubernetes.io/api-server',
  apiServerCertificateAuthority:
    'kubernetes.io/api-server-certificate-authority',
  authProvider: 'kubernetes.io/auth-provider',
  awsClusterId: 'kubernetes.io/x-k8s-aws-id',
  awsAssumeRole: 'kubernetes.io/aws-assume-role',
  awsExternalId: 'kubernetes.io/aws-external-id',
  awsAccountId: 'amazonaws.com/account-id',
  awsArn: 'amazonaws.com/arn',
  awsRegion: 'amazonaws.com/region',
} as const;

/** `spec.type` of the Resource entities that stand for Kubernetes clusters. @public */
export const KUBERNETES_CLUSTER_RESOURCE_TYPE = 'kubernetes-cluster';
