import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_NEWRELIC_ENTITY_GUID,
  ANNOTATION_NEWRELIC_ENTITY_NAME,
} from './annotations';

/**
 * Types of the runtime-health API (`GET /api/runtime-health/entity/:namespace/:kind/:name`), shared by the
 * backend that builds them and the frontend that shows them.
 */

/**
 * One verdict per entity. `not-deployed`: Argo CD and Kubernetes answered and nothing of the entity runs anywhere
 * (or on none of its `paved.dev/clusters`); `partially-deployed`: some expected clusters run nothing; `unknown` when no
 * source could say anything — never `healthy` for lack of evidence.
 * @public
 */
export type HealthVerdict =
  | 'healthy'
  | 'degraded'
  | 'down'
  | 'partially-deployed'
  | 'not-deployed'
  | 'unknown';

/**
 * How much of the picture the verdict saw: `full` when every configured source answered, `partial` when some failed or
 * timed out (the verdict stands on the rest), `none` when none answered.
 * @public
 */
export type HealthConfidence = 'full' | 'partial' | 'none';

/**
 * Where the entity runs, against where it should (`paved.dev/clusters`). A cluster is deployed when a workload of the
 * entity runs there or an Argo CD application targets it with something deployed (health not `Missing`); `unread`
 * clusters could not be read, so they are neither deployed nor missing.
 * @public
 */
export interface DeploymentCoverage {
  /** `paved.dev/clusters`; empty when the entity names none. */
  expected: string[];
  deployed: string[];
  missing: string[];
  unread: string[];
}

/**
 * How a source answered: `ok` with data, `error` or `timeout` with an error, `not-configured` when the entity
 * carries no annotation for that source (not an error).
 * @public
 */
export type HealthSourceStatus = 'ok' | 'error' | 'timeout' | 'not-configured';

/** @public */
export interface HealthSourceError {
  /** Error class name, such as `NotFoundError` or `ResponseError`. */
  name: string;
  message: string;
}

/** @public */
export interface HealthSourceResult<T> {
  status: HealthSourceStatus;
  data?: T;
  error?: HealthSourceError;
  /** ISO 8601 time the data was fetched upstream (older than the response when served from cache). */
  fetchedAt: string;
}

/** @public */
export interface PodHealth {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  /** Container states worth a human's attention: `CrashLoopBackOff`, `ImagePullBackOff`, `OOMKilled`, … */
  problems: string[];
}

/** @public */
export interface WorkloadHealth {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  name: string;
  namespace: string;
  ready: number;
  desired: number;
  pods: PodHealth[];
}

/** @public */
/**
 * Something a source found by the entity's annotations but did not count, because nothing shows the entity owns it:
 * a workload in another owner's namespace, an Argo CD application that names another entity in another owner's
 * project, a New Relic entity whose tags do not name the entity. Annotations are written by whoever registers an
 * entity, so they alone never attribute another team's runtime to it.
 * @public
 */
export interface UnattributedItem {
  kind: string;
  name: string;
  /** Why it is not counted (`namespace orders belongs to group:default/orders-team`). */
  reason: string;
}

/** @public */
export interface ClusterWorkloads {
  cluster: string;
  workloads: WorkloadHealth[];
  /** Workloads the selector matched in namespaces the entity's owner does not own; not counted. */
  unattributed?: UnattributedItem[];
  /** Set when this cluster could not be read; the other clusters' results still stand. */
  error?: HealthSourceError;
  /** Link to the cluster's dashboard, when configured. */
  dashboardUrl?: string;
}

/** @public */
export interface KubernetesHealth {
  clusters: ClusterWorkloads[];
}

/** @public */
export interface ArgoCdHistoryEntry {
  id: number;
  revision: string;
  deployedAt: string;
  initiatedBy?: string;
}

/** @public */
export interface ArgoCdAppHealth {
  name: string;
  instance: string;
  project?: string;
  syncStatus: 'Synced' | 'OutOfSync' | 'Unknown';
  revision?: string;
  healthStatus:
    | 'Healthy'
    | 'Progressing'
    | 'Degraded'
    | 'Suspended'
    | 'Missing'
    | 'Unknown';
  operationPhase?: 'Running' | 'Terminating' | 'Failed' | 'Error' | 'Succeeded';
  /** The destination cluster (its name in Argo CD, else its server URL). */
  cluster?: string;
  history: ArgoCdHistoryEntry[];
  url: string;
}

