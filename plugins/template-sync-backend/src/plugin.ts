import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  gitProviderServiceRef,
  templateSyncServiceRef,
} from '@paved/plugin-paved-node';
import { SyncStore } from './database/SyncStore';
import { createRouter } from './router';
import { describeSchedule } from './service/schedule';
import { FleetSync } from './service/FleetSync';

/** Daily, a minute after start, at most half an hour per run. */
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 24 },
  timeout: { minutes: 30 },
  initialDelay: { minutes: 1 },
};

/**
 * Template sync across the fleet (plugin id `template-sync`): a global scheduled task (once across replicas) that
 * opens or refreshes one pull request per template instance behind, state in the plugin's database, and routes for
 * the entity card and the fleet page.
 * @public
 */
export const templateSyncPlugin = createBackendPlugin({
  pluginId: 'template-sync',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
        templates: templateSyncServiceRef,
        git: gitProviderServiceRef,
      },
      async init(deps) {
        const { config, logger, scheduler } = deps;
        const store = await SyncStore.create(deps.database);
        const integrations = ScmIntegrations.fromConfig(config);
        const github = integrations.github.list()[0];
        const defaultGithub = github
          ? `${
              github.config.apiBaseUrl?.startsWith('http://') ? 'http' : 'https'
            }://${github.config.host}`
          : undefined;
        const fleet = new FleetSync({
          catalog: deps.catalog,
          auth: deps.auth,
          store,
          templates: deps.templates,
          git: deps.git,
          logger,
          defaultGithub,
          repositoryAllowed: url => Boolean(integrations.byUrl(url)),
          concurrency: config.getOptionalNumber(
            'paved.templateSync.concurrency',
          ),
        });
        const scheduleConfig = config.getOptionalConfig(
          'paved.templateSync.schedule',
        );
        const enabled =
          config.getOptionalBoolean('paved.templateSync.enabled') !== false;
        const schedule = scheduleConfig
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
          : DEFAULT_SCHEDULE;
        if (enabled) {
          await scheduler.scheduleTask({
            id: 'template-sync-fleet',
            scope: 'global',
            ...schedule,
            fn: async () => {
              await fleet.runAll();
            },
          });
        }
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            store,
            fleet,
            schedule: describeSchedule(enabled ? schedule : undefined),
          }),
        );
      },
    });
  },
});
