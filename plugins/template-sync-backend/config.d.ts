import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  paved?: {
    templateSync?: {
      /** Run the fleet job; default true. The routes stay available when false. */
      enabled?: boolean;
      /**
       * When the fleet job runs (Backstage scheduler format, global: once across replicas). Default every 24 hours,
       * first a minute after start, timeout 30 minutes.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Instances updated at once (each is a clone and two renders); default 2. */
      concurrency?: number;
    };
  };
}