/** @public */
export interface ArgoCdHealth {
  apps: ArgoCdAppHealth[];
  /** Applications the annotations matched that neither name the entity nor sit in a project of its owner. */
  unattributed?: UnattributedItem[];
}

/** Golden signals over the query window. @public */
export interface GoldenSignals {
  /** Requests per minute. */
  throughput: number;
  /** Share of failed requests, 0–1. */
  errorRate: number;
  /** Mean response time in milliseconds. */
  responseTimeMs: number;
  /** Apdex score, 0–1. */
  apdex: number;
}

/** @public */
export interface GoldenSignalsPoint extends GoldenSignals {
  timestamp: string;
}

/** @public */
export interface NewRelicIncident {
  id: string;
  title: string;
  priority: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  state: 'ACTIVATED' | 'CREATED' | 'CLOSED';
  openedAt: string;
  url: string;
}

/** @public */
export interface NewRelicHealth {
  /** Absent when New Relic has no entity of the annotated name yet (nothing has reported: "No data"). */
  entityGuid?: string;
  name: string;
  /** The entity in New Relic; absent with `entityGuid`. */
  url?: string;
  /** The entity's tags; `paved.dev/entity` (`component.default.<name>`) names the catalog entity it reports for. */
  tags?: Array<{ key: string; values: string[] }>;
  /** Whether New Relic receives data from the entity now. */
  reporting: boolean;
  /** Golden signals now; null when New Relic has no data for the entity (shown as "No data", never as zeros). */
  signals: GoldenSignals | null;
  /** 30 minutes of golden signals, oldest first. */
  timeseries: GoldenSignalsPoint[];
  incidents: NewRelicIncident[];
}

/**
 * An open GitOps pull request Paved opened that would deploy the entity: its team namespace
 * (`paved/namespace/<namespace>`) or its Argo CD applications (`paved/argocd/<instance>/<project>/<entity>`).
 * @public
 */
export interface PendingChange {
  kind: 'namespace' | 'argocd';
  number: number;
  title: string;
  url: string;
  draft: boolean;
}

/** @public */
export interface EntityHealth {
  verdict: HealthVerdict;
  /**
   * While the entity is not (fully) deployed: the open GitOps pull requests that would deploy it, namespace first;
   * absent when it is deployed everywhere expected or when GitOps is not configured.
   */
  pending?: PendingChange[];
  /** Why the verdict is what it is, most severe first, one sentence each. */
  reasons: string[];
  confidence: HealthConfidence;
  deployment: DeploymentCoverage;
  sources: {
    kubernetes: HealthSourceResult<KubernetesHealth>;
    argocd: HealthSourceResult<ArgoCdHealth>;
    newrelic: HealthSourceResult<NewRelicHealth>;
  };
}

/** The sources a health verdict is built from. @public */
export type HealthSourceName = keyof EntityHealth['sources'];

/**
 * Which annotations turn each source on: an entity with any one of a source's annotations is read from that source.
 * The backend's sources and the frontend's filters both go by this list.
 * @public
 */
export const HEALTH_SOURCE_ANNOTATIONS: Readonly<
  Record<HealthSourceName, readonly string[]>
> = {
  kubernetes: [ANNOTATION_KUBERNETES_ID, ANNOTATION_KUBERNETES_LABEL_SELECTOR],
  argocd: [ANNOTATION_ARGOCD_APP_NAME, ANNOTATION_ARGOCD_APP_SELECTOR],
  newrelic: [ANNOTATION_NEWRELIC_ENTITY_GUID, ANNOTATION_NEWRELIC_ENTITY_NAME],
};

/** The sources an entity's annotations configure, in the order the API lists them. @public */
export function configuredHealthSources(entity: {
  metadata: { annotations?: Record<string, string> };
}): HealthSourceName[] {
  const annotations = entity.metadata.annotations ?? {};
  return (Object.keys(HEALTH_SOURCE_ANNOTATIONS) as HealthSourceName[]).filter(
    source =>
      HEALTH_SOURCE_ANNOTATIONS[source].some(name =>
        Boolean(annotations[name]),
      ),
  );
}
