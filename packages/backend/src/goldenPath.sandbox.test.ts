import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import scaffolderModuleWorkspaceDatabase from '@backstage/plugin-scaffolder-backend-module-workspace-database';
import scaffolderModulePaved from '@paved/plugin-scaffolder-backend-module-paved';
import { unthrottledGitProviderServiceFactory } from '@paved/plugin-paved-node/testUtils';
import {
  defaultSeed,
  type Sandbox,
  sandboxConfig,
  startSandbox,
  withPlatform,
  withTemplates,
} from '@paved/sandbox';
import { checkRendered } from '@paved/template-check';
import request from 'supertest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import { parse } from 'yaml';

jest.setTimeout(180_000);

const repoRoot = path.resolve(__dirname, '../../..');
const templateFile = path.join(
  repoRoot,
  'templates/typescript-service/template.yaml',
);
const adoptTemplateFile = path.join(
  repoRoot,
  'templates/register-existing-repo/template.yaml',
);

const values = {
  name: 'checkout-api',
  description: 'Checkout API',
  owner: 'group:default/payments-team',
  tier: 'small',
  clusters: ['dev-eu', 'prod-eu'],
};

const orgFile = path.join(__dirname, '__testUtils__/golden-path-org.yaml');

/** The golden path through Backstage's real scaffolder, catalog and GitHub publisher, against the sandbox. */
describe('the TypeScript service golden path', () => {
  let sandbox: Sandbox;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const env = { ...process.env };
  const auth = mockCredentials.user.header();

  beforeAll(async () => {
    sandbox = await startSandbox({
      seed: withPlatform(
        withTemplates(defaultSeed, path.join(repoRoot, 'templates')),
        path.join(repoRoot, 'platform'),
      ),
    });
    process.env.AWS_ACCESS_KEY_ID = sandbox.seed.aws.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = sandbox.seed.aws.secretAccessKey;
    const base = sandboxConfig(sandbox);
    const org = sandbox.github.org;
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        scaffolderEntityModel,
        scaffolderPlugin,
        scaffolderModuleGithub,
        scaffolderModuleWorkspaceDatabase,
        scaffolderModulePaved,
        unthrottledGitProviderServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            ...base,
            paved: {
              ...base.paved,
              templateSync: {
                allowedSources: [`${sandbox.url}/${org}`],
                templates: {
                  'typescript-service': {
                    source: `${sandbox.url}/${org}/templates.git//typescript-service`,
                  },
                },
              },
            },
            // As app-config.yaml: Retry resumes from the failed step, the workspace restored from the database.
            scaffolder: {
              taskRecovery: { enabled: true, workspaceProvider: 'database' },
            },
            catalog: {
              locations: [
                {
                  type: 'file',
                  target: templateFile,
                  rules: [{ allow: ['Template'] }],
                },
                // The test's user (mockCredentials' user:default/mock) is a developer of the Payments team.
                {
                  type: 'file',
                  target: orgFile,
                  rules: [{ allow: ['User', 'Group'] }],
                },
              ],
            },
          },
        }),
      ],
    });
    // The catalog has the Template and the user once it has processed the file locations.
    for (const ref of [
      'template/default/typescript-service',
      'user/default/mock',
    ]) {
      for (let i = 0; i < 120; i++) {
        const res = await request(backend.server)
          .get(`/api/catalog/entities/by-name/${ref}`)
          .set('authorization', auth);
        if (
          res.status === 200 &&
          (ref.startsWith('template') || res.body.relations?.length)
        )
          break;
        await new Promise(resolve => setTimeout(resolve, 250));
      }
    }
  });
  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
    process.env = env;
  });

  /** Requests that changed something upstream: reads are GETs, GraphQL queries and git fetches (POST git-upload-pack). */
  const writes = () =>
    sandbox.requests.filter(
      r =>
        r.method !== 'GET' &&
        r.path !== '/api/graphql' &&
        !r.path.endsWith('/git-upload-pack'),
    ).length;

  type TaskEvent = {
    type: string;
    body: { message?: string; output?: any; stepId?: string; status?: string };
  };

  /** Waits until a task ends: its final state and its events. */
  async function waitForTask(id: string) {
    let task: { status: string } = { status: 'open' };
    for (
      let i = 0;
      i < 240 && !['completed', 'failed', 'cancelled'].includes(task.status);
      i++
    ) {
      await new Promise(resolve => setTimeout(resolve, 250));
      task = (
        await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${id}`)
          .set('authorization', auth)
      ).body;
    }
    const events = (
      await request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${id}/events`)
        .set('authorization', auth)
    ).body as TaskEvent[];
    return { id, task, events };
  }

  /** Starts a task of the TypeScript service Template and waits until it ends: its final state and its events. */
  async function runTask(taskValues: Record<string, unknown>) {
    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('authorization', auth)
      .send({
        templateRef: 'template:default/typescript-service',
        values: taskValues,
      });
    expect(created.status).toBe(201);
    return waitForTask(created.body.id);
  }

  /** The step a failed task failed at, and the error it logged there (in its last attempt, after any retry). */
  const failure = (all: TaskEvent[]) => {
    const retried = all.map(e => e.type).lastIndexOf('recovered');
    const events = retried >= 0 ? all.slice(retried) : all;
    const failed = events.filter(e => e.body.status === 'failed');
    return {
      step: failed[0]?.body.stepId,
      message: failed.map(e => e.body.message).join('\n'),
    };
  };

  const repoFor = (name: string) =>
    `${new URL(sandbox.url).host}?owner=${sandbox.github.org}&repo=${name}`;

  /** Open GitOps pull requests, by head branch. */
  const openGitopsPulls = async () =>
    (
      (await fetch(
        `${sandbox.github.apiUrl}/repos/${sandbox.github.org}/gitops/pulls?state=open`,
        { headers: { authorization: `token ${sandbox.github.token}` } },
      ).then(r => r.json())) as Array<{ head: { ref: string } }>
    ).map(p => p.head.ref);

  /** How many commits the default branch of a repository holds (walking first parents over the REST API). */
  const commitsOnMain = async (repo: string) => {
    const api = `${sandbox.github.apiUrl}/repos/${sandbox.github.org}/${repo}`;
    const get = (route: string) =>
      fetch(`${api}/${route}`, {
        headers: { authorization: `token ${sandbox.github.token}` },
      }).then(r => r.json() as Promise<any>);
    let sha: string | undefined = (await get('git/ref/heads/main')).object?.sha;
    let count = 0;
    while (sha && count < 50) {
      count++;
      sha = (await get(`git/commits/${sha}`)).parents?.[0]?.sha;
    }
    return count;
  };

  const entityOf = async (name: string) => {
    for (let i = 0; i < 120; i++) {
      const res = await request(backend.server)
        .get(`/api/catalog/entities/by-name/component/default/${name}`)
        .set('authorization', auth);
      if (res.status === 200) return res.body;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
    return undefined;
  };

  it('dry-runs the Template entity: every step, nothing outside the workspace', async () => {
    const writesBefore = writes();
    const res = await request(backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .set('authorization', auth)
      .send({
        template: parse(fs.readFileSync(templateFile, 'utf8')),
        values: {
          ...values,
          repoUrl: `${new URL(sandbox.url).host}?owner=${
            sandbox.github.org
          }&repo=dry-run-api`,
        },
        secrets: {},
        directoryContents: [],
      });
    expect({ status: res.status, error: res.body.error?.message }).toEqual({
      status: 200,
      error: undefined,
    });
    const files = (res.body.directoryContents as Array<{ path: string }>).map(
      f => f.path,
    );
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'Dockerfile',
        'chart/values.yaml',
        'chart/values.schema.json',
        '.github/workflows/ci.yml',
        'terraform/main.tf',
        'catalog-info.yaml',
        '.copier-answers.yml',
      ]),
    );
    expect(res.body.steps.map((s: { id: string }) => s.id)).toEqual([
      'preflight',
      'fetch',
      'publish',
      'namespace',
      'argocd',
      'register',
    ]);
    const log = (
      res.body.log as Array<{ body: { message: string; status?: string } }>
    )
      .map(l => l.body.message)
      .join('\n');
    expect(log).toMatch(/Dry run: would/);
    expect(log).not.toMatch(/failed/i);
    // Nothing was created: no repository, no pull request.
    expect(
      await sandbox.github.readFile('dry-run-api', 'package.json'),
    ).toBeUndefined();
    expect(writes()).toBe(writesBefore);
  });

  it('refuses to scaffold for a team the user is not in, before anything is created', async () => {
    const writesBefore = writes();
    const { task, events } = await runTask({
      ...values,
      name: 'not-mine-api',
      owner: 'group:default/orders-team',
      repoUrl: `${new URL(sandbox.url).host}?owner=${
        sandbox.github.org
      }&repo=not-mine-api`,
    });
    expect(task.status).toBe('failed');
    expect(JSON.stringify(events)).toContain(
      'user:default/mock may not create component:default/not-mine-api for group:default/orders-team: they are not a member of group:default/orders-team',
    );
    // The first step refused: no repository, no pull request, nothing written upstream.
    expect(
      await sandbox.github.readFile('not-mine-api', 'package.json'),
    ).toBeUndefined();
    expect(writes()).toBe(writesBefore);
  });

  it('creates the repository, the GitOps pull requests and the catalog entity', async () => {
    const { task, events } = await runTask({
      ...values,
      repoUrl: `${new URL(sandbox.url).host}?owner=${
        sandbox.github.org
      }&repo=checkout-api`,
    });
    expect({
      status: task.status,
      log:
        task.status === 'completed'
          ? ''
          : events.map(e => e.body.message).join('\n'),
    }).toEqual({
      status: 'completed',
      log: '',
    });

    // The repository: the rendered service with its answers file and provenance.
    const answers = await sandbox.github.readFile(
      'checkout-api',
      '.copier-answers.yml',
    );
    expect(answers).toContain('_commit: v1.0.0');
    expect(answers).toContain('name: checkout-api');
    const catalogInfo = await sandbox.github.readFile(
      'checkout-api',
      'catalog-info.yaml',
    );
    expect(catalogInfo).toContain('paved.dev/template-version: v1.0.0');
    expect(catalogInfo).toContain('paved.dev/template-source: ');
    expect(
      await sandbox.github.readFile('checkout-api', 'src/server.ts'),
    ).toContain("'/healthz'");

    // GitOps: one pull request for the team namespace, one for both Argo CD applications and the team's project.
    const gitops = (await fetch(
      `${sandbox.github.apiUrl}/repos/${sandbox.github.org}/gitops/pulls?state=open`,
      { headers: { authorization: `token ${sandbox.github.token}` } },
    ).then(r => r.json())) as Array<{ number: number; head: { ref: string } }>;
    expect(gitops.map(p => p.head.ref).sort()).toEqual([
      'paved/argocd/main/payments-team/checkout-api',
      'paved/namespace/payments-team',
    ]);
    const argoPull = gitops.find(p => p.head.ref.startsWith('paved/argocd/'))!;
    const files = (await fetch(
      `${sandbox.github.apiUrl}/repos/${sandbox.github.org}/gitops/pulls/${argoPull.number}/files`,
      { headers: { authorization: `token ${sandbox.github.token}` } },
    ).then(r => r.json())) as Array<{ filename: string }>;
    expect(files.map(f => f.filename).sort()).toEqual([
      'argocd/main/applications/checkout-api-dev-eu.yaml',
      'argocd/main/applications/checkout-api-prod-eu.yaml',
      'argocd/main/projects/payments-team.yaml',
    ]);

    // The completion event carries the template's output links: one Argo CD button per cluster.
    const output = events.find(e => e.type === 'completion')?.body.output;
    expect(output?.links.map((l: { title: string }) => l.title)).toEqual([
      'Repository',
      'Namespace pull request',
      'Argo CD pull request',
      'Argo CD (dev-eu)',
      'Argo CD (prod-eu)',
      'Open in the catalog',
    ]);

    // The catalog: the entity, read from the new repository through the GitHub integration.
    let entity: any;
    for (let i = 0; i < 120 && !entity; i++) {
      const res = await request(backend.server)
        .get('/api/catalog/entities/by-name/component/default/checkout-api')
        .set('authorization', auth);
      if (res.status === 200) entity = res.body;
      else await new Promise(resolve => setTimeout(resolve, 250));
    }
    expect(entity?.metadata.annotations).toMatchObject({
      'paved.dev/template-version': 'v1.0.0',
      'paved.dev/answers-file': '.copier-answers.yml',
      'backstage.io/kubernetes-id': 'checkout-api',
      'github.com/project-slug': `${sandbox.github.org}/checkout-api`,
    });
    expect(entity?.spec.owner).toBe('group:default/payments-team');

    // The new repository, cloned as its CI would see it, calls only platform pieces that exist at the releases it
    // pins: the sandbox's paved-demo/platform, cloned with its tags, resolves every workflow, action and module.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-golden-'));
    try {
      const clone = (repo: string) =>
        promisify(execFile)(
          'git',
          [
            'clone',
            '-q',
            `${sandbox.url.replace(
              '://',
              `://x-access-token:${sandbox.github.token}@`,
            )}/${sandbox.github.org}/${repo}.git`,
            path.join(work, repo),
          ],
          { timeout: 60_000 },
        );
      await clone('checkout-api');
      await clone('platform');
      // The releases are the sandbox's tags (what `uses: …@workflows-v1.0.0` fetches on GitHub).
      const { stdout: tags } = await promisify(execFile)('git', ['tag'], {
        cwd: path.join(work, 'platform'),
      });
      expect(tags.split('\n').filter(Boolean).sort()).toEqual([
        'actions-v1.0.0',
        'terraform-v1.0.0',
        'workflows-v1.0.0',
      ]);
      const results = await checkRendered(path.join(work, 'checkout-api'), {
        skipNpmTest: true,
        platforms: [
          {
            repo: `${sandbox.github.org}/platform`,
            dir: path.join(work, 'platform'),
          },
        ],
      });
      expect(results.flatMap(r => r.problems)).toEqual([]);
      expect(results.find(r => r.check === 'platform-refs')?.files).toEqual([
        '.github/workflows/ci.yml',
        '.github/workflows/release.yml',
        '.github/workflows/terraform.yml',
        'terraform/main.tf',
      ]);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('refuses a duplicate name before any repository is created, one sentence per problem', async () => {
    const writesBefore = writes();
    const { task, events } = await runTask({
      ...values,
      repoUrl: repoFor('checkout-api'),
    });
    expect(task.status).toBe('failed');
    expect(failure(events)).toEqual({
      step: 'preflight',
      message: expect.stringContaining(
        `Cannot create component:default/checkout-api: (1) component:default/checkout-api is already in the catalog (owned by group:default/payments-team): choose another name. (2) Repository ${sandbox.url}/${sandbox.github.org}/checkout-api already exists: choose another repository name. Nothing was created.`,
      ),
    });
    // No later step started, and nothing was written upstream.
    expect(
      events.filter(
        e =>
          e.body.stepId &&
          e.body.stepId !== 'preflight' &&
          e.body.status !== 'skipped',
      ),
    ).toEqual([]);
    expect(writes()).toBe(writesBefore);
  });

  // A fault at each step after the repository exists: the run fails there, Retry resumes from that step (the
  // completed ones are skipped with their outputs) and completes, leaving exactly what one clean run leaves.
  it.each([
    // The namespace step rewrites the team's open namespace pull request branch: reading its head fails once.
    ['namespace', 'git/ref/heads(/|%2F)paved(/|%2F)namespace'],
    // The Argo CD step reads the team's other open Argo CD pull requests' files: that listing fails once.
    ['argocd', 'gitops/pulls/\\d+/files$'],
    // catalog:register has the catalog read catalog-info.yaml from the new repository: that read fails.
    ['register', 'retry-register-api/contents/catalog-info\\.yaml'],
  ])(
    'a run broken at %s by an injected fault is retried from that step and completes, with no duplicates',
    async (step, faultPath) => {
      const name = `retry-${step}-api`;
      // At register the file stays unreadable until the catalog's own processing has met the fault too (the hard
      // case: the location is registered but its entity never processed, so the retry must refresh it by name).
      sandbox.faults.add({
        path: faultPath,
        status: 422,
        times: step === 'register' ? undefined : 1,
      });
      const broken = await runTask({ ...values, name, repoUrl: repoFor(name) });
      const reads = () =>
        sandbox.requests.filter(r => new RegExp(faultPath).test(r.path)).length;
      const readsByTheRun = reads();
      for (let i = 0; step === 'register' && i < 120; i++) {
        if (reads() > readsByTheRun) break;
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      sandbox.faults.clear();
      expect(broken.task.status).toBe('failed');
      expect(failure(broken.events).step).toBe(step);

      const retried = await request(backend.server)
        .post(`/api/scaffolder/v2/tasks/${broken.id}/retry`)
        .set('authorization', auth)
        .send({});
      expect(retried.status).toBe(201);
      const { task, events } = await waitForTask(broken.id);
      expect({ status: task.status, failure: failure(events) }).toEqual({
        status: 'completed',
        failure: { step: undefined, message: '' },
      });
      const messages = events.map(e => e.body.message ?? '');
      expect(messages).toContain(
        'Skipping step publish because it was already completed in a previous run',
      );
      // One repository with one commit, one Argo CD pull request for the service, one entity.
      expect(await commitsOnMain(name)).toBe(1);
      expect(
        (await openGitopsPulls()).filter(b => b.endsWith(`/${name}`)),
      ).toEqual([`paved/argocd/main/payments-team/${name}`]);
      expect((await entityOf(name))?.spec.owner).toBe(
        'group:default/payments-team',
      );
    },
  );

  it('"Start over" with the same values after a failure finishes the job with the repository the first run left', async () => {
    const name = 'start-over-api';
    sandbox.faults.add({
      path: 'gitops/pulls/\\d+/files$',
      status: 422,
      times: 1,
    });
    const broken = await runTask({ ...values, name, repoUrl: repoFor(name) });
    sandbox.faults.clear();
    expect(failure(broken.events).step).toBe('argocd');

    const again = await runTask({ ...values, name, repoUrl: repoFor(name) });
    expect({
      status: again.task.status,
      failure: failure(again.events),
    }).toEqual({
      status: 'completed',
      failure: { step: undefined, message: '' },
    });
    expect(again.events.map(e => e.body.message ?? '')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Pre-flight: .*start-over-api is left from an earlier run of component:default\/start-over-api that did not finish; this run resumes with it/,
        ),
      ]),
    );
    expect(await commitsOnMain(name)).toBe(1);
    expect(
      (await openGitopsPulls()).filter(b => b.endsWith(`/${name}`)),
    ).toEqual([`paved/argocd/main/payments-team/${name}`]);
    expect((await entityOf(name))?.metadata.name).toBe(name);
    // The completion links the repository although this run did not publish it.
    const output = again.events.find(e => e.type === 'completion')?.body.output;
    expect(
      output?.links.find((l: { title: string }) => l.title === 'Repository')
        ?.url,
    ).toBe(`${sandbox.url}/${sandbox.github.org}/${name}.git`);
  });

  it('dry-runs the register-existing-repo Template against the new repository', async () => {
    const res = await request(backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .set('authorization', auth)
      .send({
        template: parse(fs.readFileSync(adoptTemplateFile, 'utf8')),
        values: {
          repoUrl: `${new URL(sandbox.url).host}?owner=${
            sandbox.github.org
          }&repo=checkout-api`,
          template: 'typescript-service',
          version: 'v1.0.0',
          name: 'checkout-api',
          owner: 'group:default/payments-team',
          clusters: ['dev-eu'],
        },
        secrets: {},
        directoryContents: [],
      });
    expect({ status: res.status, error: res.body.error?.message }).toEqual({
      status: 200,
      error: undefined,
    });
    const log = (res.body.log as Array<{ body: { message: string } }>)
      .map(l => l.body.message)
      .join('\n');
    expect(log).toMatch(
      /Dry run: would open a pull request adopting .*templates\.git\/\/typescript-service v1\.0\.0/,
    );
  });
});
