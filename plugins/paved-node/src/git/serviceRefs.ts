import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { GitOpsWriter } from './GitOpsWriter';
import { GitProviders } from './GitProviders';
import type { GitProvider } from './types';

/**
 * Reads and writes repositories (GitHub via Octokit, or plain git). Root-scoped: one Octokit per host, so rate-limit
 * throttling is shared by every plugin.
 * @public
 */
export const gitProviderServiceRef = createServiceRef<GitProvider>({
  id: 'paved.git',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
      },
      factory: ({ config, logger }) => GitProviders.fromConfig(config, logger),
    }),
});

/** The GitOps repository writer (`paved.gitops`). @public */
export const gitOpsServiceRef = createServiceRef<GitOpsWriter>({
  id: 'paved.gitops',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, git: gitProviderServiceRef },
      factory: ({ config, git }) => GitOpsWriter.fromConfig(config, git),
    }),
});
