import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  paved?: {
    catalog?: {
      /** Give Components without backstage.io/kubernetes-id (or a label selector) one derived from their name. Default false. */
      deriveKubernetesId?: boolean;
      /** Component lifecycles whose spec.owner must be a Group. Default [production]. */
      groupOwnedLifecycles?: string[];
    };
  };
  catalog?: {
    providers?: {
      /** EKS cluster discovery: one provider per key. */
      pavedEks?: {
        [id: string]: {
          /** Accounts to read, each in some regions. */
          accounts: Array<{
            /** AWS account id (informational when no role is assumed). */
            accountId?: string;
            /** Role to assume to list and describe clusters; the default credential chain is used otherwise. */
            roleArn?: string;
            /**
             * External id required by roleArn's trust policy.
             * @visibility secret
             */
            externalId?: string;
            regions: string[];
            /** Role the Kubernetes plugin assumes to reach this account's clusters (kubernetes.io/aws-assume-role). */
            clusterRoleArn?: string;
            /** External id for clusterRoleArn (kubernetes.io/aws-external-id; it is visible on the entity). */
            clusterExternalId?: string;
          }>;
          /** Cluster tag naming the owner. Default "owner". */
          ownerTag?: string;
          /** Owner when a cluster has no owner tag, e.g. group:platform-team. */
          defaultOwner: string;
          /** Cluster tag naming the System. Default "system". */
          systemTag?: string;
          /** Cluster tag naming the lifecycle. Default "lifecycle". */
          lifecycleTag?: string;
          /** Lifecycle when a cluster has no lifecycle tag. Default "production". */
          defaultLifecycle?: string;
          /** Refresh schedule. Default every 30 minutes, 5-minute timeout. */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        };
      };
    };
  };
}
