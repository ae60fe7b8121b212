import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { gitProviderServiceRef } from '../git/serviceRefs';
import { TemplateSync } from './TemplateSync';

/**
 * Template sync (`paved.templateSync`): render allowed template sources, resolve versions, update instances through
 * pull requests. Shared by the scaffolder actions and the template-sync backend.
 * @public
 */
export const templateSyncServiceRef = createServiceRef<TemplateSync>({
  id: 'paved.template-sync',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
        git: gitProviderServiceRef,
      },
      factory: ({ config, logger, git }) =>
        TemplateSync.fromConfig(config, {
          git,
          logger: logger.child({ service: 'template-sync' }),
        }),
    }),
});
