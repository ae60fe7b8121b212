import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { runtimeHealthApiRef, RuntimeHealthClient } from './api';

/**
 * Props of the Runtime tab and the overview card.
 * @public
 */
export interface EntityRuntimeHealthProps {
  /** How often the verdict is fetched again while the page is open (default 30 s). */
  refreshIntervalMs?: number;
}

/** Mount point of the Runtime tab in apps on the legacy frontend system. @public */
export const runtimeHealthRouteRef = createRouteRef({ id: 'runtime-health' });

/**
 * The runtime-health plugin for apps on the legacy frontend system. Apps on the new system get it from
 * `@paved/plugin-runtime-health/alpha` (discovered automatically).
 * @public
 */
export const runtimeHealthPlugin = createPlugin({
  id: 'runtime-health',
  apis: [
    createApiFactory({
      api: runtimeHealthApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new RuntimeHealthClient(deps),
    }),
  ],
  routes: { root: runtimeHealthRouteRef },
});

/**
 * The Runtime tab, for `<EntityLayout.Route path="/runtime" title="Runtime" if={isRuntimeHealthAvailable}>`.
 * @public
 */
export const EntityRuntimeHealthContent: (
  props: EntityRuntimeHealthProps,
) => JSX.Element = runtimeHealthPlugin.provide(
  createRoutableExtension({
    name: 'EntityRuntimeHealthContent',
    component: () =>
      import('./components/RuntimeContent').then(
        m => m.EntityRuntimeHealthContent,
      ),
    mountPoint: runtimeHealthRouteRef,
  }),
);

/** The overview card, for the entity overview grid. @public */
export const EntityRuntimeHealthCard: (
  props: EntityRuntimeHealthProps,
) => JSX.Element = runtimeHealthPlugin.provide(
  createComponentExtension({
    name: 'EntityRuntimeHealthCard',
    component: {
      lazy: () =>
        import('./components/HealthCard').then(m => m.EntityRuntimeHealthCard),
    },
  }),
);
