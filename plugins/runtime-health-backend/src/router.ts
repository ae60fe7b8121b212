import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { runtimeHealthReadPermission } from '@paved/plugin-paved-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { HealthService } from './service/HealthService';

const params = z.object({
  namespace: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,62}$/),
  kind: z.string().regex(/^[a-zA-Z][\w-]{0,62}$/),
  name: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,62}$/),
});

/**
 * `GET /entity/:namespace/:kind/:name`: the caller must hold `paved.runtime-health.read` on the entity (a catalog
 * resource permission, so policies can limit it to owners) and be able to read it in the catalog; only then is any
 * upstream called. No other route, no proxy.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  health: HealthService;
}): Promise<express.Router> {
  const { httpAuth, permissions, catalog, health } = options;
  const router = Router();
  router.use(express.json());

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
    // The permission decision and the catalog read (itself permission-checked) are independent lookups: asked
    // together they cost one round trip, and no upstream source is called before both say yes.
    const [[decision], entity] = await Promise.all([
      permissions.authorize(
        [{ permission: runtimeHealthReadPermission, resourceRef: entityRef }],
        { credentials },
      ),
      catalog.getEntityByRef(entityRef, { credentials }),
    ]);
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not read the runtime health of ${entityRef}`,
      );
    }
    if (!entity) throw new NotFoundError(`No entity ${entityRef}`);
    res.json(await health.get(entity));
  });

  return router;
}
