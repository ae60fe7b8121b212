import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** `paved.permissions`, with its defaults applied. @public */
export interface PermissionSettings {
  /** Groups (members, direct and transitive) and users who may do everything: full entity refs. */
  platformAdmins: string[];
  /** Who reads the catalog: `everyone` (default) or `owners` (plus Groups, Users, Systems, Domains, Templates). */
  catalogRead: 'everyone' | 'owners';
  /** Who may use Backstage's Kubernetes proxy (writes to clusters): only `admins` (default), or `nobody`. */
  kubernetesProxy: 'admins' | 'nobody';
  /** How long a user's resolved group memberships are reused, in seconds; default 60. */
  membershipCacheSeconds: number;
}

/**
 * An owner or member reference in full form: `payments` → `group:default/payments`, `user:jane` → `user:default/jane`.
 *
 * @public
 */
export function fullRef(ref: string, defaultKind = 'group'): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');
}

/** Reads `paved.permissions`. @public */
export function readPermissionSettings(config: Config): PermissionSettings {
  const c = config.getOptionalConfig('paved.permissions');
  const catalogRead = c?.getOptionalString('catalogRead') ?? 'everyone';
  const kubernetesProxy = c?.getOptionalString('kubernetesProxy') ?? 'admins';
  if (catalogRead !== 'everyone' && catalogRead !== 'owners') {
    throw new InputError(
      `paved.permissions.catalogRead must be "everyone" or "owners", not "${catalogRead}"`,
    );
  }
  if (kubernetesProxy !== 'admins' && kubernetesProxy !== 'nobody') {
    throw new InputError(
      `paved.permissions.kubernetesProxy must be "admins" or "nobody", not "${kubernetesProxy}"`,
    );
  }
  const platformAdmins = (
    c?.getOptionalStringArray('platformAdmins') ?? []
  ).map(ref => {
    try {
      return fullRef(ref);
    } catch {
      throw new InputError(
        `paved.permissions.platformAdmins: "${ref}" is not an entity reference`,
      );
    }
  });
  return {
    platformAdmins,
    catalogRead,
    kubernetesProxy,
    membershipCacheSeconds:
      c?.getOptionalNumber('membershipCacheSeconds') ?? 60,
  };
}
