import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { runtimeHealthReadPermission } from '@paved/plugin-paved-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { bearerToken, DecisionCache } from './service/DecisionCache';
import type { EntityLookup } from './service/EntityLookup';
import type { HealthService } from './service/HealthService';

const params = z.object({
  namespace: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,62}$/),
  kind: z.string().regex(/^[a-zA-Z][\w-]{0,62}$/),
  name: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,62}$/),
});

/**
 * `GET /entity/:namespace/:kind/:name`: the caller must hold `catalog.entity.read` and `paved.runtime-health.read` on
 * the entity (catalog resource permissions, so policies can limit them to owners); only then is any upstream called.
 * No other route, no proxy.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  entities: Pick<EntityLookup, 'get'>;
  health: HealthService;
  /** Remembered ALLOW decisions (see {@link DecisionCache}); without it every request asks the permission backend. */
  decisions?: DecisionCache;
}): Promise<express.Router> {
  const { httpAuth, permissions, entities, health, decisions } = options;
  const router = Router();

  router.get('/entity/:namespace/:kind/:name', async (req, res) => {
    const parsed = params.safeParse(req.params);
    if (!parsed.success) {
      throw new InputError(
        `Not an entity reference: ${parsed.error.issues
          .map(i => `${i.path.join('.')} ${i.message}`)
          .join('; ')}`,
      );
    }
    const entityRef = stringifyEntityRef({
      kind: parsed.data.kind,
      namespace: parsed.data.namespace,
      name: parsed.data.name,
    });
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // Both checks in one permissions call: the caller may read the entity in the catalog and may read its runtime
    // health. Nothing upstream is called before both say yes. A token allowed for this entity within the last few
    // seconds is not asked again (DecisionCache); credentials are verified on every request regardless.
    const token =
      credentials.principal.type === 'user'
        ? bearerToken(req.headers.authorization)
        : undefined;
    if (!decisions?.isAllowed(token, entityRef)) {
      const results = await permissions.authorize(
        [
          { permission: catalogEntityReadPermission, resourceRef: entityRef },
          { permission: runtimeHealthReadPermission, resourceRef: entityRef },
        ],
        { credentials },
      );
      if (results.some(d => d.result !== AuthorizeResult.ALLOW)) {
        throw new NotAllowedError(
          `You may not read the runtime health of ${entityRef}`,
        );
      }
      decisions?.allow(token, entityRef);
    }
    const entity = await entities.get(entityRef);
    if (!entity) throw new NotFoundError(`No entity ${entityRef}`);
    res.json(await health.get(entity));
  });

  return router;
}
