import {
  Cluster,
  DescribeClusterCommand,
  EKSClient,
  paginateListClusters,
} from '@aws-sdk/client-eks';
import type { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { AwsCredentials } from './credentials';

/** Whose clusters to read: an account reached with the default credential chain, or through an assumed role. @public */
export interface EksAccess {
  /** AWS account id, recorded on what is read (informational when no role is assumed). */
  accountId?: string;
  /** Role to assume (STS AssumeRole) before calling EKS. */
  roleArn?: string;
  /** External id the role's trust policy requires. */
  externalId?: string;
}

/** What Paved needs to know about an EKS cluster. @public */
export interface EksCluster {
  name: string;
  arn: string;
  region: string;
  accountId: string;
  /** API server URL. */
  endpoint?: string;
  /** Base64 PEM of the cluster CA. */
  certificateAuthority?: string;
  status?: string;
  version?: string;
  platformVersion?: string;
  tags: Record<string, string>;
  createdAt?: string;
}

/** @public */
export interface EksClientOptions {
  /** EKS endpoint override (the sandbox); AWS's regional endpoint otherwise. */
  endpoint?: string;
  /** Shared credentials (assumed roles), so clients and tokens reuse one AssumeRole per role. */
  credentials?: AwsCredentials;
}

/** The account id inside an EKS ARN: arn:aws:eks:<region>:<account>:cluster/<name>. */
function accountOf(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}

/**
 * Reads EKS clusters across accounts and regions with AWS SDK v3: credentials from the default chain, optionally
 * through an assumed role per account; one SDK client per region and role, reused across calls.
 * @public
 */
export class EksClient {
  private readonly clients = new Map<string, EKSClient>();
  /** Assumed-role credentials per role, shared by every region's client: one AssumeRole per role until expiry. */
  readonly credentials: AwsCredentials;

  static fromConfig(config: Config): EksClient {
    return new EksClient({
      endpoint: config.getOptionalString('paved.eks.endpoint'),
    });
  }

  constructor(private readonly options: EksClientOptions = {}) {
    this.credentials = options.credentials ?? new AwsCredentials();
  }

  /** Cluster names in one account and region, following every page. */
  async listClusterNames(
    access: EksAccess,
    region: string,
    pageSize = 100,
  ): Promise<string[]> {
    const names: string[] = [];
    for await (const page of paginateListClusters(
      { client: this.client(access, region), pageSize },
      {},
    )) {
      names.push(...(page.clusters ?? []));
    }
    return names;
  }

  /** One cluster's details. */
  async describeCluster(
    access: EksAccess,
    region: string,
    name: string,
  ): Promise<EksCluster> {
    try {
      const { cluster } = await this.client(access, region).send(
        new DescribeClusterCommand({ name }),
      );
      if (!cluster)
        throw new NotFoundError(`EKS cluster ${name} not found in ${region}`);
      return toCluster(cluster, region, access);
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') {
        throw new NotFoundError(
          `EKS cluster ${name} not found in ${region}`,
          error as Error,
        );
      }
      throw error;
    }
  }

  /** Every cluster of one account and region, described `concurrency` at a time. */
  async listClusters(
    access: EksAccess,
    region: string,
    concurrency = 8,
  ): Promise<EksCluster[]> {
    const names = await this.listClusterNames(access, region);
    const clusters: EksCluster[] = new Array(names.length);
    let next = 0;
    const worker = async () => {
      while (next < names.length) {
        const index = next++;
        clusters[index] = await this.describeCluster(
          access,
          region,
          names[index],
        );
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(concurrency, names.length) }, worker),
    );
    return clusters;
  }

  private client(access: EksAccess, region: string): EKSClient {
    const key = `${region}\0${access.roleArn ?? ''}\0${
      access.externalId ?? ''
    }`;
    let client = this.clients.get(key);
    if (!client) {
      client = new EKSClient({
        region,
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        ...(access.roleArn
          ? { credentials: this.credentials.forRole(access, region) }
          : {}),
      });
      this.clients.set(key, client);
    }
    return client;
  }
}

function toCluster(
  cluster: Cluster,
  region: string,
  access: EksAccess,
): EksCluster {
  return {
    name: cluster.name!,
    arn: cluster.arn ?? '',
    region,
    accountId: accountOf(cluster.arn) ?? access.accountId ?? '',
    endpoint: cluster.endpoint,
    certificateAuthority: cluster.certificateAuthority?.data,
    status: cluster.status,
    version: cluster.version,
    platformVersion: cluster.platformVersion,
    tags: cluster.tags ?? {},
    createdAt: cluster.createdAt?.toISOString(),
  };
}
