import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { NewRelicClient } from './NewRelicClient';

/** NerdGraph (`paved.newrelic`), or undefined when New Relic is not configured. @public */
export const newRelicServiceRef = createServiceRef<NewRelicClient | undefined>({
  id: 'paved.newrelic',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => NewRelicClient.fromConfig(config),
    }),
});
