import type { Entity } from '@backstage/catalog-model';
import type {
  AuthService,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { OwnershipService } from '../ownership/OwnershipService';

/**
 * An OwnershipService over a made-up organisation, for tests of code that checks who may act for whom:
 * `members` maps user refs to the group refs they belong to (direct), `entities` adds catalog entities (for
 * repository ownership), `admins` lists platform admins. By default `user:default/mock` (the user of
 * `createMockActionContext`'s credentials) is a platform admin.
 *
 * @public
 */
export function ownershipForTests(
  options: {
    members?: Record<string, string[]>;
    admins?: string[];
    entities?: Entity[];
  } = {},
): OwnershipService {
  const users: Entity[] = Object.entries(options.members ?? {}).map(
    ([ref, groups]) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: ref.split('/').pop()!, namespace: 'default' },
      spec: {},
      relations: groups.map(g => ({ type: 'memberOf', targetRef: g })),
    }),
  );
  const all = [...users, ...(options.entities ?? [])];
  const refOf = (e: Entity) =>
    `${e.kind}:${e.metadata.namespace ?? 'default'}/${
      e.metadata.name
    }`.toLocaleLowerCase('en-US');
  const catalog = {
    getEntityByRef: async (ref: string) =>
      all.find(e => refOf(e) === ref.toLocaleLowerCase('en-US')),
    getEntities: async (request: { filter?: unknown }) => ({
      items: all.filter(e =>
        JSON.stringify(request.filter ?? '').includes(
          String(e.metadata.annotations?.['github.com/project-slug'] ?? '\0'),
        ),
      ),
    }),
  } as unknown as CatalogService;
  return new OwnershipService(
    {
      platformAdmins: options.admins ?? ['user:default/mock'],
      catalogRead: 'everyone',
      kubernetesProxy: 'admins',
      membershipCacheSeconds: 0,
    },
    {
      catalog,
      auth: {
        getOwnServiceCredentials: async () => ({
          $$type: '@backstage/BackstageCredentials',
          principal: { type: 'service', subject: 'plugin:test' },
        }),
      } as unknown as AuthService,
      cache: {
        get: async () => undefined,
        set: async () => {},
      } as unknown as CacheService,
      logger: { warn: () => {} } as unknown as LoggerService,
    },
  );
}
