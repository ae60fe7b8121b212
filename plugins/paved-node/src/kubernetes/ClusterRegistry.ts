import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { EksAccess, EksClient } from '../eks/EksClient';
import type { ClusterConnection } from './KubernetesApplier';

/** A cluster Paved provisions into, from `paved.eks.clusters[]`. @public */
export interface ConfiguredCluster extends EksAccess {
  name: string;
  region: string;
  environment?: string;
  /** Where people look at this cluster: `dashboardUrl` from config, else the cluster's page in the EKS console. */
  dashboardUrl: string;
}

/** The cluster's page in the AWS console. */
function eksConsoleUrl(region: string, name: string): string {
  return `https://${region}.console.aws.amazon.com/eks/home?region=${region}#/clusters/${encodeURIComponent(
    name,
  )}`;
}

/**
 * The clusters Paved may write to (`paved.eks.clusters`), resolved to API-server connections through EKS
 * (`DescribeCluster`, cached for the process): only configured clusters can be targeted, whatever a template asks.
 * @public
 */
export class ClusterRegistry {
  private readonly connections = new Map<string, Promise<ClusterConnection>>();

  static fromConfig(config: Config, eks: EksClient): ClusterRegistry {
    const clusters = (
      config.getOptionalConfigArray('paved.eks.clusters') ?? []
    ).map(c => ({
      name: c.getString('name'),
      region: c.getString('region'),
      accountId: c.getOptionalString('accountId'),
      roleArn: c.getOptionalString('roleArn'),
      externalId: c.getOptionalString('externalId'),
      environment: c.getOptionalString('environment'),
      dashboardUrl:
        c.getOptionalString('dashboardUrl') ??
        eksConsoleUrl(c.getString('region'), c.getString('name')),
    }));
    return new ClusterRegistry(clusters, eks);
  }

  constructor(
    private readonly clusters: ConfiguredCluster[],
    private readonly eks: EksClient,
  ) {}

  /** Configured clusters, optionally those of one environment. */
  list(environment?: string): ConfiguredCluster[] {
    return this.clusters.filter(
      c => environment === undefined || c.environment === environment,
    );
  }

  /** The configured cluster of this name; an InputError naming the valid ones otherwise. */
  get(name: string): ConfiguredCluster {
    const cluster = this.clusters.find(c => c.name === name);
    if (!cluster) {
      throw new InputError(
        `Cluster "${name}" is not one Paved provisions into; configured: ${
          this.clusters.map(c => c.name).join(', ') ||
          'none (paved.eks.clusters)'
        }`,
      );
    }
    return cluster;
  }

  /** API server URL, CA and credentials for a configured cluster. */
  connection(name: string): Promise<ClusterConnection> {
    const cluster = this.get(name);
    let pending = this.connections.get(name);
    if (!pending) {
      pending = this.eks
        .describeCluster(cluster, cluster.region, cluster.name)
        .then(described => {
          if (!described.endpoint)
            throw new InputError(
              `EKS cluster ${name} has no API endpoint yet (status ${described.status})`,
            );
          return {
            name: cluster.name,
            region: cluster.region,
            server: described.endpoint,
            caData: described.certificateAuthority,
            access: {
              accountId: cluster.accountId,
              roleArn: cluster.roleArn,
              externalId: cluster.externalId,
            },
          };
        });
      pending.catch(() => this.connections.delete(name));
      this.connections.set(name, pending);
    }
    return pending;
  }
}
