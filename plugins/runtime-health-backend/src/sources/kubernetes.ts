import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_CLUSTERS,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  type ClusterWorkloads,
  type KubernetesHealth,
  type PodHealth,
} from '@paved/plugin-paved-common';
import type {
  ClusterRegistry,
  KubernetesReader,
} from '@paved/plugin-paved-node';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { toSourceError } from './errors';
import { ownerOf } from './owner';

const PROBLEMS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'OOMKilled',
  'Error',
]);

/** The clusters an entity should run on (`paved.dev/clusters`: names or cluster Resource refs); empty when unnamed. */
export function expectedClusters(entity: Entity): string[] {
  return (entity.metadata.annotations?.[ANNOTATION_CLUSTERS] ?? '')
    .split(',')
    .map(c => c.trim().replace(/^resource:(default\/)?/, ''))
    .filter(Boolean);
}

/** Where an entity's workloads are, by the Kubernetes plugin's annotations; undefined when it has none. */
export function kubernetesTarget(entity: Entity) {
  const a = entity.metadata.annotations ?? {};
  const labelSelector =
    a[ANNOTATION_KUBERNETES_LABEL_SELECTOR] ??
    (a[ANNOTATION_KUBERNETES_ID]
      ? `backstage.io/kubernetes-id=${a[ANNOTATION_KUBERNETES_ID]}`
      : undefined);
  if (!labelSelector) return undefined;
  const clusters = expectedClusters(entity);
  return {
    labelSelector,
    namespace: a[ANNOTATION_KUBERNETES_NAMESPACE],
    clusters: clusters.length ? clusters : undefined,
  };
}

function pod(p: V1Pod): PodHealth {
  const statuses = p.status?.containerStatuses ?? [];
  const problems = statuses.flatMap(c =>
    [
      c.state?.waiting?.reason,
      c.state?.terminated?.reason,
      c.lastState?.terminated?.reason === 'OOMKilled' ? 'OOMKilled' : undefined,
    ].filter((r): r is string => !!r && PROBLEMS.has(r)),
  );
  return {
    name: p.metadata?.name ?? '',
    phase: p.status?.phase ?? 'Unknown',
    ready: statuses.length > 0 && statuses.every(c => c.ready),
    restarts: statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    problems: [...new Set(problems)],
  };
}

/** Pods belong to the Deployment whose selector their labels match. */
function owns(d: V1Deployment, p: V1Pod): boolean {
  const selector = d.spec?.selector?.matchLabels ?? {};
  return (
    p.metadata?.namespace === d.metadata?.namespace &&
    Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v)
  );
}

/** Each cluster read in parallel; one failing cluster is an error on that cluster, not on the source. */
export async function readKubernetes(
  entity: Entity,
  deps: { clusters: ClusterRegistry; reader: KubernetesReader },
): Promise<KubernetesHealth> {
  const target = kubernetesTarget(entity)!;
  const owner = ownerOf(entity);
  const names = target.clusters?.length
    ? target.clusters
    : deps.clusters.list().map(c => c.name);
  const clusters = await Promise.all(
    names.map(async (name): Promise<ClusterWorkloads> => {
      try {
        const connection = await deps.clusters.connection(name);
        const { deployments, pods } = await deps.reader.workloads(
          connection,
          target,
        );
        // A workload counts only in a namespace its entity's owner owns: annotations alone never attribute another
        // team's pods to an entity.
        const owners = await deps.reader.namespaceOwners(
          connection,
          deployments.map(d => d.metadata?.namespace ?? ''),
        );
        const mine = (d: V1Deployment) => {
          const recorded = owners.get(d.metadata?.namespace ?? '');
          return Boolean(
            owner && recorded && recorded.toLocaleLowerCase('en-US') === owner,
          );
        };
        const unattributed = deployments
          .filter(d => !mine(d))
          .map(d => {
            const ns = d.metadata?.namespace ?? '';
            const recorded = owners.get(ns);
            return {
              kind: 'Deployment',
              name: `${ns}/${d.metadata?.name ?? ''}`,
              reason: recorded
                ? `namespace ${ns} belongs to ${recorded}`
                : `namespace ${ns} records no Paved owner`,
            };
          });
        return {
          cluster: name,
          dashboardUrl: deps.clusters.get(name).dashboardUrl,
          workloads: deployments.filter(mine).map(d => ({
            kind: 'Deployment' as const,
            name: d.metadata?.name ?? '',
            namespace: d.metadata?.namespace ?? '',
            desired: d.spec?.replicas ?? 0,
            ready: d.status?.readyReplicas ?? 0,
            pods: pods.filter(p => owns(d, p)).map(pod),
          })),
          ...(unattributed.length ? { unattributed } : {}),
        };
      } catch (error) {
        return { cluster: name, workloads: [], error: toSourceError(error) };
      }
    }),
  );
  // Every cluster failing is the source failing: it must not read as "ok, nothing there".
  if (clusters.length && clusters.every(c => c.error)) {
    throw new Error(
      `No cluster could be read: ${clusters
        .map(c => `${c.cluster}: ${c.error!.message}`)
        .join('; ')}`,
    );
  }
  return { clusters };
}
