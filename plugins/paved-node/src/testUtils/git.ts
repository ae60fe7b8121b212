import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { GitProviders } from '../git/GitProviders';
import { gitProviderServiceRef } from '../git/serviceRefs';

/**
 * The Git provider without GitHub's write spacing (production waits 1 s between writes and 3 s between writes that
 * notify people; a sandbox need not), for test backends.
 * @public
 */
export const unthrottledGitProviderServiceFactory = createServiceFactory({
  service: gitProviderServiceRef,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
  },
  factory: ({ config, logger }) =>
    GitProviders.fromConfig(config, logger, { writeMinTimeMs: 0 }),
});
