import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  TEMPLATE_SYNC_STATUSES,
  type TemplateFleetResponse,
  type TemplateSyncSchedule,
  type TemplateFleetSummary,
  type TemplateInstanceState,
  templateSyncReadPermission,
  templateSyncRunPermission,
} from '@paved/plugin-paved-common';
import express from 'express';
import Router from 'express-promise-router';
import semver from 'semver';
import { z } from 'zod';
import type { SyncStore } from './database/SyncStore';
import type { FleetSync } from './service/FleetSync';

const entityParams = z.object({
  namespace: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,62}$/),
  kind: z.string().regex(/^[a-zA-Z][\w-]{0,62}$/),
  name: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,62}$/),
});

const fleetQuery = z
  .object({
    source: z.string().trim().min(1).max(1000).optional(),
    owner: z.string().trim().min(1).max(300).optional(),
    q: z.string().trim().max(200).optional(),
    status: z
      .union([z.string(), z.array(z.string())])
      .transform(v => (Array.isArray(v) ? v : v.split(',')).filter(Boolean))
      .pipe(z.array(z.enum(TEMPLATE_SYNC_STATUSES as [string, ...string[]])))
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `Invalid ${what}: ${result.error.issues
        .map(i => `${i.path.join('.') || what} ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

/** Versions newest first; what is not a version (`unknown`) last. */
function newestFirst(a: { version: string }, b: { version: string }): number {
  const x = semver.coerce(a.version);
  const y = semver.coerce(b.version);
  if (x && y) {
    return semver.rcompare(x, y) || b.version.localeCompare(a.version);
  }
  if (x || y) return x ? -1 : 1;
  return a.version.localeCompare(b.version);
}

/** Per template: versions in use, instances behind, open and conflicted pull requests. */
export function summarise(
  instances: TemplateInstanceState[],
): TemplateFleetSummary[] {
  const bySource = new Map<string, TemplateInstanceState[]>();
  for (const i of instances) {
    bySource.set(i.source, [...(bySource.get(i.source) ?? []), i]);
  }
  return [...bySource.entries()]
    .map(([source, list]) => {
      const counts = new Map<string, number>();
      for (const i of list) {
        const v = i.currentVersion ?? 'unknown';
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const latestVersion = list.find(i => i.latestVersion)?.latestVersion;
      return {
        source,
        templateName: list[0].templateName,
        ...(latestVersion ? { latestVersion } : {}),
        instances: list.length,
        behind: list.filter(i =>
          ['behind', 'pull-request', 'conflicts', 'declined'].includes(
            i.status,
          ),
        ).length,
        openPullRequests: list.filter(
          i => i.status === 'pull-request' || i.status === 'conflicts',
        ).length,
        conflicted: list.filter(i => i.status === 'conflicts').length,
        errors: list.filter(i => i.status === 'error').length,
        versions: [...counts.entries()]
          .map(([version, count]) => ({ version, count }))
          .sort(newestFirst),
      };
    })
    .sort((a, b) => a.templateName.localeCompare(b.templateName));
}

/**
 * - `GET /entity/:namespace/:kind/:name`: the entity's sync state (`catalog.entity.read` + `paved.template-sync.read`)
 * - `POST /entity/:namespace/:kind/:name/sync`: check it now and open or refresh its pull request
 *   (`catalog.entity.read` + `paved.template-sync.run`); 409 while another run holds it
 * - `GET /fleet?source=&status=&owner=&q=&limit=&offset=`: per-template summary and instances, only those the caller
 *   may read
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  store: SyncStore;
  fleet: Pick<FleetSync, 'runOne'>;
  /** The fleet job's schedule, in words (default: not described). */
  schedule?: TemplateSyncSchedule;
}): Promise<express.Router> {
  const { httpAuth, permissions, store, fleet } = options;
  const schedule = options.schedule ?? {
    enabled: true,
    description: 'on its schedule',
  };
  const router = Router();
  router.use(express.json({ limit: '10kb' }));

  const allowed = async (
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    entityRefs: string[],
  ): Promise<Set<string>> => {
    if (entityRefs.length === 0) return new Set();
    const decisions = await permissions.authorize(
      entityRefs.flatMap(resourceRef => [
        { permission: catalogEntityReadPermission, resourceRef },
        { permission, resourceRef },
      ]),
      { credentials },
    );
    return new Set(
      entityRefs.filter(
        (_, i) =>
          decisions[2 * i].result === AuthorizeResult.ALLOW &&
          decisions[2 * i + 1].result === AuthorizeResult.ALLOW,
      ),
    );
  };

  const entityRefOf = (params: unknown) => {
    const p = parse(entityParams, params, 'entity reference');
    return stringifyEntityRef(p);
  };

  router.get('/entity/:namespace/:kind/:name', async (req, res) => {
    const entityRef = entityRefOf(req.params);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (
      !(await allowed(credentials, templateSyncReadPermission, [entityRef]))
        .size
    ) {
      throw new NotAllowedError(
        `You may not read the template sync state of ${entityRef}`,
      );
    }
    const state = await store.get(entityRef);
    if (!state) {
      throw new NotFoundError(
        `${entityRef} has not been seen by template sync: it needs paved.dev/template-* annotations, then a run`,
      );
    }
    res.json(state);
  });

  router.post('/entity/:namespace/:kind/:name/sync', async (req, res) => {
    const entityRef = entityRefOf(req.params);
    if (req.body && Object.keys(req.body).length) {
      throw new InputError('This route takes no body');
    }
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (
      !(await allowed(credentials, templateSyncRunPermission, [entityRef])).size
    ) {
      throw new NotAllowedError(
        `You may not run template sync for ${entityRef}`,
      );
    }
    res.json(await fleet.runOne(entityRef));
  });

  // When the fleet job runs: configuration, not any entity's data; for any signed-in user.
  router.get('/schedule', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(schedule);
  });

  router.get('/fleet', async (req, res) => {
    const query = parse(fleetQuery, req.query, 'query');
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // Permission first, over the whole template, so the summary and the table show only what the caller may read.
    const all = await store.list({ source: query.source });
    const visible = await allowed(
      credentials,
      templateSyncReadPermission,
      all.map(i => i.entityRef),
    );
    const readable = all.filter(i => visible.has(i.entityRef));
    const text = query.q?.toLowerCase();
    const instances = readable.filter(
      i =>
        (!query.status || query.status.includes(i.status)) &&
        (!query.owner || i.owner === query.owner) &&
        (!text ||
          [i.entityRef, i.title ?? '', i.repoUrl ?? ''].some(v =>
            v.toLowerCase().includes(text),
          )),
    );
    const body: TemplateFleetResponse = {
      templates: summarise(readable),
      instances: instances.slice(query.offset, query.offset + query.limit),
      total: instances.length,
    };
    res.json(body);
  });

  return router;
}
