import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultSeed, serviceTemplateFixture } from '@paved/sandbox';
import {
  type SandboxBackend,
  startSandboxBackend,
} from '../../__testUtils__/sandboxBackend';

jest.setTimeout(60_000);

const ORG = defaultSeed.github.org;
const BRANCH = 'paved/template-sync/copier-answers.yml';

describe('paved:template:fetch and paved:template:update on the sandbox', () => {
  let backend: SandboxBackend;
  let source: string;
  const workspaces: string[] = [];

  const workspace = async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-ws-'));
    workspaces.push(dir);
    return dir;
  };

  /** Scaffolds with the fetch action and publishes the workspace as a new repository. */
  const scaffold = async (
    repo: string,
    instances: Array<{ targetPath?: string; name: string }>,
  ) => {
    const ws = await workspace();
    for (const instance of instances) {
      await backend.run(
        'paved:template:fetch',
        {
          source,
          version: 'v1.0.0',
          values: { name: instance.name },
          ...(instance.targetPath ? { targetPath: instance.targetPath } : {}),
        },
        { workspacePath: ws },
      );
    }
    await backend.sandbox.github.publish(repo, ws);
    return `${backend.sandbox.url}/${ORG}/${repo}`;
  };

  const read = async (repo: string, file: string, ref?: string) =>
    (await backend.sandbox.github.readFile(repo, file, ref)) ?? '';

  const pulls = async (repo: string) =>
    (await backend.octokit.pulls.list({ owner: ORG, repo, state: 'all' })).data;

  beforeAll(async () => {
    backend = await startSandboxBackend(sandbox => ({
      templateSync: {
        allowedSources: [`${sandbox.url}/${ORG}`],
        templates: {
          service: { source: `${sandbox.url}/${ORG}/service-template.git` },
        },
      },
    }));
    source = `${backend.sandbox.url}/${ORG}/service-template.git`;
  });
  afterAll(async () => {
    await backend?.stop();
    await Promise.all(
      workspaces.map(w => fs.rm(w, { recursive: true, force: true })),
    );
  });

  it('renders a version into the workspace with its answers file and provenance on catalog-info', async () => {
    const ws = await workspace();
    const out = await backend.run(
      'paved:template:fetch',
      {
        source,
        version: 'v1.0.0',
        values: { name: 'orders', owner: 'team-b' },
      },
      { workspacePath: ws },
    );
    expect(out).toMatchObject({
      version: 'v1.0.0',
      answersFile: '.copier-answers.yml',
      targetPath: '.',
      annotations: {
        'paved.dev/template-source': source,
        'paved.dev/template-version': 'v1.0.0',
        'paved.dev/answers-file': '.copier-answers.yml',
      },
    });
    expect(out.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(out.files).toEqual(
      expect.arrayContaining([
        'README.md',
        'config/app.properties',
        'catalog-info.yaml',
      ]),
    );
    const files = Object.fromEntries(
      await Promise.all(
        ['README.md', '.copier-answers.yml', 'catalog-info.yaml'].map(
          async f => [f, await fs.readFile(path.join(ws, f), 'utf8')],
        ),
      ),
    );
    expect(files['README.md']).toContain('# orders\n\nOwned by team-b.');
    expect(files['.copier-answers.yml']).toContain('_commit: v1.0.0');
    expect(files['.copier-answers.yml']).toContain(`_src_path: ${source}`);
    expect(files['catalog-info.yaml']).toContain(
      'paved.dev/template-version: v1.0.0',
    );
    expect(files['catalog-info.yaml']).toContain('name: orders');
  });

  it('renders a template named in configuration, so one Template entity works in every environment', async () => {
    const ws = await workspace();
    const out = await backend.run(
      'paved:template:fetch',
      { template: 'service', values: { name: 'named' } },
      { workspacePath: ws },
    );
    expect(out).toMatchObject({
      version: 'v2.0.0',
      annotations: { 'paved.dev/template-source': source },
    });
  });

  it('renders the newest version by default, into a monorepo folder with a repository-relative answers path', async () => {
    const ws = await workspace();
    const out = await backend.run(
      'paved:template:fetch',
      { source, values: { name: 'billing' }, targetPath: 'services/billing' },
      { workspacePath: ws },
    );
    expect(out.version).toBe('v2.0.0');
    expect(out.answersFile).toBe('services/billing/.copier-answers.yml');
    const catalog = await fs.readFile(
      path.join(ws, 'services/billing/catalog-info.yaml'),
      'utf8',
    );
    expect(catalog).toContain(
      'paved.dev/answers-file: services/billing/.copier-answers.yml',
    );
  });

  it.each([
    [
      { source: 'https://github.com/elsewhere/template', values: {} },
      /is not allowed: add it .* paved\.templateSync\.allowedSources/,
    ],
    [
      { source: 'SOURCE', targetPath: '../escape' },
      /targetPath: must be a relative path without "\.\."/,
    ],
    [
      { source: 'SOURCE', version: '--upload-pack=evil' },
      /version: must be a tag or ref name|must not start with "-"/,
    ],
    [{ source: 'SOURCE', version: 'v9.9.9' }, /has no ref "v9\.9\.9"/],
    [
      { source: 'SOURCE', answersFile: 'answers.txt' },
      /answersFile: must name a \.yml or \.yaml file/,
    ],
    [{ source: 'SOURCE', surprise: true }, /Unrecognized key/],
    [{ values: {} }, /give either source \(a Git URL\) or template/],
    [
      { source: 'SOURCE', template: 'service' },
      /give either source \(a Git URL\) or template/,
    ],
    [
      { template: 'missing' },
      /No template "missing" under paved\.templateSync\.templates \(configured: service\)/,
    ],
  ])(
    'refuses bad input %j with a clear error and writes nothing',
    async (input: Record<string, unknown>, message) => {
      const ws = await workspace();
      const resolved = input.source === 'SOURCE' ? { ...input, source } : input;
      await expect(
        backend.run('paved:template:fetch', resolved, { workspacePath: ws }),
      ).rejects.toThrow(message);
      expect(await fs.readdir(ws)).toEqual([]);
    },
  );

  it('stops when the catalog-info file to annotate was not rendered', async () => {
    const ws = await workspace();
    await expect(
      backend.run(
        'paved:template:fetch',
        { source, values: { name: 'x' }, catalogInfoPath: 'missing.yaml' },
        { workspacePath: ws },
      ),
    ).rejects.toThrow(
      'catalogInfoPath missing.yaml was not rendered by the template',
    );
  });

  it('opens one pull request to v2, updates the same one when v3 is tagged, and changes nothing when run again', async () => {
    const repoUrl = await scaffold('orders', [{ name: 'orders' }]);

    const dry = await backend.run(
      'paved:template:update',
      { repoUrl },
      { isDryRun: true },
    );
    expect(dry).toMatchObject({
      from: 'v1.0.0',
      to: 'v2.0.0',
      upToDate: false,
    });
    expect(dry.pullRequestUrl).toBeUndefined();
    expect(await pulls('orders')).toHaveLength(0);

    const first = await backend.run('paved:template:update', { repoUrl });
    expect(first).toMatchObject({
      from: 'v1.0.0',
      to: 'v2.0.0',
      upToDate: false,
      branch: BRANCH,
      conflicts: 0,
      pullRequestNumber: 1,
    });
    expect(first.changedFiles).toEqual(
      expect.arrayContaining(['config/app.properties', '.copier-answers.yml']),
    );
    expect(await read('orders', 'config/app.properties', BRANCH)).toBe(
      'name=orders\nport=8080\nlog=warn\nmetrics=true\n',
    );
    expect(await read('orders', '.copier-answers.yml', BRANCH)).toContain(
      '_commit: v2.0.0',
    );
    expect(await read('orders', 'catalog-info.yaml', BRANCH)).toContain(
      'paved.dev/template-version: v2.0.0',
    );
    // The base branch is untouched: nothing is merged.
    expect(await read('orders', '.copier-answers.yml')).toContain(
      '_commit: v1.0.0',
    );
    let [pull] = await pulls('orders');
    expect(pull).toMatchObject({
      state: 'open',
      draft: false,
      head: { ref: BRANCH },
    });
    expect(pull.title).toBe(
      'Update template service-template from v1.0.0 to v2.0.0',
    );
    expect(pull.body).toContain('`config/app.properties` | updated');
    expect(pull.labels.map(l => l.name)).toEqual(['template-sync']);

    await backend.sandbox.github.commit(
      'service-template',
      serviceTemplateFixture.next.files,
      {
        tag: serviceTemplateFixture.next.tag,
      },
    );
    const second = await backend.run('paved:template:update', { repoUrl });
    expect(second).toMatchObject({
      from: 'v1.0.0',
      to: 'v3.0.0',
      pullRequestNumber: 1,
    });
    expect(await read('orders', '.copier-answers.yml', BRANCH)).toContain(
      '_commit: v3.0.0',
    );
    expect(await read('orders', '.github/workflows/ci.yml', BRANCH)).toContain(
      'name: ci',
    );
    [pull] = await pulls('orders');
    expect(await pulls('orders')).toHaveLength(1);
    expect(pull.title).toBe(
      'Update template service-template from v1.0.0 to v3.0.0',
    );

    const head = pull.head.sha;
    const third = await backend.run('paved:template:update', { repoUrl });
    expect(third).toMatchObject({ to: 'v3.0.0', pullRequestNumber: 1 });
    expect((await pulls('orders'))[0].head.sha).toBe(head);
  });

  it('commits conflict markers when the service edited the same lines, labels the pull request and drafts it', async () => {
    await scaffold('payments', [{ name: 'payments' }]);
    await backend.sandbox.github.commit(
      'payments',
      { 'config/app.properties': 'name=payments\nport=8080\nlog=debug\n' },
      { message: 'Debug logging' },
    );
    const out = await backend.run('paved:template:update', {
      repoUrl: `${
        new URL(backend.sandbox.url).host
      }?owner=${ORG}&repo=payments`,
      version: 'v2.0.0',
    });
    expect(out).toMatchObject({ to: 'v2.0.0', conflicts: 1 });
    const merged = await read('payments', 'config/app.properties', BRANCH);
    expect(merged).toMatch(
      /<<<<<<< .*\nlog=debug\n=======\nlog=warn\nmetrics=true\n>>>>>>> /,
    );
    const [pull] = await pulls('payments');
    expect(pull.draft).toBe(true);
    expect(pull.labels.map(l => l.name).sort()).toEqual([
      'template-sync',
      'template-sync:conflicts',
    ]);
    expect(pull.body).toContain('1 file(s) have conflicts');
  });

  it('opens one pull request per instance of a monorepo', async () => {
    const repoUrl = await scaffold('platform', [
      { name: 'api', targetPath: 'services/api' },
      { name: 'worker', targetPath: 'services/worker' },
    ]);
    for (const answersFile of [
      'services/api/.copier-answers.yml',
      'services/worker/.copier-answers.yml',
    ]) {
      const out = await backend.run('paved:template:update', {
        repoUrl,
        answersFile,
      });
      expect(out.branch).toBe(
        `paved/template-sync/${answersFile.replace('/.copier', '/copier')}`,
      );
      expect(out.changedFiles).toContain(answersFile);
      expect(
        out.changedFiles.every((f: string) =>
          f.startsWith(path.posix.dirname(answersFile)),
        ),
      ).toBe(true);
    }
    const list = await pulls('platform');
    expect(list).toHaveLength(2);
    expect(list.map(p => p.title).sort()).toEqual([
      'Update template service-template from v1.0.0 to v3.0.0 (services/api/.copier-answers.yml)',
      'Update template service-template from v1.0.0 to v3.0.0 (services/worker/.copier-answers.yml)',
    ]);
  });

  it.each([
    [
      { repoUrl: 'https://github.example.com/acme/orders' },
      /no SCM integration is configured for github\.example\.com/,
    ],
    [{ repoUrl: 'file:///etc' }, /must be https:\/\/host\/owner\/repo/],
    [
      { repoUrl: 'REPO', answersFile: '../outside.yml' },
      /answersFile: must be a relative path/,
    ],
    [
      { repoUrl: 'REPO', answersFile: 'missing/.copier-answers.yml' },
      /missing\/\.copier-answers\.yml does not exist/,
    ],
    [
      { repoUrl: 'REPO', baseBranch: '--force' },
      /baseBranch: must not start with "-"/,
    ],
    [{ repoUrl: 'REPO', version: 'v0.1.0' }, /has no ref "v0\.1\.0"/],
  ])(
    'refuses update input %j clearly and opens nothing',
    async (input, message) => {
      const before = (await pulls('orders')).length;
      const repoUrl =
        input.repoUrl === 'REPO'
          ? `${backend.sandbox.url}/${ORG}/orders`
          : input.repoUrl;
      await expect(
        backend.run('paved:template:update', { ...input, repoUrl }),
      ).rejects.toThrow(message);
      expect(await pulls('orders')).toHaveLength(before);
    },
  );

  it('adopts a repository copied from the template before template sync, which template sync then updates', async () => {
    // An older copy: the files of v1.0.0, but no answers file and no provenance on catalog-info.
    const ws = await workspace();
    await backend.run(
      'paved:template:fetch',
      { source, version: 'v1.0.0', values: { name: 'legacy' } },
      { workspacePath: ws },
    );
    await fs.rm(path.join(ws, '.copier-answers.yml'));
    const catalog = path.join(ws, 'catalog-info.yaml');
    await fs.writeFile(
      catalog,
      (
        await fs.readFile(catalog, 'utf8')
      ).replace(/\n {2}annotations:\n( {4}paved\.dev\/.*\n)+/, '\n'),
    );
    await backend.sandbox.github.publish('legacy', ws);
    const repoUrl = `${backend.sandbox.url}/${ORG}/legacy`;
    expect(await read('legacy', 'catalog-info.yaml')).not.toContain(
      'paved.dev',
    );

    const dry = await backend.run(
      'paved:template:adopt',
      { repoUrl, source, version: 'v1.0.0', values: { name: 'legacy' } },
      { isDryRun: true },
    );
    expect(dry.files).toEqual(['.copier-answers.yml', 'catalog-info.yaml']);
    expect(await pulls('legacy')).toHaveLength(0);

    const adopted = await backend.run('paved:template:adopt', {
      repoUrl,
      source,
      version: 'v1.0.0',
      values: { name: 'legacy' },
    });
    expect(adopted).toMatchObject({
      version: 'v1.0.0',
      answersFile: '.copier-answers.yml',
      branch: 'paved/template-adopt/copier-answers.yml',
    });
    const [pull] = await pulls('legacy');
    expect(pull.title).toBe(
      'Adopt template service-template at v1.0.0 for template sync',
    );
    const branch = pull.head.ref;
    expect(await read('legacy', '.copier-answers.yml', branch)).toContain(
      '_commit: v1.0.0',
    );
    expect(await read('legacy', 'catalog-info.yaml', branch)).toContain(
      'paved.dev/template-version: v1.0.0',
    );

    // Merged, the repository is an instance like any other: the update merges cleanly, no conflicts.
    await backend.octokit.pulls.merge({
      owner: ORG,
      repo: 'legacy',
      pull_number: pull.number,
    });
    const updated = await backend.run('paved:template:update', { repoUrl });
    expect(updated).toMatchObject({
      from: 'v1.0.0',
      to: 'v3.0.0',
      conflicts: 0,
    });
  });

  it.each([
    [{ version: 'v9.9.9' }, /has no ref "v9\.9\.9"/],
    [{ version: undefined }, /version: Required/],
    [{ source: 'BAD' }, /not allowed/],
  ])('refuses to adopt with %j, opening nothing', async (change, message) => {
    const input: Record<string, unknown> = {
      repoUrl: `${backend.sandbox.url}/${ORG}/orders`,
      source,
      version: 'v1.0.0',
      values: { name: 'orders' },
      ...change,
    };
    if (input.source === 'BAD') input.source = 'https://github.com/elsewhere/t';
    if (input.version === undefined) delete input.version;
    const before = (await pulls('orders')).length;
    await expect(backend.run('paved:template:adopt', input)).rejects.toThrow(
      message,
    );
    expect(await pulls('orders')).toHaveLength(before);
  });

  it('never logs the GitHub token', () => {
    expect(backend.logs.join('\n')).not.toContain(backend.sandbox.github.token);
  });
});
