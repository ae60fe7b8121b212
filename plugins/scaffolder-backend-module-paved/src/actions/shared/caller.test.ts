import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ownershipForTests } from '@paved/plugin-paved-node/testUtils';
import { createArgoCdRegisterAction } from '../argocd/register';
import { createNamespaceProvisionAction } from '../namespace/provision';
import { createTemplateAdoptAction } from '../template/adopt';
import { createTemplateFetchAction } from '../template/fetch';
import { createTemplateUpdateAction } from '../template/update';

// A developer of payments (through the child team payments-backend) and an admin; nothing upstream may be touched
// when a check refuses, so every collaborator is a spy that fails the test if called.
const ownership = ownershipForTests({
  members: {
    'user:default/dev': ['group:default/payments'],
    'user:default/root': ['group:default/platform'],
    'user:default/ops': ['group:default/orders'],
  },
  admins: ['group:default/platform'],
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'orders-api',
        annotations: { 'github.com/project-slug': 'acme/orders-api' },
      },
      spec: { owner: 'group:default/orders' },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments-legacy',
        annotations: { 'github.com/project-slug': 'acme/payments-legacy' },
      },
      spec: { owner: 'group:default/payments' },
    },
  ],
});
const untouchable = () =>
  new Proxy(
    {},
    {
      get: (_t, name) => {
        if (name === 'then') return undefined;
        if (name === 'plan')
          return (r: any) => ({
            name: r.name ?? 'x',
            ownerRef: r.owner,
            clusters: ['dev-eu'],
            manifests: [],
            appProject: {},
            applications: [
              {
                cluster: 'dev-eu',
                appName: 'orders-api-dev-eu',
                application: {},
              },
            ],
          });
        if (name === 'defaultMode') return 'gitops';
        if (name === 'settings') return { templates: {} };
        throw new Error(`${String(name)} was reached before the owner check`);
      },
    },
  ) as any;
const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: { github: [{ host: 'github.com', token: 't' }] },
  }),
);

const actions = {
  provision: createNamespaceProvisionAction({
    provisioner: untouchable(),
    ownership,
  }),
  register: createArgoCdRegisterAction({
    registrar: untouchable(),
    integrations,
    ownership,
  }),
  fetch: createTemplateFetchAction({ templates: untouchable(), ownership }),
  adopt: createTemplateAdoptAction({
    templates: untouchable(),
    integrations,
    ownership,
  }),
  update: createTemplateUpdateAction({
    templates: untouchable(),
    integrations,
    ownership,
  }),
};

const inputs: Record<keyof typeof actions, (owner: string) => unknown> = {
  provision: owner => ({ name: 'orders', owner }),
  register: owner => ({
    entityRef: 'component:default/orders-api',
    owner,
    repoUrl: 'https://github.com/acme/orders-api',
    cluster: 'dev-eu',
    namespace: 'orders',
  }),
  fetch: owner => ({
    source: 'https://github.com/acme/templates',
    values: { name: 'x', owner },
  }),
  adopt: owner => ({
    repoUrl: 'https://github.com/acme/payments-legacy',
    source: 'https://github.com/acme/templates',
    version: 'v1.0.0',
    values: { name: 'orders-api', owner },
  }),
  update: () => ({ repoUrl: 'https://github.com/acme/orders-api' }),
};

async function run(
  action: keyof typeof actions,
  owner: string,
  user?: string,
  isDryRun = false,
) {
  const ctx = createMockActionContext({
    input: inputs[action](owner) as any,
    ...(user ? { user: { ref: user } } : {}),
  });
  if (isDryRun) Object.assign(ctx, { isDryRun: true });
  if (!user) {
    // A task no user started (a service token): no initiator user either.
    ctx.getInitiatorCredentials = async () =>
      ({ principal: { type: 'service', subject: 'plugin:x' } } as any);
  }
  await actions[action].handler(ctx as any);
  return ctx;
}

describe('every Paved action acts only for owners its user belongs to', () => {
  it.each(Object.keys(actions) as Array<keyof typeof actions>)(
    '%s refuses another team, before any side effect and in dry runs too',
    async action => {
      for (const isDryRun of [false, true]) {
        const error = await run(
          action,
          'group:default/orders',
          'user:default/dev',
          isDryRun,
        ).catch(e => e);
        expect(error).toBeInstanceOf(NotAllowedError);
        expect(error.message).toMatch(
          /^user:default\/dev may not .*(not a member of group:default\/orders|belongs to group:default\/orders)$/,
        );
      }
    },
  );

  it.each(Object.keys(actions) as Array<keyof typeof actions>)(
    '%s refuses a task without a user',
    async action => {
      const error = await run(action, 'group:default/payments').catch(e => e);
      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toContain('Only a signed-in user may');
    },
  );

  it.each(['provision', 'register', 'fetch', 'adopt'] as const)(
    '%s lets a member and an admin through to the work (spelling of the owner does not matter)',
    async action => {
      for (const [user, owner] of [
        ['user:default/dev', 'group:default/payments'],
        ['user:default/dev', 'payments'],
        ['user:default/root', 'group:default/orders'],
      ]) {
        const error = await run(action, owner, user).catch(e => e);
        // Past the check, the action reaches its collaborators (spies here).
        expect(String(error?.message)).toMatch(
          /reached before the owner check/,
        );
        expect(error).not.toBeInstanceOf(NotAllowedError);
      }
    },
  );

  it("adopt refuses another team's repository even for the caller's own team", async () => {
    const ctx = createMockActionContext({
      input: {
        ...(inputs.adopt('group:default/payments') as object),
        repoUrl: 'https://github.com/acme/orders-api',
      } as any,
      user: { ref: 'user:default/dev' },
    });
    const error = await actions.adopt.handler(ctx as any).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe(
      'user:default/dev may not adopt https://github.com/acme/orders-api: https://github.com/acme/orders-api belongs to group:default/orders',
    );
  });

  it("update lets the repository's owners and admins through, by the catalog entity that records it", async () => {
    for (const user of ['user:default/ops', 'user:default/root']) {
      const error = await run('update', '', user).catch(e => e);
      expect(String(error?.message)).toMatch(/reached before the owner check/);
    }
  });
});
