import { ANNOTATION_OWNER_REF } from '@paved/plugin-paved-common';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type {
  RequestContext,
  V1Deployment,
  V1Pod,
} from '@kubernetes/client-node';
import type { EksTokenProvider } from '../eks/EksTokenProvider';
import type { ClusterConnection } from './KubernetesApplier';

/** Default time budget of one Kubernetes API request made through {@link kubeConfigFor}. */
export const KUBERNETES_REQUEST_TIMEOUT_MS = 30_000;

/** A kubeconfig whose every request is aborted after `timeoutMs` (client-node 1.4.0 has no timeout of its own). */
class TimedKubeConfig extends KubeConfig {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    context.setSignal(AbortSignal.timeout(this.timeoutMs));
  }
}

/**
 * A kubeconfig for one cluster with a fresh (cached) EKS token; the token never leaves it. Every request it makes
 * gives up after `timeoutMs` (default 30 s): an API server that accepts connections and never answers cannot hold a
 * caller forever.
 *
 * @public
 */
export async function kubeConfigFor(
  cluster: ClusterConnection,
  tokens: EksTokenProvider,
  options: { timeoutMs?: number } = {},
): Promise<KubeConfig> {
  const { token } = await tokens.getToken(
    cluster.name,
    cluster.region,
    cluster.access,
  );
  const kc = new TimedKubeConfig(
    options.timeoutMs ?? KUBERNETES_REQUEST_TIMEOUT_MS,
  );
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.server,
        caData: cluster.caData,
        skipTLSVerify: false,
      },
    ],
    users: [{ name: 'paved', token }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: 'paved' }],
    currentContext: cluster.name,
  });
  return kc;
}

/**
 * Reads workloads (Deployments and their Pods) by label selector, with `@kubernetes/client-node` 1.4.0 and an EKS
 * token per cluster: what runtime health shows service owners without giving them cluster access.
 * @public
 */
export class KubernetesReader {
  constructor(private readonly tokens: EksTokenProvider) {}

  async workloads(
    cluster: ClusterConnection,
    query: { labelSelector: string; namespace?: string },
  ): Promise<{ deployments: V1Deployment[]; pods: V1Pod[] }> {
    const kc = await kubeConfigFor(cluster, this.tokens);
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const { labelSelector, namespace } = query;
    const [deployments, pods] = await Promise.all([
      namespace
        ? apps.listNamespacedDeployment({ namespace, labelSelector })
        : apps.listDeploymentForAllNamespaces({ labelSelector }),
      namespace
        ? core.listNamespacedPod({ namespace, labelSelector })
        : core.listPodForAllNamespaces({ labelSelector }),
    ]);
    return { deployments: deployments.items, pods: pods.items };
  }

  /**
   * The owner each namespace records (`paved.dev/owner-ref`, as Paved provisions them): a ref, `null` for a namespace
   * without one, absent for a namespace that does not exist.
   */
  async namespaceOwners(
    cluster: ClusterConnection,
    names: string[],
  ): Promise<Map<string, string | null>> {
    const kc = await kubeConfigFor(cluster, this.tokens);
    const core = kc.makeApiClient(CoreV1Api);
    const owners = new Map<string, string | null>();
    await Promise.all(
      [...new Set(names)].map(async name => {
        try {
          const ns = await core.readNamespace({ name });
          owners.set(
            name,
            ns.metadata?.annotations?.[ANNOTATION_OWNER_REF] ?? null,
          );
        } catch (error) {
          if ((error as { code?: number }).code !== 404) throw error;
        }
      }),
    );
    return owners;
  }
}
