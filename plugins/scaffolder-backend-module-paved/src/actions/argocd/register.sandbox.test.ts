import { ConflictError } from '@backstage/errors';
import { ArgoCdClients } from '@paved/plugin-paved-node';
import { parse } from 'yaml';
import {
  type SandboxBackend,
  startSandboxBackend,
} from '../../__testUtils__/sandboxBackend';

// Real git and HTTP through the sandbox: seconds per test, more on a loaded machine (never a measure of speed).
jest.setTimeout(60_000);

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
        applicationChanges: { orders: 'created' },
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
        applicationChanges: { orders: 'unchanged' },
        projectChange: 'unchanged',
      });
      expect(await run({ ...input(), targetRevision: 'v1.1.0' })).toMatchObject(
        {
          applicationChanges: { orders: 'updated' },
          projectChange: 'unchanged',
        },
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
        head: 'paved-demo:paved/argocd/main/payments-team/payments',
        state: 'all',
      });
      expect(pulls).toHaveLength(1);
      const read = async (path: string) => {
        const { data } = await harness.octokit.repos.getContent({
          owner: 'paved-demo',
          repo: 'gitops',
          path,
          ref: 'paved/argocd/main/payments-team/payments',
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

  describe('gitops mode, several clusters and several open pull requests of one team', () => {
    const gitops = { owner: 'paved-demo', repo: 'gitops' };
    const numberOf = (url: string) => Number(/\/pull\/(\d+)$/.exec(url)![1]);
    const onMain = async (path: string, ref = 'main') => {
      const { data } = await harness.octokit.repos
        .getContent({ ...gitops, path, ref })
        .catch(() => ({ data: undefined }));
      return data
        ? parse(
            Buffer.from(
              (data as { content: string }).content,
              'base64',
            ).toString(),
          )
        : undefined;
    };
    const service = (team: string, name: string, clusters: string[]) =>
      run({
        entityRef: `component:default/${name}`,
        owner: `group:default/${team}-team`,
        repoUrl: `${harness.sandbox.url}/paved-demo/${name}`,
        clusters,
        namespace: team,
        valueFiles: ['values.yaml', 'values-{cluster}.yaml'],
      });

    beforeAll(async () => {
      for (const team of ['basket', 'wishlist', 'giftcard']) {
        await harness.run('paved:namespace:provision', {
          name: team,
          owner: `group:default/${team}-team`,
          clusters: ['dev-eu', 'prod-eu'],
          mode: 'apply',
        });
      }
    });

    it("writes every cluster's Application and the project allowing all of them in one pull request", async () => {
      const out = await service('basket', 'basket-api', ['dev-eu', 'prod-eu']);
      expect(out.appNames).toEqual(['basket-api-dev-eu', 'basket-api-prod-eu']);
      const { data: files } = await harness.octokit.pulls.listFiles({
        ...gitops,
        pull_number: numberOf(out.pullRequestUrl),
      });
      expect(files.map(f => f.filename).sort()).toEqual([
        'argocd/main/applications/basket-api-dev-eu.yaml',
        'argocd/main/applications/basket-api-prod-eu.yaml',
        'argocd/main/projects/basket-team.yaml',
      ]);
      const branch = 'paved/argocd/main/basket-team/basket-api';
      // Each cluster's Application layers that cluster's values file on values.yaml.
      for (const cluster of ['dev-eu', 'prod-eu'])
        expect(
          (
            await onMain(
              `argocd/main/applications/basket-api-${cluster}.yaml`,
              branch,
            )
          ).spec.source.helm.valueFiles,
        ).toEqual(['values.yaml', `values-${cluster}.yaml`]);
      const project = await onMain(
        'argocd/main/projects/basket-team.yaml',
        branch,
      );
      expect(project.spec.destinations).toEqual([
        { name: 'dev-eu', namespace: 'basket' },
        { name: 'prod-eu', namespace: 'basket' },
      ]);
      await harness.octokit.pulls.merge({
        ...gitops,
        pull_number: numberOf(out.pullRequestUrl),
      });
      // A later service of the team needs no project change: its pull request holds its Application only.
      const later = await service('basket', 'basket-worker', ['prod-eu']);
      const { data: laterFiles } = await harness.octokit.pulls.listFiles({
        ...gitops,
        pull_number: numberOf(later.pullRequestUrl),
      });
      expect(laterFiles.map(f => f.filename)).toEqual([
        'argocd/main/applications/basket-worker-prod-eu.yaml',
      ]);
      await harness.octokit.pulls.merge({
        ...gitops,
        pull_number: numberOf(later.pullRequestUrl),
      });
    });

    it.each([
      ['the first opened first', false],
      ['the last opened first', true],
    ])(
      'two open pull requests of one team, each adding a destination, merge cleanly with %s',
      async (_order, reversed) => {
        const team = reversed ? 'giftcard' : 'wishlist';
        const first = await service(team, `${team}-a`, ['dev-eu']);
        const second = await service(team, `${team}-b`, ['prod-eu']);
        const project = `argocd/main/projects/${team}-team.yaml`;
        // Both create the team's project: the first pull request is rebuilt to carry the same one as the second,
        // and the second says whose destination it carries.
        expect(second.rebuiltPullRequests).toEqual([first.pullRequestUrl]);
        for (const o of [first, second]) {
          const branch = `paved/argocd/main/${team}-team/${o.appNames[0].replace(
            /-(dev|prod)-eu$/,
            '',
          )}`;
          expect((await onMain(project, branch)).spec.destinations).toEqual([
            { name: 'dev-eu', namespace: team },
            { name: 'prod-eu', namespace: team },
          ]);
        }
        const { data: body } = await harness.octokit.pulls.get({
          ...gitops,
          pull_number: numberOf(second.pullRequestUrl),
        });
        expect(body.body).toContain(
          `- \`dev-eu/${team}\` (${first.pullRequestUrl})`,
        );
        const [a, b] = [first, second].map(o => numberOf(o.pullRequestUrl));
        const order = reversed ? [b, a] : [a, b];
        for (const pull_number of order) {
          const { data } = await harness.octokit.pulls.merge({
            ...gitops,
            pull_number,
          });
          expect(data.merged).toBe(true);
        }
        expect((await onMain(project)).spec.destinations).toEqual([
          { name: 'dev-eu', namespace: team },
          { name: 'prod-eu', namespace: team },
        ]);
        for (const o of [first, second]) {
          expect(
            await onMain(`argocd/main/applications/${o.appNames[0]}.yaml`),
          ).toMatchObject({ kind: 'Application' });
        }
      },
    );
  });

  it('never logs the Argo CD or GitHub tokens', () => {
    expect(harness.logs.length).toBeGreaterThan(3);
    const all = harness.logs.join('\n');
    for (const instance of harness.sandbox.seed.argocd.instances)
      expect(all).not.toContain(instance.token);
    expect(all).not.toContain(harness.sandbox.github.token);
  });
});
