import { ConfigReader } from '@backstage/config';
import {
  ArgoCdClients,
  ClusterRegistry,
  EksClient,
  EksTokenProvider,
  GitOpsWriter,
  GitProviders,
  KubernetesApplier,
  NewRelicClient,
} from '@paved/plugin-paved-node';
import { mockServices } from '@backstage/backend-test-utils';
import { Octokit } from '@octokit/rest';
import { stringify } from 'yaml';
import { Sandbox, sandboxConfig, startSandbox } from './index';

// The loop a golden-path journey relies on: a pull request to the GitOps repository is merged, the sandbox's Argo
// CD picks the Application up from the default branch, syncs it and the workload appears on the cluster.
describe('GitOps-driven Argo CD in the sandbox', () => {
  let sandbox: Sandbox;
  let octokit: Octokit;
  let config: ConfigReader;
  const env = { ...process.env };

  beforeAll(async () => {
    sandbox = await startSandbox();
    config = new ConfigReader(sandboxConfig(sandbox));
    // The default credential chain, as `yarn dev` gives it to the backend.
    process.env.AWS_ACCESS_KEY_ID = sandbox.seed.aws.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = sandbox.seed.aws.secretAccessKey;
    octokit = new Octokit({
      baseUrl: sandbox.github.apiUrl,
      auth: sandbox.github.token,
    });
  });
  afterAll(async () => {
    await sandbox.close();
    process.env = env;
  });

  const project = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'web-team', namespace: 'argocd' },
    spec: {
      sourceRepos: ['https://github.com/acme/*'],
      destinations: [{ name: 'dev-eu', namespace: 'web' }],
    },
  };
  const application = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'web',
      namespace: 'argocd',
      annotations: {
        'paved.dev/entity-ref': 'component:default/web',
        'paved.dev/owner-ref': 'group:default/web-team',
      },
    },
    spec: {
      project: 'web-team',
      source: {
        repoURL: 'https://github.com/acme/web',
        path: 'chart',
        targetRevision: 'v1.0.0',
      },
      destination: { name: 'dev-eu', namespace: 'web' },
      syncPolicy: { automated: { prune: true, selfHeal: false } },
    },
  };

  it('syncs an Application merged into the GitOps repository and runs its workload', async () => {
    const writer = GitOpsWriter.fromConfig(
      config,
      GitProviders.fromConfig(config, mockServices.logger.mock(), {
        writeMinTimeMs: 0,
      }),
    );
    const change = await writer.write({
      files: [
        {
          path: 'argocd/main/projects/web-team.yaml',
          content: stringify(project),
        },
        {
          path: 'argocd/main/applications/web.yaml',
          content: stringify(application),
        },
      ],
      branch: 'paved/argocd/main/web',
      message: 'Register web',
      title: 'Register web',
      body: '',
    });
    const main = ArgoCdClients.fromConfig(config).get('main');
    // Not merged yet: nothing happens.
    await fetch(`${sandbox.url}/__sandbox/gitops/sync`, { method: 'POST' });
    expect(await main.getApplication('web')).toBeUndefined();

    const merged = await octokit.pulls.merge({
      owner: 'paved-demo',
      repo: 'gitops',
      pull_number: change.pullRequest!.number,
    });
    expect(merged.data.merged).toBe(true);
    const synced = await (
      await fetch(`${sandbox.url}/__sandbox/gitops/sync`, { method: 'POST' })
    ).json();
    expect(synced.applied).toBeGreaterThanOrEqual(3);

    expect((await main.getApplication('web'))?.status).toMatchObject({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
    });
    const identity = {
      accessKeyId: sandbox.seed.aws.accessKeyId,
      secretAccessKey: sandbox.seed.aws.secretAccessKey,
    };
    const registry = ClusterRegistry.fromConfig(
      config,
      new EksClient({ endpoint: `${sandbox.url}/aws/eks` }),
    );
    const deployment = await new KubernetesApplier({
      tokens: new EksTokenProvider({
        defaultCredentials: async () => identity,
      }),
    }).get(await registry.connection('dev-eu'), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'web',
      namespace: 'web',
    });
    expect(deployment?.spec).toMatchObject({ replicas: 2 });
    expect((deployment as any)?.status).toMatchObject({ readyReplicas: 2 });
    const { data: pull } = await octokit.pulls.get({
      owner: 'paved-demo',
      repo: 'gitops',
      pull_number: change.pullRequest!.number,
    });
    expect(pull).toMatchObject({ state: 'closed', merged: true });

    // Its New Relic agent reports, so the service's golden signals read like any other's.
    const newrelic = NewRelicClient.fromConfig(config)!;
    const guid = await newrelic.findEntityGuid('web');
    expect(guid).toBeDefined();
    expect(await newrelic.health(guid!)).toMatchObject({
      entityGuid: guid,
      incidents: [],
    });
    expect((await newrelic.health(guid!)).signals!.errorRate).toBeLessThan(
      0.05,
    );
  });
});
