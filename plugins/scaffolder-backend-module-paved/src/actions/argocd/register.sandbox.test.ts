import { ConflictError } from '@backstage/errors';
import { ArgoCdClients } from '@paved/plugin-paved-node';
import { parse } from 'yaml';
import {
  type SandboxBackend,
  startSandboxBackend,
} from '../../__testUtils__/sandboxBackend';

/**
 * `paved:argocd:register` as the backend wires it, against the sandbox's Argo CD instances (`main`, `edge`) and
 * GitHub over the wire: API mode upserts with the real server's validation (project must exist and permit the source
 * repository and destination), GitOps mode opens one pull request.
 */
describe('paved:argocd:register against the sandbox', () => {
  let harness: SandboxBackend;
  let argocd: ArgoCdClients;

  beforeAll(async () => {
    harness = await startSandboxBackend();
    argocd = ArgoCdClients.fromConfig(harness.config);
    // An application may only deploy into its owner's namespaces: the checkout team's are provisioned first.
    for (const [name, cluster] of [
      ['checkout', 'dev-eu'],
      ['checkout-jobs', 'prod-eu'],
    ]) {
      await harness.run('paved:namespace:provision', {
        name,
        owner: 'group:default/checkout-team',
        clusters: [cluster],
        mode: 'apply',
      });
    }
  });
  afterAll(() => harness?.stop());

  const run = (input: Record<string, unknown>) =>
    harness.run('paved:argocd:register', input);
  const repoUrl = () => `${harness.sandbox.url}/paved-demo/orders`;

  describe('api mode', () => {
    const input = () => ({
      entityRef: 'component:default/orders',
      owner: 'group:default/checkout-team',
      repoUrl: repoUrl(),
      cluster: 'dev-eu',
      namespace: 'checkout',
      valueFiles: ['values.yaml', 'values-dev.yaml'],
      mode: 'api',
    });

    it('creates the project and application, then converges, then updates what changed', async () => {
      const first = await run(input());
      expect(first).toMatchObject({
        appName: 'orders',
        instance: 'main',
        project: 'checkout-team',
        applicationChange: 'created',
        projectChange: 'created',
        url: `${harness.sandbox.url}/argocd/main/applications/argocd/orders`,
      });
      expect(harness.checkpoints).toEqual(['argocd.api.main.orders']);

      const app = await argocd.get('main').getApplication('orders');
      expect(app?.spec.source).toEqual({
        repoURL: repoUrl(),
        path: 'chart',
        targetRevision: 'HEAD',
        helm: { valueFiles: ['values.yaml', 'values-dev.yaml'] },
      });
      // The sandbox syncs automated applications at once, as Argo CD's controller would.
      expect(app?.status).toMatchObject({
        sync: { status: 'Synced' },
        health: { status: 'Healthy' },
      });

      expect(await run(input())).toMatchObject({
        applicationChange: 'unchanged',
        projectChange: 'unchanged',
      });
      expect(await run({ ...input(), targetRevision: 'v1.1.0' })).toMatchObject(
        { applicationChange: 'updated', projectChange: 'unchanged' },
      );
      expect(
        (await argocd.get('main').getApplication('orders'))?.status?.history,
      ).toHaveLength(2);
    });

    it('widens the team project for a second application instead of narrowing it', async () => {
      await run({
        ...input(),
        entityRef: 'component:default/orders-worker',
        namespace: 'checkout-jobs',
        cluster: 'prod-eu',
      });
      const project = await argocd.get('main').getProject('checkout-team');
      expect(project?.spec.destinations).toEqual([
        { name: 'dev-eu', namespace: 'checkout' },
        { name: 'prod-eu', namespace: 'checkout-jobs' },
      ]);
    });

    it('registers on the named instance only', async () => {
      await run({ ...input(), instance: 'edge', appName: 'orders-edge' });
      expect(
        await argocd.get('edge').getApplication('orders-edge'),
      ).toBeDefined();
      expect(
        await argocd.get('main').getApplication('orders-edge'),
      ).toBeUndefined();
    });

    it("refuses another team's namespace as destination, and reserved ones, and changes nothing", async () => {
      const before = await harness.sandbox.snapshot();
      const foreign = await run({ ...input(), namespace: 'orders' }).catch(
        e => e,
      );
      expect(foreign).toBeInstanceOf(ConflictError);
      expect(foreign.message).toBe(
        "Namespace orders on cluster dev-eu belongs to group:default/orders-team, not group:default/checkout-team: an Application may only deploy into its owner's namespaces",
      );
      for (const namespace of [
        'kube-system',
        'default',
        'argocd',
        'ingress-nginx',
      ]) {
        const reserved = await run({ ...input(), namespace }).catch(e => e);
        expect(reserved.name).toBe('InputError');
        expect(reserved.message).toContain(
          `namespace "${namespace}" is reserved`,
        );
      }
      expect(await harness.sandbox.snapshot()).toEqual(before);
    });

    it('refuses an application another entity owns and changes nothing', async () => {
      const before = await argocd.get('main').getApplication('orders');
      const error = await run({
        ...input(),
        entityRef: 'component:default/orders-v2',
        appName: 'orders',
      }).catch(e => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(
        (await argocd.get('main').getApplication('orders'))?.metadata
          .resourceVersion,
      ).toBe(before?.metadata.resourceVersion);
    });
  });

  describe('gitops mode', () => {
    const input = () => ({
      entityRef: 'component:default/payments',
      owner: 'group:default/payments-team',
      repoUrl: `${harness.sandbox.url}/paved-demo/payments`,
      cluster: 'prod-eu',
      namespace: 'payments',
    });

    it('opens one pull request with the AppProject and Application, and reuses it on re-runs', async () => {
      const first = await run(input());
      expect(first.pullRequestUrl).toMatch(/\/paved-demo\/gitops\/pull\/\d+$/);
      const again = await run(input());
      expect(again.pullRequestUrl).toBe(first.pullRequestUrl);
      const { data: pulls } = await harness.octokit.pulls.list({
        owner: 'paved-demo',
        repo: 'gitops',
        head: 'paved-demo:paved/argocd/main/payments',
        state: 'all',
      });
      expect(pulls).toHaveLength(1);
      const read = async (path: string) => {
        const { data } = await harness.octokit.repos.getContent({
          owner: 'paved-demo',
          repo: 'gitops',
          path,
          ref: 'paved/argocd/main/payments',
        });
        return parse(
          Buffer.from(
            (data as { content: string }).content,
            'base64',
          ).toString(),
        );
      };
      expect((await read('argocd/main/projects/payments-team.yaml')).kind).toBe(
        'AppProject',
      );
      const app = await read('argocd/main/applications/payments.yaml');
      expect(app.metadata.annotations['paved.dev/entity-ref']).toBe(
        'component:default/payments',
      );
      // Nothing was created through the API in gitops mode.
      expect(
        await argocd.get('main').getApplication('payments'),
      ).toBeUndefined();
    });
  });

  it('never logs the Argo CD or GitHub tokens', () => {
    expect(harness.logs.length).toBeGreaterThan(3);
    const all = harness.logs.join('\n');
    for (const instance of harness.sandbox.seed.argocd.instances)
      expect(all).not.toContain(instance.token);
    expect(all).not.toContain(harness.sandbox.github.token);
  });
});
