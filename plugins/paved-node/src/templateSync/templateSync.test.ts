import { execFileSync } from 'node:child_process';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { UpdateReport } from '@paved/plugin-template-sync-node';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GitProvider } from '../git/types';
import { readTemplateSyncSettings, syncBranch } from './config';
import { TemplateSync } from './TemplateSync';
import { writeProvenance } from './catalogInfo';
import { githubGitCredentials } from './credentials';
import { pullRequestText, templateName } from './pullRequestText';

describe('template sync settings', () => {
  it('applies defaults', () => {
    expect(readTemplateSyncSettings(new ConfigReader({}))).toEqual({
      allowedSources: [],
      prereleases: false,
      templates: {},
      render: { timeoutMs: 60_000, maxMemoryMb: 512 },
      pullRequest: {
        labels: ['template-sync'],
        conflictLabel: 'template-sync:conflicts',
        draftOnConflict: true,
        branchPrefix: 'paved/template-sync/',
      },
    });
  });

  it('refuses render limits that are not positive', () => {
    expect(() =>
      readTemplateSyncSettings(
        new ConfigReader({
          paved: { templateSync: { render: { maxMemoryMb: 0 } } },
        }),
      ),
    ).toThrow(
      'paved.templateSync.render.maxMemoryMb must be a positive number, got 0',
    );
  });

  it('refuses a branch prefix git could not use', () => {
    expect(() =>
      readTemplateSyncSettings(
        new ConfigReader({
          paved: { templateSync: { pullRequest: { branchPrefix: 'a..b/' } } },
        }),
      ),
    ).toThrow('must be a branch path ending in "/"');
  });

  it.each([
    ['.copier-answers.yml', 'paved/template-sync/copier-answers.yml'],
    [
      'services/api/.copier-answers.yml',
      'paved/template-sync/services/api/copier-answers.yml',
    ],
    ['a b/x~y^z:.yml', 'paved/template-sync/a-b/x-y-z-.yml'],
    ['..hidden/answers.lock', 'paved/template-sync/hidden/answers-lock'],
  ])('branch for %s is %s', (file, branch) => {
    expect(syncBranch('paved/template-sync/', file)).toBe(branch);
  });
});

describe('git credentials from GitHub integrations', () => {
  it('sends the token as Basic x-access-token to integrated hosts only', async () => {
    const credentials = githubGitCredentials(
      {
        github: {
          byUrl: (url: string) =>
            url.includes('github.com') ? ({} as any) : undefined,
        } as any,
      },
      {
        getCredentials: async () => ({
          type: 'token',
          token: 'ghs_abc',
          headers: {},
        }),
      },
    );
    await expect(
      credentials('https://github.com/acme/templates'),
    ).resolves.toEqual({
      Authorization: `Basic ${Buffer.from('x-access-token:ghs_abc').toString(
        'base64',
      )}`,
    });
    await expect(
      credentials('https://gitlab.com/acme/templates'),
    ).resolves.toBeUndefined();
  });
});

describe('pull request text', () => {
  const report: UpdateReport = {
    srcPath: 'https://github.com/acme/templates//typescript-service',
    answersFile: 'services/api/.copier-answers.yml',
    from: 'v1.0.0',
    to: 'v1.2.0',
    upToDate: false,
    answersChanged: [],
    folders: { created: [], removed: [] },
    changes: [
      { path: 'services/api/README.md', status: 'modified' },
      { path: 'services/api/a|b.txt', status: 'added' },
      {
        path: 'services/api/config.yml',
        status: 'conflict',
        conflict: 'inline',
      },
    ],
    kept: [{ path: 'services/api/old.txt', reason: 'deleted-locally' }],
    conflicts: 1,
    migrations: [],
    tasks: { ran: 0, skipped: 0 },
    warnings: ['1 template task(s) not run'],
  };

  it('names the template, the versions and the instance', () => {
    const text = pullRequestText(report);
    expect(text.title).toBe(
      'Update template typescript-service from v1.0.0 to v1.2.0 (services/api/.copier-answers.yml)',
    );
    expect(text.message.split('\n')[0]).toBe(
      'chore(template): update typescript-service to v1.2.0 (services/api/.copier-answers.yml)',
    );
  });

  it('lists conflicts first with what to do, escapes table cells, and says it is never merged', () => {
    const { body } = pullRequestText(report);
    expect(body).toContain('1 file(s) have conflicts');
    const rows = body.split('\n').filter(l => l.startsWith('| `'));
    expect(rows[0]).toBe('| `services/api/config.yml` | **conflict** |');
    expect(rows).toContain('| `services/api/a\\|b.txt` | added |');
    expect(body).toContain('- `services/api/old.txt`: deleted locally');
    expect(body).toContain('never merged automatically');
  });

  it('summarises long file lists', () => {
    const many = {
      ...report,
      conflicts: 0,
      changes: Array.from({ length: 120 }, (_, i) => ({
        path: `f${i}`,
        status: 'added' as const,
      })),
    };
    const { body } = pullRequestText(many);
    expect(body).toContain('| … | 70 more file(s) |');
    expect(body).not.toContain('have conflicts');
  });

  it.each([
    ['https://github.com/acme/service-template.git', 'service-template'],
    ['gh:acme/templates//python', 'python'],
    ['git@github.com:acme/web.git', 'web'],
  ])('template name of %s is %s', (src, name) => {
    expect(templateName(src)).toBe(name);
  });
});

