import type {
  AuthService,
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  fullRef,
  readPermissionSettings,
  type PermissionSettings,
} from './config';

/** Groups are nested at most this deep; deeper parents are ignored (and a cycle ends here). */
const MAX_DEPTH = 16;

/** Who is asking: a user's entity ref and the ownership refs of their Backstage token, if any. @public */
export interface Caller {
  userEntityRef?: string;
  ownershipEntityRefs?: string[];
}

/**
 * Who a user may act for, from the catalog: the user, every Group they are a member of, and every ancestor of those
 * Groups (`spec.parent`, so members of `payments-backend` act for `payments`), plus their token's ownership claims;
 * and whether they are a platform admin (`paved.permissions.platformAdmins`). Memberships are cached per user for
 * `paved.permissions.membershipCacheSeconds`. Shared by the permission policy and every Paved action.
 * @public
 */
export class OwnershipService {
  static fromConfig(
    config: Config,
    deps: {
      catalog: CatalogService;
      auth: AuthService;
      cache: CacheService;
      logger: LoggerService;
    },
  ): OwnershipService {
    return new OwnershipService(readPermissionSettings(config), deps);
  }

  constructor(
    readonly settings: PermissionSettings,
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      cache: CacheService;
      logger: LoggerService;
    },
  ) {}

  /** Every entity ref the caller may act for, in full lower-case form (`group:default/payments`). */
  async claims(caller: Caller): Promise<string[]> {
    const own = [caller.userEntityRef, ...(caller.ownershipEntityRefs ?? [])]
      .filter((r): r is string => Boolean(r))
      .map(r => fullRef(r, 'user'));
    if (!caller.userEntityRef) return [...new Set(own)];
    const user = fullRef(caller.userEntityRef, 'user');
    const key = `paved-claims:${user}`;
    let groups = (await this.deps.cache.get(key)) as string[] | undefined;
    if (!groups) {
      groups = await this.groupsOf(user);
      await this.deps.cache.set(key, groups, {
        ttl: this.settings.membershipCacheSeconds * 1000,
      });
    }
    return [...new Set([...own, ...groups])];
  }

  /** Whether the caller is a platform admin (member, directly or through a child group, of an admin group). */
  async isPlatformAdmin(caller: Caller, claims?: string[]): Promise<boolean> {
    const admins = this.settings.platformAdmins;
    if (!admins.length) return false;
    const mine = claims ?? (await this.claims(caller));
    return mine.some(c => admins.includes(c));
  }

  /**
   * Throws NotAllowedError unless the caller is a member of `owner` (directly or transitively) or a platform admin.
   * `what` names the action in the message (`provision namespaces for group:default/orders`).
   */
  async assertMayActFor(
    caller: Caller | undefined,
    owner: string,
    what: string,
  ): Promise<void> {
    const target = fullRef(owner);
    if (!caller?.userEntityRef) {
      throw new NotAllowedError(
        `Only a signed-in user may ${what}; this run has no user`,
      );
    }
    const claims = await this.claims(caller);
    if (claims.includes(target) || (await this.isPlatformAdmin(caller, claims)))
      return;
    throw new NotAllowedError(
      `${caller.userEntityRef} may not ${what}: they are not a member of ${target}`,
    );
  }

  /**
   * Throws NotAllowedError unless the caller may act for the owner of a catalog entity that records `repoUrl`
   * (`github.com/project-slug` or `backstage.io/source-location`), or is a platform admin. A repository no entity
   * records belongs to nobody the portal knows, so only admins may act on it.
   */
  async assertMayActForRepository(
    caller: Caller | undefined,
    repoUrl: string,
    what: string,
  ): Promise<void> {
    if (!caller?.userEntityRef) {
      throw new NotAllowedError(
        `Only a signed-in user may ${what}; this run has no user`,
      );
    }
    const claims = await this.claims(caller);
    if (await this.isPlatformAdmin(caller, claims)) return;
    const owners = await this.ownersOfRepository(repoUrl);
    if (owners.some(o => claims.includes(o))) return;
    throw new NotAllowedError(
      owners.length
        ? `${
            caller.userEntityRef
          } may not ${what}: ${repoUrl} belongs to ${owners.join(', ')}`
        : `${caller.userEntityRef} may not ${what}: no catalog entity records ${repoUrl}, so only platform admins may`,
    );
  }

  /** Owners (full refs) of the catalog entities that record a repository. */
  private async ownersOfRepository(repoUrl: string): Promise<string[]> {
    let url: URL;
    try {
      url = new URL(repoUrl);
    } catch {
      return [];
    }
    const slug = url.pathname
      .replace(/^\/+|\/+$/g, '')
      .replace(/\.git$/, '')
      .split('/')
      .slice(0, 2)
      .join('/');
    if (!/^[^/]+\/[^/]+$/.test(slug)) return [];
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: [
          { 'metadata.annotations.github.com/project-slug': slug },
          {
            'metadata.annotations.backstage.io/source-location': [
              `url:${url.origin}/${slug}`,
              `url:${url.origin}/${slug}/`,
              `url:${url.origin}/${slug}/tree/main/`,
            ],
          },
        ],
        fields: ['spec.owner'],
      },
      { credentials },
    );
    return [
      ...new Set(
        items
          .map(e => (e.spec as { owner?: string } | undefined)?.owner)
          .filter((o): o is string => typeof o === 'string')
          .map(o => fullRef(o)),
      ),
    ];
  }

  /** The user's groups and all their ancestors, read with the backend's own credentials. */
  private async groupsOf(user: string): Promise<string[]> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const read = (ref: string) =>
      this.deps.catalog.getEntityByRef(ref, { credentials });
    const related = (entity: Entity | undefined, type: string) =>
      (entity?.relations ?? [])
        .filter(r => r.type === type)
        .map(r => r.targetRef.toLocaleLowerCase('en-US'));
    try {
      const entity = await read(user);
      const found = new Set<string>();
      let frontier = related(entity, 'memberOf');
      for (let depth = 0; frontier.length && depth < MAX_DEPTH; depth++) {
        const next: string[] = [];
        for (const group of frontier) {
          if (found.has(group)) continue;
          found.add(group);
          next.push(...related(await read(group), 'childOf'));
        }
        frontier = next;
      }
      return [...found];
    } catch (error) {
      // A catalog that cannot answer grants nothing extra: the caller keeps their token's claims only.
      this.deps.logger.warn('Could not resolve group memberships', {
        user,
        error: String(error),
      });
      return [];
    }
  }
}

/**
 * The user a scaffolder step runs for: the task's user (`ctx.user`), or the principal of the credentials that started
 * it. Undefined for a task no user started. @public
 */
export async function taskCaller(ctx: {
  user?: { ref?: string; entity?: Entity };
  getInitiatorCredentials(): Promise<BackstageCredentials>;
}): Promise<Caller | undefined> {
  const ref =
    ctx.user?.ref ??
    (ctx.user?.entity ? stringifyEntityRef(ctx.user.entity) : undefined);
  if (ref) return { userEntityRef: ref };
  const credentials = await ctx
    .getInitiatorCredentials()
    .catch(() => undefined);
  const principal = credentials?.principal as
    | { type?: string; userEntityRef?: string }
    | undefined;
  return principal?.type === 'user' && principal.userEntityRef
    ? { userEntityRef: principal.userEntityRef }
    : undefined;
}
