import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { EksProviderAccount } from './EksClusterEntityProvider';
import type { ClusterEntityOptions } from './clusterEntity';

/** One `catalog.providers.pavedEks.<id>` block. */
export interface EksProviderConfig
  extends Omit<ClusterEntityOptions, 'clusterRoleArn' | 'clusterExternalId'> {
  id: string;
  accounts: EksProviderAccount[];
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 15 },
};

/** Reads `catalog.providers.pavedEks`: one provider per key. */
export function readEksProviderConfigs(config: Config): EksProviderConfig[] {
  const root = config.getOptionalConfig('catalog.providers.pavedEks');
  if (!root) return [];
  return root.keys().map(id => {
    const c = root.getConfig(id);
    const accounts = c.getConfigArray('accounts').map(a => ({
      accountId: a.getOptionalString('accountId'),
      roleArn: a.getOptionalString('roleArn'),
      externalId: a.getOptionalString('externalId'),
      regions: a.getStringArray('regions'),
      clusterRoleArn: a.getOptionalString('clusterRoleArn'),
      clusterExternalId: a.getOptionalString('clusterExternalId'),
    }));
    if (!accounts.length || accounts.some(a => !a.regions.length)) {
      throw new InputError(
        `catalog.providers.pavedEks.${id}: list at least one account, each with at least one region`,
      );
    }
    return {
      id,
      accounts,
      ownerTag: c.getOptionalString('ownerTag') ?? 'owner',
      defaultOwner: c.getString('defaultOwner'),
      systemTag: c.getOptionalString('systemTag') ?? 'system',
      lifecycleTag: c.getOptionalString('lifecycleTag') ?? 'lifecycle',
      defaultLifecycle: c.getOptionalString('defaultLifecycle') ?? 'production',
      schedule: c.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            c.getConfig('schedule'),
          )
        : DEFAULT_SCHEDULE,
    };
  });
}
