import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  isPermission,
  type PermissionCondition,
  type PermissionCriteria,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createScaffolderActionConditionalDecision,
  createScaffolderTaskConditionalDecision,
  scaffolderActionConditions,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { pavedPermissions } from '@paved/plugin-paved-common';
import type { Caller, OwnershipService } from '@paved/plugin-paved-node';
import { ownerInputOf, spellings } from './owners';

type NonEmptyArray<T> = [T, ...T[]];
type ActionCriteria = PermissionCriteria<
  PermissionCondition<'scaffolder-action'>
>;

function nonEmpty<T>(items: T[]): NonEmptyArray<T> {
  if (!items.length)
    throw new Error('A permission criterion needs at least one condition');
  return items as NonEmptyArray<T>;
}

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** Kinds everyone must be able to read to use the portal at all (owner pickers, templates, org chart). */
const ALWAYS_READABLE = [
  'Group',
  'User',
  'System',
  'Domain',
  'Template',
  'Location',
];

/**
 * Paved's policy. Platform admins (`paved.permissions.platformAdmins`, members direct or through child groups) are
 * allowed everything; for everyone else:
 *
 * | permission | decision |
 * |---|---|
 * | Paved's (`paved.runtime-health.read`, `paved.template-sync.read`, `paved.template-sync.run`) | the entity's owners (conditional `isEntityOwner`, so lists filter) |
 * | `catalog.entity.read` | everyone, or with `catalogRead: owners` the owners (Groups, Users, Systems, Domains, Templates, Locations stay readable) |
 * | `catalog.entity.delete`, `catalog.entity.refresh` | the entity's owners |
 * | `catalog.location.delete` | admins only |
 * | `scaffolder.action.execute` of a `paved:` action | only when the owner it names (`owner`, or `values.owner`) is one the user may act for |
 * | `scaffolder.task.read`, `scaffolder.task.cancel` | the task's creator |
 * | `kubernetes.proxy` | admins only (it writes to clusters) |
 * | anything else | allowed |
 *
 * Memberships come from the catalog through {@link @paved/plugin-paved-node#OwnershipService}. A request without a
 * user (a service) never reaches a policy: Backstage allows service-to-service calls before asking it.
 * @public
 */
export class PavedPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly options: {
      ownership: OwnershipService;
      logger: LoggerService;
    },
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const caller = callerOf(user);
    if (!caller) return DENY;
    const { ownership } = this.options;
    const claims = await ownership.claims(caller);
    if (await ownership.isPlatformAdmin(caller, claims)) return ALLOW;
    const { permission } = request;
    const owned = () =>
      createCatalogConditionalDecision(
        permission as typeof catalogEntityReadPermission,
        catalogConditions.isEntityOwner({ claims }),
      );

    if (pavedPermissions.some(p => isPermission(permission, p))) return owned();
    if (isPermission(permission, catalogEntityReadPermission)) {
      if (ownership.settings.catalogRead === 'everyone') return ALLOW;
      return createCatalogConditionalDecision(permission, {
        anyOf: [
          catalogConditions.isEntityOwner({ claims }),
          catalogConditions.isEntityKind({ kinds: ALWAYS_READABLE }),
        ],
      });
    }
    if (
      isPermission(permission, catalogEntityDeletePermission) ||
      isPermission(permission, catalogEntityRefreshPermission)
    ) {
      return owned();
    }
    if (isPermission(permission, catalogLocationDeletePermission)) return DENY;
    if (isPermission(permission, kubernetesProxyPermission)) return DENY;
    if (
      isPermission(permission, taskReadPermission) ||
      isPermission(permission, taskCancelPermission)
    ) {
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({
          createdBy: [caller.userEntityRef!],
        }),
      );
    }
    if (isPermission(permission, actionExecutePermission)) {
      // Every Paved action names the owner it acts for; the action checks membership itself, this is the first wall.
      return createScaffolderActionConditionalDecision(permission, {
        anyOf: pavedActionConditions(claims),
      });
    }
    return ALLOW;
  }
}

/**
 * A step may run when it is not an owner-bound Paved action, or when the owner it names is absent (the action's schema
 * decides whether that is allowed) or one the user may act for, in any spelling of that ref.
 */
function pavedActionConditions(
  claims: string[],
): NonEmptyArray<ActionCriteria> {
  const values = claims.flatMap(spellings);
  const isAction = (actionId: string) =>
    scaffolderActionConditions.hasActionId({ actionId });
  return nonEmpty<ActionCriteria>([
    {
      not: {
        anyOf: nonEmpty<ActionCriteria>(
          ownerInputOf.map(({ actionId }) => isAction(actionId)),
        ),
      },
    },
    ...ownerInputOf.map(({ actionId, key }) => ({
      allOf: nonEmpty<ActionCriteria>([
        isAction(actionId),
        {
          anyOf: nonEmpty<ActionCriteria>([
            { not: scaffolderActionConditions.hasStringProperty({ key }) },
            ...values.map(value =>
              scaffolderActionConditions.hasStringProperty({ key, value }),
            ),
          ]),
        },
      ]),
    })),
  ]);
}

function callerOf(user?: PolicyQueryUser): Caller | undefined {
  const principal = user?.credentials?.principal as
    | { type?: string; userEntityRef?: string }
    | undefined;
  const userEntityRef =
    principal?.type === 'user' ? principal.userEntityRef : undefined;
  if (!userEntityRef) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const ownershipEntityRefs = user?.info?.ownershipEntityRefs ?? [];
  return { userEntityRef, ownershipEntityRefs };
}