describe('provenance on catalog-info', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-prov-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const catalog = [
    '# our service',
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: api # keep me',
    '  annotations:',
    '    paved.dev/template-source: https://github.com/acme/templates',
    '    paved.dev/template-version: v1.0.0',
    '---',
    'apiVersion: backstage.io/v1alpha1',
    'kind: Location',
    'metadata: { name: more }',
    'spec: { targets: [./x.yaml] }',
    '',
  ].join('\n');

  it('bumps the version of entities recording this instance, keeping comments and other documents', async () => {
    const file = path.join(dir, 'catalog-info.yaml');
    await fs.writeFile(file, catalog);
    const provenance = {
      source: 'https://github.com/acme/templates',
      version: 'v1.1.0',
      answersFile: '.copier-answers.yml',
    };
    await expect(writeProvenance(file, provenance, 'bump')).resolves.toBe(true);
    const text = await fs.readFile(file, 'utf8');
    expect(text).toContain('paved.dev/template-version: v1.1.0');
    expect(text).toContain('name: api # keep me');
    expect(text).toContain('# our service');
    expect(text).not.toMatch(/kind: Location[\s\S]*paved\.dev/);
    await expect(writeProvenance(file, provenance, 'bump')).resolves.toBe(
      false,
    );
    // Another instance's answers file: not this entity.
    await expect(
      writeProvenance(
        file,
        {
          ...provenance,
          version: 'v9.0.0',
          answersFile: 'x/.copier-answers.yml',
        },
        'bump',
      ),
    ).resolves.toBe(false);
  });

  it('sets all three annotations when scaffolding, and ignores missing or broken files', async () => {
    const file = path.join(dir, 'catalog-info.yaml');
    await fs.writeFile(file, 'kind: Component\nmetadata:\n  name: a\n');
    await writeProvenance(
      file,
      { source: 's', version: 'v1.0.0', answersFile: 'a/.answers.yml' },
      'set',
    );
    expect(await fs.readFile(file, 'utf8')).toContain(
      'paved.dev/answers-file: a/.answers.yml',
    );
    await expect(
      writeProvenance(
        path.join(dir, 'none.yaml'),
        { source: 's', version: 'v', answersFile: 'a' },
        'set',
      ),
    ).resolves.toBe(false);
    await fs.writeFile(file, 'kind: [unclosed\n');
    await expect(
      writeProvenance(
        file,
        { source: 's', version: 'v', answersFile: 'a' },
        'set',
      ),
    ).resolves.toBe(false);
  });
});

describe('TemplateSync renders in the render process', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
      { cwd, stdio: 'pipe' },
    );
  async function template(files: Record<string, string>): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-tpl-'));
    for (const [rel, text] of Object.entries(files)) {
      await fs.writeFile(path.join(dir, rel), text);
    }
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'v1');
    git(dir, 'tag', 'v1.0.0');
    return dir;
  }
  const sync = (allowed: string, render: object) =>
    TemplateSync.fromConfig(
      new ConfigReader({
        paved: { templateSync: { allowedSources: [allowed], render } },
      }),
      { git: {} as GitProvider, logger: mockServices.logger.mock() },
    );

  // Only the render process has a time limit: a portal that rendered in its own process would hang here instead.
  it('stops a render at paved.templateSync.render.timeoutMs with an InputError, writing nothing', async () => {
    const src = await template({
      'copier.yml': 'name: x\n',
      'a.txt.jinja':
        '{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}',
    });
    const targetDir = path.join(src, '..', `${path.basename(src)}-out`);
    const error = await sync(src, { timeoutMs: 1000 })
      .render({ source: src, targetDir })
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'Rendering the template did not finish within 1 s; it was stopped',
    );
    await expect(fs.stat(targetDir)).rejects.toThrow();
  });
});
