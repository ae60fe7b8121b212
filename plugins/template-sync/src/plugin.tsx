import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { RiGitPullRequestLine } from '@remixicon/react';
import { templateSyncApiRef, TemplateSyncClient } from './api';
import { isTemplateInstance } from './lib/present';

/** The fleet page's route. @public */
export const templateSyncFleetRouteRef = createRouteRef();

/** @public */
export const templateSyncApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: templateSyncApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new TemplateSyncClient(deps),
    }),
});

/** The overview card on entities that record a template source. @public */
export const entityTemplateSyncCard = EntityCardBlueprint.make({
  name: 'template-sync',
  params: {
    filter: isTemplateInstance,
    loader: () =>
      import('./components/TemplateSyncCard').then(m => (
        <m.EntityTemplateSyncCard />
      )),
  },
});

/** The platform team's fleet page at /template-sync, in the sidebar as "Template fleet". @public */
export const templateSyncFleetPage = PageBlueprint.make({
  params: {
    path: '/template-sync',
    title: 'Template fleet',
    icon: <RiGitPullRequestLine size={20} />,
    routeRef: templateSyncFleetRouteRef,
    loader: () =>
      import('./components/FleetPage').then(m => <m.TemplateSyncFleetPage />),
  },
});

/**
 * Template sync for Backstage's new frontend system: the API, the entity **Template** card and the **Template fleet**
 * page. Discovered by `app.packages`.
 * @public
 */
export const templateSyncPlugin = createFrontendPlugin({
  pluginId: 'template-sync',
  info: { packageJson: () => import('../package.json') },
  extensions: [templateSyncApi, entityTemplateSyncCard, templateSyncFleetPage],
  routes: { fleet: templateSyncFleetRouteRef },
});
