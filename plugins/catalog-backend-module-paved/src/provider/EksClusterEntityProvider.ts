import { setTimeout as sleep } from 'node:timers/promises';
import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type {
  EksAccess,
  EksClient,
  EksCluster,
} from '@paved/plugin-paved-node';
import {
  clusterEntity,
  ClusterEntityOptions,
  uniqueClusterNames,
} from './clusterEntity';

/** One account to read, in some regions. @public */
export interface EksProviderAccount extends EksAccess {
  regions: string[];
  /** Role (and external id) the Kubernetes plugin should assume to reach this account's clusters. */
  clusterRoleArn?: string;
  clusterExternalId?: string;
}

/** @public */
export interface EksClusterEntityProviderOptions
  extends Omit<ClusterEntityOptions, 'clusterRoleArn' | 'clusterExternalId'> {
  id: string;
  accounts: EksProviderAccount[];
  eks: EksClient;
  logger: LoggerService;
  taskRunner: SchedulerServiceTaskRunner;
  /**
   * Pauses before trying a failed run again within the same scheduled run; default 5 s then 20 s. A first run that
   * fails at start-up (a slow credential chain, a busy machine) then does not leave the catalog without clusters for a
   * whole schedule period.
   */
  retryDelaysMs?: number[];
}

/**
 * Emits a `kubernetes-cluster` Resource for every EKS cluster of the configured accounts and regions, on a schedule,
 * as a full mutation (deleted clusters leave the catalog). If any account or region cannot be read, the run changes
 * nothing, so a transient AWS failure never removes clusters.
 * @public
 */
export class EksClusterEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(private readonly options: EksClusterEntityProviderOptions) {}

  getProviderName(): string {
    return `PavedEksClusterProvider:${this.options.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async (signal?: AbortSignal) => {
        const delays = this.options.retryDelaysMs ?? [5_000, 20_000];
        for (let attempt = 0; ; attempt++) {
          try {
            await this.refresh();
            return;
          } catch (error) {
            if (attempt >= delays.length || signal?.aborted) throw error;
            this.options.logger.warn(
              `EKS cluster refresh failed (attempt ${attempt + 1} of ${
                delays.length + 1
              }), trying again in ${delays[attempt] / 1000} s: ${
                (error as Error).message
              }`,
            );
            // The pause ends early when the backend stops (the scheduler aborts the run).
            await sleep(delays[attempt], undefined, { signal }).catch(
              () => undefined,
            );
            if (signal?.aborted) throw error;
          }
        }
      },
    });
  }

  /** Reads every account and region and replaces the provider's entities. Returns what it emitted. */
  async refresh(): Promise<{ clusters: number }> {
    if (!this.connection)
      throw new Error(`${this.getProviderName()} is not connected`);
    const { accounts, eks, logger } = this.options;
    const started = Date.now();
    const found: Array<{ cluster: EksCluster; account: EksProviderAccount }> =
      [];
    const failures: string[] = [];
    await Promise.all(
      accounts.flatMap(account =>
        account.regions.map(async region => {
          try {
            for (const cluster of await eks.listClusters(account, region))
              found.push({ cluster, account });
          } catch (error) {
            failures.push(
              `${
                account.accountId ?? account.roleArn ?? 'default'
              }/${region}: ${(error as Error).message}`,
            );
          }
        }),
      ),
    );
    if (failures.length) {
      // A full mutation without these would delete their clusters from the catalog.
      throw new Error(
        `EKS clusters not refreshed; the catalog keeps the last known set. Could not read ${failures.join(
          '; ',
        )}`,
      );
    }
    found.sort((a, b) => a.cluster.arn.localeCompare(b.cluster.arn));
    const names = uniqueClusterNames(found.map(f => f.cluster));
    const entities = found.map(({ cluster, account }, i) => ({
      entity: clusterEntity(cluster, names[i], {
        ...this.options,
        clusterRoleArn: account.clusterRoleArn,
        clusterExternalId: account.clusterExternalId,
      }),
      locationKey: this.getProviderName(),
    }));
    await this.connection.applyMutation({ type: 'full', entities });
    logger.info('Refreshed EKS clusters', {
      provider: this.options.id,
      clusters: entities.length,
      ms: Date.now() - started,
    });
    return { clusters: entities.length };
  }
}
