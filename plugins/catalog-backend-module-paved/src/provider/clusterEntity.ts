import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_VIEW_URL,
  Entity,
} from '@backstage/catalog-model';
import {
  CLUSTER_ANNOTATIONS,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
} from '@paved/plugin-paved-common';
import type { EksCluster } from '@paved/plugin-paved-node';
import { createHash } from 'node:crypto';

/**
 * How clusters become Resources.
 *
 * @public
 */
export interface ClusterEntityOptions {
  /** Cluster tag holding the owner (`platform-team`, `group:payments`). */
  ownerTag: string;
  defaultOwner: string;
  systemTag: string;
  lifecycleTag: string;
  defaultLifecycle: string;
  /** Role (and external id) the Kubernetes plugin assumes to reach clusters of this account. */
  clusterRoleArn?: string;
  clusterExternalId?: string;
}

/** A Backstage entity name for a cluster: lower case, `_` → `-`, at most 63 characters. */
export function clusterEntityName(name: string): string {
  const normal = name
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9-.]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  if (normal.length <= 63) return normal || 'cluster';
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${normal.slice(0, 54).replace(/[^a-z0-9]+$/, '')}-${hash}`;
}

/**
 * Entity names for a set of clusters, unique across accounts and regions: the cluster's own name where it is
 * unique, else suffixed with its region, else with region and account.
 */
export function uniqueClusterNames(clusters: EksCluster[]): string[] {
  const base = clusters.map(c => clusterEntityName(c.name));
  const count = (names: string[]) =>
    names.reduce(
      (m, n) => m.set(n, (m.get(n) ?? 0) + 1),
      new Map<string, number>(),
    );
  const first = count(base);
  const withRegion = clusters.map((c, i) =>
    first.get(base[i])! > 1
      ? clusterEntityName(`${c.name}-${c.region}`)
      : base[i],
  );
  const second = count(withRegion);
  return clusters.map((c, i) =>
    second.get(withRegion[i])! > 1
      ? clusterEntityName(`${c.name}-${c.region}-${c.accountId}`)
      : withRegion[i],
  );
}

/** The Resource for one cluster, with what `@backstage/plugin-kubernetes-backend`'s catalog locator reads. */
export function clusterEntity(
  cluster: EksCluster,
  entityName: string,
  options: ClusterEntityOptions,
): Entity {
  const console = `https://console.aws.amazon.com/eks/home?region=${
    cluster.region
  }#/clusters/${encodeURIComponent(cluster.name)}`;
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: `url:${console}`,
    [ANNOTATION_ORIGIN_LOCATION]: `url:${console}`,
    [ANNOTATION_VIEW_URL]: console,
    [CLUSTER_ANNOTATIONS.authProvider]: 'aws',
    [CLUSTER_ANNOTATIONS.awsClusterId]: cluster.name,
    [CLUSTER_ANNOTATIONS.awsAccountId]: cluster.accountId,
    [CLUSTER_ANNOTATIONS.awsArn]: cluster.arn,
    [CLUSTER_ANNOTATIONS.awsRegion]: cluster.region,
  };
  if (cluster.endpoint)
    annotations[CLUSTER_ANNOTATIONS.apiServer] = cluster.endpoint;
  if (cluster.certificateAuthority)
    annotations[CLUSTER_ANNOTATIONS.apiServerCertificateAuthority] =
      cluster.certificateAuthority;
  if (options.clusterRoleArn)
    annotations[CLUSTER_ANNOTATIONS.awsAssumeRole] = options.clusterRoleArn;
  if (options.clusterExternalId)
    annotations[CLUSTER_ANNOTATIONS.awsExternalId] = options.clusterExternalId;

  const system = cluster.tags[options.systemTag];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: entityName,
      title: cluster.name,
      description: `EKS cluster ${cluster.name} in ${cluster.region} (account ${
        cluster.accountId
      }), Kubernetes ${cluster.version ?? 'unknown'}, ${
        cluster.status ?? 'status unknown'
      }`,
      annotations,
      tags: ['eks', 'kubernetes'],
    },
    spec: {
      type: KUBERNETES_CLUSTER_RESOURCE_TYPE,
      owner: cluster.tags[options.ownerTag] || options.defaultOwner,
      lifecycle: cluster.tags[options.lifecycleTag] || options.defaultLifecycle,
      ...(system ? { system } : {}),
    },
  };
}
