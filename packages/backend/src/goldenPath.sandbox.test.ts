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
import scaffolderModulePaved from '@paved/plugin-scaffolder-backend-module-paved';
import { unthrottledGitProviderServiceFactory } from '@paved/plugin-paved-node/testUtils';
import {
  defaultSeed,
  type Sandbox,
  sandboxConfig,
  startSandbox,
  withTemplates,
} from '@paved/sandbox';
import request from 'supertest';
import fs from 'node:fs';
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
      seed: withTemplates(defaultSeed, path.join(repoRoot, 'templates')),
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
    let task: { status: string } = { status: 'open' };
    for (
      let i = 0;
      i < 240 && !['completed', 'failed', 'cancelled'].includes(task.status);
      i++
    ) {
      await new Promise(resolve => setTimeout(resolve, 250));
      task = (
        await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
          .set('authorization', auth)
      ).body;
    }
    const events = (
      await request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
        .set('authorization', auth)
    ).body as Array<{ type: string; body: { message?: string; output?: any } }>;
    return { task, events };
  }

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
      'user:default/mock may not create a service for group:default/orders-team: they are not a member of group:default/orders-team',
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

    // GitOps: one pull request for the team namespace, one per cluster for the Argo CD application.
    const gitops = await fetch(
      `${sandbox.github.apiUrl}/repos/${sandbox.github.org}/gitops/pulls?state=open`,
      { headers: { authorization: `token ${sandbox.github.token}` } },
    ).then(r => r.json());
    const heads = (gitops as Array<{ head: { ref: string } }>)
      .map(p => p.head.ref)
      .sort();
    expect(heads).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/payments-team/),
        expect.stringMatching(/checkout-api-dev-eu/),
        expect.stringMatching(/checkout-api-prod-eu/),
      ]),
    );

    // The completion event carries the template's output links.
    const output = events.find(e => e.type === 'completion')?.body.output;
    expect(output?.links.map((l: { title: string }) => l.title)).toEqual(
      expect.arrayContaining([
        'Repository',
        'Namespace pull request',
        'Argo CD (dev-eu)',
        'Open in the catalog',
      ]),
    );

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
