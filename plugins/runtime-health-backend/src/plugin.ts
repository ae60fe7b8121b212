import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  argoCdServiceRef,
  clusterRegistryServiceRef,
  gitOpsServiceRef,
  kubernetesReaderServiceRef,
  newRelicServiceRef,
} from '@paved/plugin-paved-node';
import { createRouter } from './router';
import { DecisionCache } from './service/DecisionCache';
import { EntityLookup } from './service/EntityLookup';
import { HealthService } from './service/HealthService';
import { argoCdTarget, readArgoCd } from './sources/argocd';
import { kubernetesTarget, readKubernetes } from './sources/kubernetes';
import { newRelicTarget, readNewRelic } from './sources/newrelic';
import { PendingChanges } from './sources/pending';

/**
 * Runtime health: one verdict per entity from EKS workloads, Argo CD and New Relic (plugin id `runtime-health`).
 * @public
 */
export const runtimeHealthPlugin = createBackendPlugin({
  pluginId: 'runtime-health',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        cache: coreServices.cache,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
        clusters: clusterRegistryServiceRef,
        reader: kubernetesReaderServiceRef,
        argocd: argoCdServiceRef,
        newrelic: newRelicServiceRef,
        gitops: gitOpsServiceRef,
      },
      async init(deps) {
        const {
          config,
          logger,
          cache,
          clusters,
          reader,
          argocd,
          newrelic,
          gitops,
        } = deps;
        const health = config.getOptionalConfig('paved.health');
        const timeout = (source: string) =>
          health?.getOptionalNumber(`timeouts.${source}`);
        const ttlMs =
          (health?.getOptionalNumber('cacheTtlSeconds') ?? 15) * 1000;
        const service = new HealthService({
          logger,
          cache,
          ttlMs,
          pending: new PendingChanges({ gitops, cache, logger, ttlMs }),
          timeoutMs: {
            default: health?.getOptionalNumber('timeoutMs') ?? 2_000,
            ...(timeout('kubernetes')
              ? { kubernetes: timeout('kubernetes') }
              : {}),
            ...(timeout('argocd') ? { argocd: timeout('argocd') } : {}),
            ...(timeout('newrelic') ? { newrelic: timeout('newrelic') } : {}),
          },
          sources: {
            kubernetes: {
              configured: e => !!kubernetesTarget(e),
              read: e => readKubernetes(e, { clusters, reader }),
              provisional: d => d.clusters.every(c => !c.workloads.length),
            },
            argocd: {
              configured: e => !!argoCdTarget(e) && argocd.names().length > 0,
              read: e => readArgoCd(e, argocd),
              provisional: d => d.apps.every(a => a.healthStatus === 'Missing'),
            },
            newrelic: {
              configured: e => !!newRelicTarget(e) && !!newrelic,
              read: e => readNewRelic(e, newrelic!),
              provisional: d => !d.signals,
            },
          },
        });
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            entities: new EntityLookup({
              catalog: deps.catalog,
              auth: deps.auth,
              cache,
              ttlMs,
            }),
            health: service,
            decisions: new DecisionCache({
              ttlMs:
                (health?.getOptionalNumber('permissionCacheSeconds') ?? 10) *
                1000,
            }),
          }),
        );
      },
    });
  },
});
