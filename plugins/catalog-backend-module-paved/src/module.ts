import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eksServiceRef } from '@paved/plugin-paved-node';
import { PavedEntityProcessor } from './processor/PavedEntityProcessor';
import { readEksProviderConfigs } from './provider/config';
import { EksClusterEntityProvider } from './provider/EksClusterEntityProvider';

/**
 * Paved's catalog module: the annotation processor, and one EKS cluster provider per
 * `catalog.providers.pavedEks.<id>`.
 * @public
 */
export const catalogModulePaved = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paved',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        eks: eksServiceRef,
      },
      async init({ catalog, config, logger, scheduler, eks }) {
        catalog.addProcessor(PavedEntityProcessor.fromConfig(config));
        for (const provider of readEksProviderConfigs(config)) {
          catalog.addEntityProvider(
            new EksClusterEntityProvider({
              ...provider,
              eks,
              logger: logger.child({ provider: provider.id }),
              taskRunner: scheduler.createScheduledTaskRunner(
                provider.schedule,
              ),
            }),
          );
        }
      },
    });
  },
});
