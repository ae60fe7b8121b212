import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  createPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  actionExecutePermission,
  taskReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  runtimeHealthReadPermission,
  templateSyncRunPermission,
} from '@paved/plugin-paved-common';
import { OwnershipService } from '@paved/plugin-paved-node';
import { ADMINS, ORG_ENTITIES } from '../__testUtils__/org';
import { PavedPermissionPolicy } from './PavedPermissionPolicy';

// The scaffolder's own rules are internal to it; these mirror their documented meaning so the decisions this policy
// returns can be evaluated the way the scaffolder evaluates them (createConditionAuthorizer).
const actionRules = [
  createPermissionRule({
    name: 'HAS_ACTION_ID',
    description: 'action id',
    resourceType: 'scaffolder-action',
    apply: (r: any, p: { actionId: string }) => r.action === p.actionId,
    toQuery: () => ({}),
  } as any),
  createPermissionRule({
    name: 'HAS_STRING_PROPERTY',
    description: 'string property',
    resourceType: 'scaffolder-action',
    apply: (r: any, p: { key: string; value?: string }) => {
      const found = p.key
        .split('.')
        .reduce((o: any, k) => (o === undefined ? o : o[k]), r.input);
      if (typeof found !== 'string') return false;
      return p.value === undefined || p.value === found;
    },
    toQuery: () => ({}),
  } as any),
] as any[];
const actionAllowed = createConditionAuthorizer(actionRules);

function policyWith(settings: Partial<OwnershipService['settings']> = {}) {
  const ownership = new OwnershipService(
    {
      platformAdmins: ADMINS,
      catalogRead: 'everyone',
      kubernetesProxy: 'admins',
      membershipCacheSeconds: 60,
      ...settings,
    },
    {
      catalog: catalogServiceMock({ entities: ORG_ENTITIES }),
      auth: mockServices.auth(),
      cache: mockServices.cache.mock(),
      logger: mockServices.logger.mock(),
    },
  );
  return new PavedPermissionPolicy({
    ownership,
    logger: mockServices.logger.mock(),
  });
}

const as = (name: string) => ({
  credentials: mockCredentials.user(`user:default/${name}`),
  info: {
    userEntityRef: `user:default/${name}`,
    ownershipEntityRefs: [`user:default/${name}`],
  },
});

describe('PavedPermissionPolicy', () => {
  const policy = policyWith();

  it.each([
    ['alice', ['user:default/alice', 'group:default/payments']],
    [
      'dave',
      [
        'user:default/dave',
        'group:default/payments-backend',
        'group:default/payments',
      ],
    ],
    ['bob', ['user:default/bob', 'group:default/orders']],
  ])(
    'limits Paved permissions of %s to what their groups own',
    async (name, claims) => {
      const decision = (await policy.handle(
        { permission: runtimeHealthReadPermission },
        as(name),
      )) as any;
      expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
      expect(decision.conditions).toEqual({
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: expect.arrayContaining(claims) },
      });
      expect(decision.conditions.params.claims).toHaveLength(claims.length);
    },
  );

  it('allows platform admins everything, through a child group too', async () => {
    for (const permission of [
      runtimeHealthReadPermission,
      templateSyncRunPermission,
      kubernetesProxyPermission,
      actionExecutePermission,
    ]) {
      expect(await policy.handle({ permission }, as('carol'))).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('keeps the Kubernetes proxy to admins and the catalog open', async () => {
    expect(
      await policy.handle(
        { permission: kubernetesProxyPermission },
        as('alice'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policy.handle(
        { permission: catalogEntityReadPermission },
        as('bob'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    const unrelated = createPermission({ name: 'other.thing', attributes: {} });
    expect(await policy.handle({ permission: unrelated }, as('bob'))).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('limits catalog reads to owners when configured', async () => {
    const decision = (await policyWith({ catalogRead: 'owners' }).handle(
      { permission: catalogEntityReadPermission },
      as('bob'),
    )) as any;
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect(decision.conditions.anyOf).toHaveLength(2);
  });

  it('shows users only their own scaffolder tasks', async () => {
    const decision = (await policy.handle(
      { permission: taskReadPermission },
      as('bob'),
    )) as any;
    expect(decision.conditions).toMatchObject({
      rule: 'IS_TASK_OWNER',
      params: { createdBy: ['user:default/bob'] },
    });
  });

  describe('scaffolder actions', () => {
    let decision: PolicyDecision;
    beforeAll(async () => {
      decision = await policy.handle(
        { permission: actionExecutePermission },
        as('alice'),
      );
    });
    const may = (action: string, input: Record<string, unknown>) =>
      actionAllowed(decision, { action, input } as any);

    it.each([
      ['paved:namespace:provision', { owner: 'group:default/payments' }, true],
      ['paved:namespace:provision', { owner: 'payments' }, true],
      ['paved:namespace:provision', { owner: 'group:payments' }, true],
      ['paved:namespace:provision', { owner: 'group:default/orders' }, false],
      ['paved:namespace:provision', { owner: 'orders' }, false],
      ['paved:argocd:register', { owner: 'group:default/orders' }, false],
      ['paved:argocd:register', { owner: 'group:default/payments' }, true],
      ['paved:preflight', { owner: 'group:default/orders' }, false],
      ['paved:preflight', { owner: 'group:default/payments' }, true],
      [
        'paved:template:fetch',
        { values: { owner: 'group:default/orders' } },
        false,
      ],
      [
        'paved:template:fetch',
        { values: { owner: 'group:default/payments' } },
        true,
      ],
      ['paved:template:fetch', { values: { name: 'x' } }, true],
      ['paved:template:adopt', { values: { owner: 'orders' } }, false],
      ['publish:github', { repoUrl: 'github.com?owner=x&repo=y' }, true],
    ])('%s with %j: %s', (action, input, expected) => {
      expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
      expect(may(action, input)).toBe(expected);
    });
  });
});
