/**
 * The runtime-health plugin for Backstage's new frontend system: the API, the entity **Runtime** tab and the overview
 * **Runtime health** card, both shown on entities with any runtime-health annotation. Discovered by `app.packages`.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { z } from 'zod';
import { runtimeHealthApiRef, RuntimeHealthClient } from './api';
import { isRuntimeHealthAvailable } from './lib/available';

/** @alpha */
export const runtimeHealthApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: runtimeHealthApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new RuntimeHealthClient(deps),
    }),
});

/** Seconds between refreshes, configurable per extension in app-config (`app.extensions`). */
const configSchema = {
  refreshIntervalSeconds: z.number().min(5).default(30),
};

/** @alpha */
export const entityRuntimeHealthCard = EntityCardBlueprint.makeWithOverrides({
  name: 'runtime-health',
  configSchema,
  factory(originalFactory, { config }) {
    return originalFactory({
      filter: isRuntimeHealthAvailable,
      loader: () =>
        import('./components/HealthCard').then(m => (
          <m.EntityRuntimeHealthCard
            refreshIntervalMs={config.refreshIntervalSeconds * 1000}
          />
        )),
    });
  },
});

/** @alpha */
export const entityRuntimeHealthContent =
  EntityContentBlueprint.makeWithOverrides({
    name: 'runtime-health',
    configSchema,
    factory(originalFactory, { config }) {
      return originalFactory({
        path: '/runtime',
        title: 'Runtime',
        filter: isRuntimeHealthAvailable,
        loader: () =>
          import('./components/RuntimeContent').then(m => (
            <m.EntityRuntimeHealthContent
              refreshIntervalMs={config.refreshIntervalSeconds * 1000}
            />
          )),
      });
    },
  });

/** @alpha */
export default createFrontendPlugin({
  pluginId: 'runtime-health',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    runtimeHealthApi,
    entityRuntimeHealthCard,
    entityRuntimeHealthContent,
  ],
});
