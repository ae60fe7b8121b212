import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './index';

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env, encoding: 'utf8' });

function write(dir: string, files: Record<string, string>) {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

async function paved(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: t => (out += t),
    err: t => (err += t),
  });
  return { code, out, err };
}

describe('paved template', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-cli-'));
  const tpl = path.join(root, 'tpl');
  const svc = path.join(root, 'svc');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  beforeAll(() => {
    fs.mkdirSync(tpl);
    git(tpl, 'init', '-q', '-b', 'main');
    write(tpl, {
      'copier.yml': 'name: {type: str}\nport: {type: int, default: 8080}\n',
      'service.yml.jinja': 'name: {{ name }}\nport: {{ port }}\nreplicas: 1\n',
    });
    git(tpl, 'add', '-A');
    git(tpl, 'commit', '-q', '-m', 'v1');
    git(tpl, 'tag', 'v1.0.0');
  });

  it('copy renders with --data and --defaults and records the answers', async () => {
    const result = await paved(
      'template',
      'copy',
      tpl,
      svc,
      '--data',
      'name=payments',
      '--defaults',
    );
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toBe(
      `Rendered ${tpl} v1.0.0 into ${svc}: 2 file(s), answers in .copier-answers.yml.\n`,
    );
    expect(fs.readFileSync(path.join(svc, 'service.yml'), 'utf8')).toBe(
      'name: payments\nport: 8080\nreplicas: 1\n',
    );
    git(svc, 'init', '-q', '-b', 'main');
    git(svc, 'add', '-A');
    git(svc, 'commit', '-q', '-m', 'from template');
  });

  it('check exits 0 when up to date and 2 with the newest version when behind', async () => {
    expect(await paved('template', 'check', svc)).toMatchObject({
      code: 0,
      out: '.copier-answers.yml is up to date (v1.0.0).\n',
    });

    write(tpl, {
      'service.yml.jinja': 'name: {{ name }}\nport: {{ port }}\nreplicas: 2\n',
    });
    git(tpl, 'commit', '-qam', 'v2');
    git(tpl, 'tag', 'v2.0.0');

    expect(await paved('template', 'check', svc)).toMatchObject({
      code: 2,
      out: '.copier-answers.yml is at v1.0.0; v2.0.0 is available.\n',
    });
    const json = await paved('template', 'check', svc, '--json');
    expect(JSON.parse(json.out)).toMatchObject({
      current: 'v1.0.0',
      latest: 'v2.0.0',
      behind: true,
    });
    // copier's name for the same command.
    expect(await paved('template', 'check-update', svc)).toMatchObject({
      code: 2,
      out: '.copier-answers.yml is at v1.0.0; v2.0.0 is available.\n',
    });
  });

  it('update --json reports versions, changed files and conflicts for pull request text', async () => {
    write(svc, { 'service.yml': 'name: payments\nport: 8080\nreplicas: 5\n' });
    git(svc, 'commit', '-qam', 'scale up');
    const result = await paved(
      'template',
      'update',
      svc,
      '--json',
      '--pretend',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({
      from: 'v1.0.0',
      to: 'v2.0.0',
      conflicts: 1,
      changes: [
        { path: 'service.yml', status: 'conflict', conflict: 'inline' },
      ],
    });
    expect(git(svc, 'status', '--porcelain')).toBe('');

    const applied = await paved('template', 'update', svc, '--conflict', 'rej');
    expect(applied.out).toContain(
      'Updated .copier-answers.yml from v1.0.0 to v2.0.0: 0 modified, 0 added, 0 deleted, 1 conflict(s).',
    );
    expect(applied.out).toContain('  conflict service.yml (rej)');
    expect(fs.existsSync(path.join(svc, 'service.yml.rej'))).toBe(true);
  });

  it('prints one clear line and exits 1 on a refusal', async () => {
    const result = await paved('template', 'update', svc);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^paved: .* has uncommitted changes \(.*\); commit or stash them first\n$/,
    );
  });

  it('copy reads answers from --data-file, with --data winning', async () => {
    const file = path.join(root, 'answers.yml');
    fs.writeFileSync(file, 'name: from-file\nport: 9000\n');
    const dst = path.join(root, 'from-file');
    const result = await paved(
      'template',
      'copy',
      tpl,
      dst,
      '--data-file',
      file,
      '--data',
      'port=9100',
      '--vcs-ref',
      'v1.0.0',
    );
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dst, 'service.yml'), 'utf8')).toBe(
      'name: from-file\nport: 9100\nreplicas: 1\n',
    );
  });

  it('rejects a malformed --data and an unknown --conflict mode', async () => {
    expect(
      (
        await paved(
          'template',
          'copy',
          tpl,
          path.join(root, 'x'),
          '--data',
          'oops',
        )
      ).err,
    ).toContain('--data expects KEY=VALUE, got "oops"');
    const bad = await paved('template', 'update', svc, '--conflict', 'theirs');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('Allowed choices are inline, rej');
  });

  it('speaks copier’s flags: refuses tasks without --trust, -T skips them, -x excludes, recopy, --context-lines checked', async () => {
    const tasks = path.join(root, 'tpl-tasks');
    fs.mkdirSync(tasks);
    git(tasks, 'init', '-q', '-b', 'main');
    write(tasks, {
      'copier.yml': 'name: {type: str, default: svc}\n_tasks: ["touch ran"]\n',
      'a.txt.jinja': '{{ name }} v1\n',
      'docs/b.md': 'b\n',
    });
    git(tasks, 'add', '-A');
    git(tasks, 'commit', '-q', '-m', 'v1');
    git(tasks, 'tag', 'v1');

    const refusedDst = path.join(root, 'refused');
    const refused = await paved('template', 'copy', tasks, refusedDst, '-l');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('pass --trust to run them or --skip-tasks');
    expect(fs.existsSync(refusedDst)).toBe(false);

    const dst = path.join(root, 'with-flags');
    const copied = await paved(
      'template',
      'copy',
      tasks,
      dst,
      '-l',
      '-T',
      '-x',
      'docs',
      '-q',
    );
    expect(copied).toMatchObject({ code: 0, out: '' });
    expect(fs.existsSync(path.join(dst, 'docs'))).toBe(false);
    expect(fs.existsSync(path.join(dst, 'ran'))).toBe(false);

    git(dst, 'init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(dst, 'a.txt'), 'edited\n');
    git(dst, 'add', '-A');
    git(dst, 'commit', '-q', '-m', 'edited');
    write(tasks, { 'a.txt.jinja': '{{ name }} v2\n' });
    git(tasks, 'commit', '-qam', 'v2');
    git(tasks, 'tag', 'v2');
    const recopied = await paved(
      'template',
      'recopy',
      dst,
      '-T',
      '-d',
      'name=billing',
    );
    expect(recopied.code).toBe(0);
    expect(recopied.out).toContain('Recopied');
    expect(fs.readFileSync(path.join(dst, 'a.txt'), 'utf8')).toBe(
      'billing v2\n',
    );

    const badContext = await paved(
      'template',
      'update',
      dst,
      '--context-lines',
      '-1',
    );
    expect(badContext.code).not.toBe(0);
    expect(badContext.err).toContain('a whole number from 0 to 100');
  });
});
