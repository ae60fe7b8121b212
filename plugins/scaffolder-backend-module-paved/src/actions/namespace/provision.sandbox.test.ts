import { ConflictError } from '@backstage/errors';
import {
  ClusterRegistry,
  EksClient,
  EksTokenProvider,
  GitProviders,
  KubernetesApplier,
} from '@paved/plugin-paved-node';
import type { Sandbox } from '@paved/sandbox';
import { mockServices } from '@backstage/backend-test-utils';
import { parseAllDocuments } from 'yaml';
import {
  type SandboxBackend,
  startSandboxBackend,
} from '../../__testUtils__/sandboxBackend';

// Real git and HTTP through the sandbox: seconds per test, more on a loaded machine (never a measure of speed).
jest.setTimeout(60_000);

/**
 * The action as the backend wires it (module + paved-node service refs + config), against the sandbox over the
 * wire: EKS DescribeCluster, EKS IAM tokens, server-side apply on the Kubernetes stand-in, and GitHub (Octokit
 * through the git data API, pull requests) on real bare repositories.
 */
describe('paved:namespace:provision against the sandbox', () => {
  let harness: SandboxBackend;
  let sandbox: Sandbox;
  let octokit: SandboxBackend['octokit'];
  let config: SandboxBackend['config'];

  beforeAll(async () => {
    harness = await startSandboxBackend({
      namespaces: { viewerGroups: ['paved:viewers'] },
    });
    ({ sandbox, octokit, config } = harness);
  });
  afterAll(() => harness?.stop());

  const run = (input: Record<string, unknown>) =>
    harness.run('paved:namespace:provision', input);

  /** Reads objects back with Paved's own clients. */
  async function readBack(
    cluster: string,
    kind: string,
    name: string,
    namespace?: string,
  ) {
    const applier = new KubernetesApplier({
      tokens: new EksTokenProvider({
        defaultCredentials: async () => ({
          accessKeyId: sandbox.seed.aws.accessKeyId,
          secretAccessKey: sandbox.seed.aws.secretAccessKey,
        }),
      }),
    });
    const registry = ClusterRegistry.fromConfig(
      config,
      new EksClient({ endpoint: `${sandbox.url}/aws/eks` }),
    );
    return applier.get(await registry.connection(cluster), {
      apiVersion:
        kind === 'RoleBinding' ? 'rbac.authorization.k8s.io/v1' : 'v1',
      kind,
      name,
      namespace,
    });
  }

  describe('apply mode', () => {
    const input = {
      name: 'checkout',
      owner: 'group:default/checkout',
      clusters: ['dev-eu', 'prod-eu'],
      tier: 'medium',
      workloadRoleArn: 'arn:aws:iam::111111111111:role/checkout-workload',
      mode: 'apply',
    };

    it('provisions every cluster, then converges: the second run changes nothing', async () => {
      const first = await run(input);
      expect(harness.checkpoints).toEqual([
        'namespace.apply.dev-eu.checkout',
        'namespace.apply.prod-eu.checkout',
      ]);
      expect(first.clusters).toEqual(['dev-eu', 'prod-eu']);
      expect(first.objects).toHaveLength(18);
      expect(first.objects.every((o: { changed: boolean }) => o.changed)).toBe(
        true,
      );

      const ns = await readBack('prod-eu', 'Namespace', 'checkout');
      expect(ns?.metadata.annotations).toMatchObject({
        'paved.dev/owner-ref': 'group:default/checkout',
      });
      expect(ns?.metadata.labels).toMatchObject({
        'paved.dev/owner': 'group.default.checkout',
        'paved.dev/tier': 'medium',
      });
      const sa = await readBack(
        'dev-eu',
        'ServiceAccount',
        'workload',
        'checkout',
      );
      expect(sa?.metadata.annotations).toEqual({
        'eks.amazonaws.com/role-arn':
          'arn:aws:iam::111111111111:role/checkout-workload',
      });
      const viewers = await readBack(
        'dev-eu',
        'RoleBinding',
        'paved-viewers',
        'checkout',
      );
      expect((viewers as any).subjects).toEqual([
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name: 'paved:viewers',
        },
      ]);

      const second = await run(input);
      expect(second.objects).toHaveLength(18);
      expect(second.objects.some((o: { changed: boolean }) => o.changed)).toBe(
        false,
      );
    });

    it("refuses another team's namespace before writing to any cluster", async () => {
      await run({
        ...input,
        name: 'shared',
        clusters: ['prod-eu'],
        owner: 'group:default/fraud',
      });
      const error = await run({
        ...input,
        name: 'shared',
        owner: 'group:default/checkout',
      }).catch(e => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(
        'Namespace shared already exists on cluster prod-eu and belongs to group:default/fraud, not group:default/checkout',
      );
      // dev-eu comes first in the list and must not have been written.
      expect(await readBack('dev-eu', 'Namespace', 'shared')).toBeUndefined();
    });
  });

  describe('gitops mode', () => {
    const input = {
      name: 'billing',
      owner: 'group:default/billing',
      environment: 'dev',
      mode: 'gitops',
    };

    it('opens one pull request with the namespace file, refreshes it on change, and never duplicates it', async () => {
      const first = await run(input);
      expect(first.pullRequestUrl).toMatch(
        new RegExp(`^${sandbox.url}/paved-demo/gitops/pull/\\d+$`),
      );
      expect(first.branch).toBe('paved/namespace/billing');
      expect(harness.checkpoints).toEqual(['namespace.gitops.billing']);
      const again = await run(input);
      expect(again.pullRequestUrl).toBe(first.pullRequestUrl);
      expect(again.commitSha).toBe(first.commitSha);
      const bigger = await run({ ...input, tier: 'large' });
      expect(bigger.pullRequestUrl).toBe(first.pullRequestUrl);
      expect(bigger.commitSha).not.toBe(first.commitSha);

      const { data: pulls } = await octokit.pulls.list({
        owner: 'paved-demo',
        repo: 'gitops',
        head: 'paved-demo:paved/namespace/billing',
        state: 'all',
      });
      expect(pulls).toHaveLength(1);
      expect(pulls[0].title).toBe(
        'Namespace billing for group:default/billing on dev-eu',
      );
      const { data: file } = await octokit.repos.getContent({
        owner: 'paved-demo',
        repo: 'gitops',
        path: 'clusters/dev-eu/namespaces/billing.yaml',
        ref: 'paved/namespace/billing',
      });
      const docs = parseAllDocuments(
        Buffer.from((file as { content: string }).content, 'base64').toString(),
      ).map(d => d.toJS());
      expect(docs.map(d => d.kind)).toEqual([
        'Namespace',
        'ResourceQuota',
        'LimitRange',
        'NetworkPolicy',
        'NetworkPolicy',
        'NetworkPolicy',
        'RoleBinding',
        'RoleBinding',
        'ServiceAccount',
      ]);
      expect(docs[0].metadata.labels['paved.dev/tier']).toBe('large');
      // Nothing reached the clusters in gitops mode.
      expect(await readBack('dev-eu', 'Namespace', 'billing')).toBeUndefined();
    });

    it('refuses a namespace the GitOps repository already holds for another team', async () => {
      const git = GitProviders.fromConfig(config, mockServices.logger.mock(), {
        writeMinTimeMs: 0,
      });
      await git.applyChange({
        repoUrl: `${sandbox.url}/paved-demo/gitops`,
        mode: 'commit',
        branch: 'main',
        message: 'Merged earlier',
        files: [
          {
            path: 'clusters/dev-eu/namespaces/ledger.yaml',
            content:
              'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ledger\n  annotations:\n    paved.dev/owner-ref: group:default/finance\n',
          },
        ],
      });
      const error = await run({ ...input, name: 'ledger' }).catch(e => e);
      expect(error).toBeInstanceOf(ConflictError);
      const { data: pulls } = await octokit.pulls.list({
        owner: 'paved-demo',
        repo: 'gitops',
        head: 'paved-demo:paved/namespace/ledger',
        state: 'all',
      });
      expect(pulls).toEqual([]);
    });
  });

  it('never logs an EKS token, the AWS secret or the GitHub token', () => {
    expect(harness.logs.length).toBeGreaterThan(3);
    const all = harness.logs.join('\n');
    expect(all).not.toContain('k8s-aws-v1.');
    expect(all).not.toContain(sandbox.seed.aws.secretAccessKey);
    expect(all).not.toContain(sandbox.github.token);
  });
});
