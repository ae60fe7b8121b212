import fs from 'node:fs';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createKubernetesNamespaceAction } from '@backstage-community/plugin-scaffolder-backend-module-kubernetes';
import { createArgoCdResources } from '@roadiehq/scaffolder-backend-argocd';
import { createEksToken } from '@paved/plugin-paved-node';
import {
  type SandboxBackend,
  startSandboxBackend,
} from './__testUtils__/sandboxBackend';

// Real HTTP through the sandbox: seconds per test, more on a loaded machine (never a measure of speed).
jest.setTimeout(120_000);

/** What one action did in one scenario, in words (the table's cells). */
type Row = {
  action: string;
  runsTwice: string;
  dryRun: string;
  otherTeam: string;
  badName: string;
};

/**
 * Peer actions nobody here wrote, run against the sandbox side by side with Paved's: the community
 * `kubernetes:create-namespace` and Roadie's `argocd:create-resources`. Each must complete against the sandbox (a
 * peer failing where it would work against the real service is a sandbox bug); the table records what each does when
 * run twice, under a dry run, for another team's namespace or application, and for a bad name.
 * `PAVED_PEERS_TABLE=<file>` writes the table as JSON (bench/peers/run.mjs prints it).
 */
describe('peer actions against the sandbox, side by side with Paved’s', () => {
  let harness: SandboxBackend;
  const rows: Row[] = [];

  beforeAll(async () => {
    harness = await startSandboxBackend();
  });
  afterAll(async () => {
    if (process.env.PAVED_PEERS_TABLE)
      fs.writeFileSync(
        process.env.PAVED_PEERS_TABLE,
        JSON.stringify(rows, null, 2),
      );
    await harness?.stop();
  });

  const writesTo = (prefix: RegExp, from: number) =>
    harness.sandbox.requests
      .slice(from)
      .filter(r => r.method !== 'GET' && prefix.test(r.path)).length;
  const requestsTo = (prefix: RegExp, from: number) =>
    harness.sandbox.requests.slice(from).filter(r => prefix.test(r.path))
      .length;

  /** Runs a peer's action handler as the scaffolder would. */
  async function runPeer(
    action: { handler(ctx: any): Promise<void> },
    input: Record<string, unknown>,
    isDryRun = false,
  ) {
    const ctx = createMockActionContext({
      input: input as any,
      logger: mockServices.logger.mock(),
    });
    if (isDryRun) Object.assign(ctx, { isDryRun: true });
    await action.handler(ctx);
  }

  /** Runs once, measuring what reached the stand-in behind `prefix`. */
  async function measure(prefix: RegExp, run: () => Promise<unknown>) {
    const from = harness.sandbox.requests.length;
    const before = JSON.stringify(await harness.sandbox.snapshot());
    let error: Error | undefined;
    try {
      await run();
    } catch (e) {
      error = e as Error;
    }
    const changed = JSON.stringify(await harness.sandbox.snapshot()) !== before;
    return {
      error,
      changed,
      writes: writesTo(prefix, from),
      requests: requestsTo(prefix, from),
    };
  }

  const twice = async (prefix: RegExp, run: () => Promise<unknown>) => {
    const first = await measure(prefix, run);
    if (first.error) return `first run fails: ${first.error.message}`;
    const second = await measure(prefix, run);
    if (second.error) return `second run fails: ${second.error.message}`;
    return second.changed
      ? 'second run writes again'
      : 'converges: the second run changes nothing';
  };
  const dry = async (prefix: RegExp, run: () => Promise<unknown>) => {
    const m = await measure(prefix, run);
    if (m.changed)
      return `writes under a dry run (${m.writes} write request(s))`;
    return m.error
      ? `fails under a dry run: ${m.error.message}`
      : 'writes nothing';
  };
  const refusal = async (prefix: RegExp, run: () => Promise<unknown>) => {
    const m = await measure(prefix, run);
    if (!m.error)
      return m.changed ? 'accepted and written' : 'accepted, nothing written';
    const kind =
      m.error.name && m.error.name !== 'Error' ? `${m.error.name}: ` : '';
    let where = 'refused by the server';
    if (m.changed) where = 'refused after writing';
    else if (!m.requests) where = 'refused before any request';
    else if (!m.writes) where = 'refused before any write';
    return `${where} (${kind}${m.error.message.slice(0, 120)})`;
  };

  describe('namespaces', () => {
    const k8s = /^\/k8s\//;
    let community: { handler(ctx: any): Promise<void> };
    let token: string;
    const peerInput = (namespace: string) => ({
      namespace,
      token,
      url: `${harness.sandbox.tlsUrl}/k8s/dev-eu`,
      caData: Buffer.from(harness.sandbox.caPem).toString('base64'),
      labels: 'team=checkout',
    });
    const pavedInput = (name: string, owner = 'group:default/checkout') => ({
      name,
      owner,
      clusters: ['dev-eu'],
      mode: 'apply',
    });

    beforeAll(async () => {
      community = createKubernetesNamespaceAction({} as any) as any;
      token = await createEksToken({
        clusterName: 'dev-eu',
        region: 'eu-west-1',
        credentials: {
          accessKeyId: harness.sandbox.seed.aws.accessKeyId,
          secretAccessKey: harness.sandbox.seed.aws.secretAccessKey,
        },
      });
      // Another team's namespace, made the Paved way.
      await harness.run(
        'paved:namespace:provision',
        pavedInput('fraud-owned', 'group:default/fraud'),
      );
    });

    it('the community kubernetes:create-namespace completes against the sandbox', async () => {
      await runPeer(community, peerInput('peer-ns'));
      const ns = (await harness.sandbox.snapshot()).kubernetes['dev-eu'].find(
        (o: any) => o.kind === 'Namespace' && o.metadata.name === 'peer-ns',
      ) as any;
      expect(ns?.metadata.labels).toEqual({ team: 'checkout' });
    });

    it('measures both namespace actions', async () => {
      const peer: Row = {
        action: 'kubernetes:create-namespace (community)',
        runsTwice: await twice(k8s, () =>
          runPeer(community, peerInput('peer-twice')),
        ),
        dryRun: await dry(k8s, () =>
          runPeer(community, peerInput('peer-dry'), true),
        ),
        otherTeam: await refusal(k8s, () =>
          runPeer(community, peerInput('fraud-owned')),
        ),
        badName: await refusal(k8s, () =>
          runPeer(community, peerInput('Bad_Name!')),
        ),
      };
      const paved: Row = {
        action: 'paved:namespace:provision',
        runsTwice: await twice(k8s, () =>
          harness.run('paved:namespace:provision', pavedInput('ours-twice')),
        ),
        dryRun: await dry(k8s, () =>
          harness.run('paved:namespace:provision', pavedInput('ours-dry'), {
            isDryRun: true,
          }),
        ),
        otherTeam: await refusal(k8s, () =>
          harness.run('paved:namespace:provision', pavedInput('fraud-owned')),
        ),
        badName: await refusal(k8s, () =>
          harness.run('paved:namespace:provision', pavedInput('Bad_Name!')),
        ),
      };
      rows.push(peer, paved);

      expect(paved).toEqual({
        action: 'paved:namespace:provision',
        runsTwice: 'converges: the second run changes nothing',
        dryRun: 'writes nothing',
        otherTeam: expect.stringMatching(
          /^refused before any write \(ConflictError: Namespace fraud-owned already exists on cluster dev-eu and belongs to group:default\/fraud/,
        ),
        badName: expect.stringMatching(
          /^refused before any request \(InputError/,
        ),
      });
      // The peer as measured: what it would do against a real cluster too.
      expect(peer.runsTwice).toMatch(
        /^second run fails: .*409 -- namespaces "peer-twice" already exists/,
      );
      expect(peer.dryRun).toMatch(/^writes under a dry run/);
      expect(peer.otherTeam).toMatch(
        /^refused by the server .*409 -- namespaces "fraud-owned" already exists/,
      );
      expect(peer.badName).toMatch(/^refused by the server .*422/);
    });
  });

  describe('Argo CD', () => {
    const argo = /^\/argocd\//;
    let roadie: { handler(ctx: any): Promise<void> };
    const peerInput = (appName: string) => ({
      appName,
      argoInstance: 'main',
      namespace: 'peer-app',
      repoUrl: `${harness.sandbox.url}/paved-demo/orders`,
      path: 'chart',
    });
    const pavedInput = (entity: string, owner = 'group:default/checkout') => ({
      entityRef: `component:default/${entity}`,
      owner,
      repoUrl: `${harness.sandbox.url}/paved-demo/orders`,
      cluster: 'dev-eu',
      namespace: 'checkout',
      mode: 'api',
    });

    beforeAll(async () => {
      const main = harness.sandbox.seed.argocd.instances.find(
        i => i.name === 'main',
      )!;
      roadie = createArgoCdResources(
        new ConfigReader({
          argocd: {
            appLocatorMethods: [
              {
                type: 'config',
                instances: [
                  {
                    name: 'main',
                    url: `${harness.sandbox.url}/argocd/main`,
                    token: main.token,
                  },
                ],
              },
            ],
          },
        }),
        mockServices.logger.mock() as any,
      ) as any;
      for (const [name, owner] of [
        ['checkout', 'group:default/checkout'],
        ['fraud', 'group:default/fraud'],
      ])
        await harness.run('paved:namespace:provision', {
          name,
          owner,
          clusters: ['dev-eu'],
          mode: 'apply',
        });
      // Another team's application, registered the Paved way.
      await harness.run('paved:argocd:register', {
        ...pavedInput('ledger', 'group:default/fraud'),
        namespace: 'fraud',
      });
    });

    it('Roadie’s argocd:create-resources completes against the sandbox (project, then application)', async () => {
      await runPeer(roadie, peerInput('peer-app'));
      const main = (await harness.sandbox.snapshot()).argocd.main as any;
      expect(main.projects.map((p: any) => p.name)).toContain('peer-app');
      const app = main.applications.find((a: any) => a.name === 'peer-app');
      expect(app.spec.destination).toEqual({
        namespace: 'peer-app',
        server: 'https://kubernetes.default.svc',
      });
    });

    it('measures both Argo CD actions', async () => {
      const peer: Row = {
        action: 'argocd:create-resources (Roadie)',
        runsTwice: await twice(argo, () =>
          runPeer(roadie, peerInput('peer-twice')),
        ),
        dryRun: await dry(argo, () =>
          runPeer(roadie, peerInput('peer-dry'), true),
        ),
        otherTeam: await refusal(argo, () =>
          runPeer(roadie, peerInput('ledger')),
        ),
        badName: await refusal(argo, () =>
          runPeer(roadie, peerInput('Fid_Bad!')),
        ),
      };
      const paved: Row = {
        action: 'paved:argocd:register',
        runsTwice: await twice(argo, () =>
          harness.run('paved:argocd:register', pavedInput('twice')),
        ),
        dryRun: await dry(argo, () =>
          harness.run('paved:argocd:register', pavedInput('dry'), {
            isDryRun: true,
          }),
        ),
        // Another entity's application of the same name.
        otherTeam: await refusal(argo, () =>
          harness.run('paved:argocd:register', {
            ...pavedInput('ledger-v2'),
            appName: 'ledger',
          }),
        ),
        badName: await refusal(argo, () =>
          harness.run('paved:argocd:register', pavedInput('Fid_Bad!')),
        ),
      };
      rows.push(peer, paved);
      expect(paved.runsTwice).toBe('converges: the second run changes nothing');
      expect(paved.dryRun).toBe('writes nothing');
      expect(paved.otherTeam).toMatch(
        /^refused before any write \(ConflictError/,
      );
      expect(peer.runsTwice).toBe('converges: the second run changes nothing');
      expect(peer.otherTeam).toMatch(
        /^refused after writing .*existing application spec is different/,
      );
      expect(paved.badName).toMatch(/^refused before any request \(InputError/);
      expect(peer.dryRun).toMatch(/^writes under a dry run/);
      expect(peer.badName).toMatch(
        /^refused by the server .*"Fid_Bad!" is invalid: metadata.name/,
      );
    });
  });
});
