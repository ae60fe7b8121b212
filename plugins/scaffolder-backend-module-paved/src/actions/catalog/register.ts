import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, isError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import {
  type CatalogService,
  locationSpecToLocationEntity,
} from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PAVED_ACTION_IDS } from '@paved/plugin-paved-common';
import { stringify } from 'yaml';
import { strictParser } from '../shared/parse';

const input = {
  repoContentsUrl: (zod: typeof import('zod/v3').z) =>
    zod
      .string({
        description:
          "The repository's contents URL, as publish:github outputs it (https://github.com/acme/orders/blob/main)",
      })
      .min(1),
  catalogInfoPath: (zod: typeof import('zod/v3').z) =>
    zod
      .string({
        description: 'Path of the catalog file; default /catalog-info.yaml',
      })
      .min(1)
      .optional(),
};
const parse = strictParser(PAVED_ACTION_IDS.catalogRegister, input);

/**
 * `paved:catalog:register`: `catalog:register` that a retried run can run again. Backstage's action registers the
 * location, then reads it back for the entity ref; when that second call fails (a GitHub hiccup) the location is
 * already there, and every retry fails on it with 409. Here a location already registered for the same file is
 * success, the entity ref is read from it, and a location the catalog could not read before is refreshed at once. With the task user's credentials, so the catalog's permissions apply.
 * @public
 */
export function createCatalogRegisterAction(options: {
  catalog: CatalogService;
  integrations: ScmIntegrationRegistry;
  auth: AuthService;
}) {
  const { catalog, integrations, auth } = options;
  return createTemplateAction({
    id: PAVED_ACTION_IDS.catalogRegister,
    description:
      'Registers the catalog file of a repository in the software catalog; running it again (a retried task) is success',
    examples: [
      {
        description: 'After publish:github',
        example: stringify({
          steps: [
            {
              id: 'register',
              action: PAVED_ACTION_IDS.catalogRegister,
              input: {
                repoContentsUrl: '${{ steps.publish.output.repoContentsUrl }}',
                catalogInfoPath: '/catalog-info.yaml',
              },
            },
          ],
        }),
      },
    ],
    supportsDryRun: true,
    schema: {
      input,
      output: {
        entityRef: z =>
          z.string({ description: 'The registered entity' }).optional(),
        catalogInfoUrl: z =>
          z.string({ description: 'The registered location' }),
      },
    },
    async handler(ctx) {
      const { repoContentsUrl, catalogInfoPath = '/catalog-info.yaml' } = parse(
        ctx.input,
      );
      const integration = integrations.byUrl(repoContentsUrl);
      // In a dry run publish:github outputs a placeholder for the repository it did not create.
      if (ctx.isDryRun && !integration) {
        ctx.logger.info(
          `Dry run: would register ${catalogInfoPath} of ${repoContentsUrl}`,
        );
        return;
      }
      if (!integration) {
        throw new InputError(
          `repoContentsUrl ${repoContentsUrl} is on a host without an SCM integration (integrations in app-config)`,
        );
      }
      const catalogInfoUrl = integration.resolveUrl({
        base: repoContentsUrl,
        url: catalogInfoPath,
      });
      ctx.output('catalogInfoUrl', catalogInfoUrl);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register ${catalogInfoUrl}`);
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      const location = { type: 'url', target: catalogInfoUrl };
      try {
        await ctx.checkpoint({
          key: `catalog.register.${catalogInfoUrl}`,
          fn: async () => {
            try {
              await catalog.addLocation(location, { credentials });
            } catch (error) {
              // Registered by an earlier attempt of this run (or another run for the same file): nothing to add.
              const existing =
                isError(error) && error.name === 'ConflictError'
                  ? await catalog.getLocationByRef(`url:${catalogInfoUrl}`, {
                      credentials,
                    })
                  : undefined;
              if (!existing) throw error;
              ctx.logger.info(`${catalogInfoUrl} is already registered`);
            }
          },
        });
        const { entities } = await catalog.addLocation(
          { ...location, dryRun: true },
          { credentials },
        );
        const entity =
          entities.find(
            e =>
              e.kind === 'Component' &&
              !e.metadata.name.startsWith('generated-'),
          ) ?? entities.find(e => !e.metadata.name.startsWith('generated-'));
        if (entity) ctx.output('entityRef', stringifyEntityRef(entity));
        // The file reads now. When an earlier attempt registered the location while the file could not be read, the
        // catalog retries it only after its backoff: refresh the location so the entity appears now. The location's
        // entity never got processed in that case (so it is not in the catalog to look up); its ref is derived from
        // the location as the catalog derives it, and a refresh works on the catalog's processing state.
        const service = await auth.getOwnServiceCredentials();
        if (
          entity &&
          !(await catalog.getEntityByRef(stringifyEntityRef(entity), {
            credentials: service,
          }))
        ) {
          const locationRef = stringifyEntityRef(
            locationSpecToLocationEntity({ location }),
          );
          ctx.logger.info(`Refreshing ${locationRef}`);
          await catalog.refreshEntity(locationRef, { credentials: service });
        }
        ctx.logger.info(
          `Registered ${catalogInfoUrl}${
            entity ? ` (${stringifyEntityRef(entity)})` : ''
          }`,
        );
      } catch (error) {
        if (!isError(error) || error.name === 'NotAllowedError') throw error;
        throw Object.assign(
          new Error(
            `The catalog could not register ${catalogInfoUrl} (${error.message}): retry the run, it resumes here.`,
          ),
          { name: error.name, cause: error },
        );
      }
    },
  });
}
