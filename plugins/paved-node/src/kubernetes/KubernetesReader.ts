import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { EksTokenProvider } from '../eks/EksTokenProvider';
import type { ClusterConnection } from './KubernetesApplier';

/** A kubeconfig for one cluster with a fresh (cached) EKS token; the token never leaves it. */
export async function kubeConfigFor(
  cluster: ClusterConnection,
  tokens: EksTokenProvider,
): Promise<KubeConfig> {
  const { token } = await tokens.getToken(
    cluster.name,
    cluster.region,
    cluster.access,
  );
  const kc = new KubeConfig();
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
}
