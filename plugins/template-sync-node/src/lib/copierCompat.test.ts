/**
 * copier 9's update semantics, one behaviour per test, on real temporary git repositories. The scenarios restate
 * copier's own tests and documentation (docs/updating.md, docs/configuring.md, tests/test_updatediff.py,
 * tests/test_exclude.py, tests/test_migrations.py, tests/test_symlinks.py) in Paved's engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { copyTemplate, recopyInstance } from './copy';
import { updateInstance } from './update';
import { checkInstance } from './check';
import {
  commitAll,
  exists,
  read,
  release,
  sh,
  tempDir,
  templateRepo,
  writeFiles,
  Files,
} from '../__testUtils__/repos';

const root = tempDir();
let counter = 0;
const dir = (name: string) => path.join(root, `${name}-${++counter}`);

/** A template with its versions, and a service copied from the first one and committed. */
async function instance(
  versions: Array<{ tag: string; files: Files }>,
  options: { data?: Record<string, unknown>; answersFile?: string } = {},
) {
  const tpl = templateRepo(dir('tpl'), versions);
  const svc = dir('svc');
  const copied = await copyTemplate({
    src: tpl,
    dst: svc,
    vcsRef: versions[0].tag,
    defaults: true,
    ...options,
  });
  commitAll(svc, 'from template');
  return { tpl, svc, copied };
}

const answers = (svc: string, file = '.copier-answers.yml') =>
  parseYaml(read(svc, file));

describe('versions, as copier orders tags (PEP 440)', () => {
  it('takes v1, 3, 1.2 and 1.2.3.post1 as versions, newest by PEP 440, and pre-releases only when asked', async () => {
    const tags = [
      'v1',
      '1.2',
      '1.2.3',
      '1.2.3.post1',
      '1.2.4.dev1',
      'v2.a2',
      'v2',
      '3',
      'not-a-version',
    ];
    const tpl = templateRepo(
      dir('tpl'),
      tags.map(tag => ({ tag, files: { 'v.txt': `${tag}\n` } })),
    );
    const newest = await copyTemplate({ src: tpl, dst: dir('svc') });
    expect(newest.version).toBe('3');

    // Between 1.2.3 and v2: the post-release is newer than 1.2.3, the dev and alpha releases are pre-releases.
    const { svc } = await instance([
      { tag: '1.2.3', files: { 'v.txt': '1.2.3\n' } },
      { tag: '1.2.3.post1', files: { 'v.txt': 'post1\n' } },
      { tag: '1.2.4.dev1', files: { 'v.txt': 'dev1\n' } },
      { tag: 'v2.a2', files: { 'v.txt': 'alpha\n' } },
    ]);
    expect((await checkInstance({ dst: svc })).latest).toBe('1.2.3.post1');
    expect((await checkInstance({ dst: svc, prereleases: true })).latest).toBe(
      'v2.a2',
    );
    const report = await updateInstance({ dst: svc });
    expect(report.to).toBe('1.2.3.post1');
    expect(read(svc, 'v.txt')).toBe('post1\n');
  });

  it('refuses a downgrade by PEP 440 order (v2 is newer than 1.10)', async () => {
    const { svc } = await instance([
      { tag: '1.10', files: { 'a.txt': 'a\n' } },
      { tag: 'v2', files: { 'a.txt': 'b\n' } },
    ]);
    await updateInstance({ dst: svc });
    commitAll(svc, 'update');
    await expect(
      updateInstance({ dst: svc, vcsRef: '1.10' }),
    ).rejects.toMatchObject({ code: 'DOWNGRADE' });
  });

  it('--vcs-ref :current: changes answers without changing the version', async () => {
    const { svc } = await instance([
      {
        tag: 'v1.0.0',
        files: {
          'copier.yml': 'name: {type: str, default: a}\n',
          'n.txt.jinja': '{{ name }}\n',
        },
      },
      { tag: 'v1.1.0', files: { 'n.txt.jinja': 'v1.1 {{ name }}\n' } },
    ]);
    const report = await updateInstance({
      dst: svc,
      vcsRef: ':current:',
      data: { name: 'b' },
    });
    expect(report).toMatchObject({ from: 'v1.0.0', to: 'v1.0.0' });
    expect(read(svc, 'n.txt')).toBe('b\n');
    expect(answers(svc)).toMatchObject({ _commit: 'v1.0.0', name: 'b' });
    await expect(
      copyTemplate({ src: svc, dst: dir('x'), vcsRef: ':current:' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('a template that is a plain folder', () => {
  it('is copied as it is, with no _commit, and cannot be updated', async () => {
    const plain = dir('plain');
    writeFiles(plain, {
      'copier.yml': 'name: {type: str, default: svc}\n',
      'n.txt.jinja': '{{ name }}\n',
    });
    const svc = dir('svc');
    const copied = await copyTemplate({ src: plain, dst: svc, defaults: true });
    expect(copied.version).toBe('');
    expect(read(svc, 'n.txt')).toBe('svc\n');
    expect(answers(svc)).toEqual({ _src_path: plain, name: 'svc' });
    await expect(
      copyTemplate({ src: plain, dst: dir('x'), vcsRef: 'v1' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    commitAll(svc);
    await expect(updateInstance({ dst: svc })).rejects.toMatchObject({
      message: expect.stringContaining('records no _commit'),
    });
  });
});

describe('folders', () => {
  it('creates the empty folders a template has and removes the folders an update empties', async () => {
    const { tpl, svc } = await instance([
      {
        tag: 'v1',
        files: {
          'gone/deep/a.txt': 'a\n',
          'gone/b.txt': 'b\n',
          'stays/c.txt': 'c\n',
          'stays/d.txt': 'd\n',
        },
      },
    ]);
    release(tpl, 'v2', {
      'gone/deep/a.txt': null,
      'gone/b.txt': null,
      'stays/d.txt': null,
    });
    const report = await updateInstance({ dst: svc });
    expect(report.changes.map(c => `${c.status} ${c.path}`)).toEqual([
      'deleted gone/b.txt',
      'deleted gone/deep/a.txt',
      'deleted stays/d.txt',
    ]);
    expect(report.folders.removed).toEqual(['gone', 'gone/deep']);
    expect(exists(svc, 'gone')).toBe(false);
    expect(exists(svc, 'stays/c.txt')).toBe(true);

    // A folder whose contents all render away is still created, as copier creates every folder it renders.
    const tpl2 = templateRepo(dir('tpl'), [
      {
        tag: 'v1',
        files: {
          'copier.yml': 'with_logs: {type: bool, default: false}\n',
          'logs/{% if with_logs %}app.log{% endif %}': 'log\n',
          'keep/a.txt': 'a\n',
        },
      },
    ]);
    const out = dir('out');
    const copied = await copyTemplate({ src: tpl2, dst: out, defaults: true });
    expect(copied.folders).toEqual(['logs']);
    expect(fs.readdirSync(path.join(out, 'logs'))).toEqual([]);
  });

  it('keeps a folder that still holds the service’s own files', async () => {
    const { tpl, svc } = await instance([
      { tag: 'v1', files: { 'docs/a.md': 'a\n' } },
    ]);
    writeFiles(svc, { 'docs/mine.md': 'mine\n' });
    commitAll(svc, 'own doc');
    release(tpl, 'v2', { 'docs/a.md': null });
    const report = await updateInstance({ dst: svc });
    expect(report.folders.removed).toEqual([]);
    expect(read(svc, 'docs/mine.md')).toBe('mine\n');
  });
});

describe('_skip_if_exists and _exclude', () => {
  it('recreates a _skip_if_exists file the service deleted, and never overwrites one that exists', async () => {
    const { tpl, svc } = await instance([
      {
        tag: 'v1',
        files: {
          'copier.yml': '_skip_if_exists: [local.cfg, "*.env"]\n',
          'local.cfg': 'template v1\n',
          'dev.env': 'A=1\n',
        },
      },
    ]);
    writeFiles(svc, { 'local.cfg': null, 'dev.env': 'A=mine\n' });
    commitAll(svc, 'service deletes and edits');
    release(tpl, 'v2', { 'local.cfg': 'template v2\n', 'dev.env': 'A=2\n' });
    const report = await updateInstance({ dst: svc });
    expect(report.changes).toEqual([{ path: 'local.cfg', status: 'added' }]);
    expect(report.kept).toEqual([
      { path: 'dev.env', reason: 'skip-if-exists' },
    ]);
    expect(read(svc, 'local.cfg')).toBe('template v2\n');
    expect(read(svc, 'dev.env')).toBe('A=mine\n');
  });

  it('renders _exclude and _skip_if_exists with Jinja, _copier_operation included', async () => {
    const files = {
      'copier.yml': [
        'with_docs: {type: bool, default: false}',
        '_exclude:',
        '  - "{% if not with_docs %}docs{% endif %}"',
        '  - "{% if _copier_operation == \'update\' %}seed.sql{% endif %}"',
        '  - copier.yml',
        '_skip_if_exists:',
        '  - "{% if _copier_operation == \'update\' %}settings.json{% endif %}"',
        '',
      ].join('\n'),
      'docs/index.md': 'docs\n',
      'seed.sql': 'insert 1;\n',
      'settings.json': '{"v": 1}\n',
    };
    const { tpl, svc, copied } = await instance([{ tag: 'v1', files }]);
    expect(copied.written.sort()).toEqual([
      '.copier-answers.yml',
      'seed.sql',
      'settings.json',
    ]);
    writeFiles(svc, { 'settings.json': '{"v": "mine"}\n' });
    commitAll(svc, 'edit settings');
    release(tpl, 'v2', {
      'seed.sql': 'insert 2;\n',
      'settings.json': '{"v": 2}\n',
    });
    const report = await updateInstance({
      dst: svc,
      data: { with_docs: true },
    });
    // seed.sql is excluded on update (kept as it is), settings.json skipped; docs now included.
    expect(report.changes).toEqual([
      { path: 'docs/index.md', status: 'added' },
    ]);
    expect(read(svc, 'seed.sql')).toBe('insert 1;\n');
    expect(read(svc, 'settings.json')).toBe('{"v": "mine"}\n');
  });

  it('supports !negation in _exclude, re-including a file under an excluded folder', async () => {
    const tpl = templateRepo(dir('tpl'), [
      {
        tag: 'v1',
        files: {
          'copier.yml':
            '_exclude: [copier.yml, tests, "!tests/keep.py", "*.log", "!important.log"]\n',
          'tests/keep.py': 'keep\n',
          'tests/drop.py': 'drop\n',
          'a.log': 'x\n',
          'important.log': 'y\n',
          'src/main.py': 'main\n',
        },
      },
    ]);
    const out = dir('out');
    const copied = await copyTemplate({ src: tpl, dst: out });
    expect(copied.written.sort()).toEqual([
      '.copier-answers.yml',
      'important.log',
      'src/main.py',
      'tests/keep.py',
    ]);
  });

  it('adds the caller’s exclusions and skips (copier’s --exclude and --skip)', async () => {
    const { tpl, svc } = await instance([
      { tag: 'v1', files: { 'a.txt': 'a1\n', 'b.txt': 'b1\n' } },
    ]);
    writeFiles(svc, { 'b.txt': 'b mine\n' });
    commitAll(svc, 'edit b');
    release(tpl, 'v2', { 'a.txt': 'a2\n', 'b.txt': 'b2\n', 'c.txt': 'c\n' });
    const report = await updateInstance({
      dst: svc,
      exclude: ['c.txt'],
      skipIfExists: ['b.txt'],
    });
    expect(report.changes).toEqual([{ path: 'a.txt', status: 'modified' }]);
    expect(read(svc, 'b.txt')).toBe('b mine\n');
    expect(exists(svc, 'c.txt')).toBe(false);
  });
});

describe('answers', () => {
  it('keeps _secret_questions out of the answers file, and does not validate a replayed secret default', async () => {
    const { tpl, svc } = await instance(
      [
        {
          tag: 'v1',
          files: {
            'copier.yml': [
              'name: {type: str, default: svc}',
              'token:',
              '  type: str',
              '  default: ""',
              '  validator: "{% if not token %}a token is required{% endif %}"',
              '_secret_questions: [token]',
              '',
            ].join('\n'),
            'n.txt.jinja': '{{ name }}\n',
          },
        },
      ],
      { data: { token: 's3cret' } },
    );
    expect(answers(svc)).toEqual({
      _commit: 'v1',
      _src_path: tpl,
      name: 'svc',
    });
    expect(read(svc, '.copier-answers.yml')).not.toContain('s3cret');
    release(tpl, 'v2', { 'n.txt.jinja': '{{ name }} v2\n' });
    // The old version is replayed with the secret's empty default: copier does not validate it, and neither does Paved.
    const report = await updateInstance({ dst: svc, data: { token: 'again' } });
    expect(report.changes).toEqual([{ path: 'n.txt', status: 'modified' }]);
    expect(read(svc, '.copier-answers.yml')).not.toContain('again');
  });

  it('records a multiselect answer in the order of its choices', async () => {
    const { svc } = await instance(
      [
        {
          tag: 'v1',
          files: {
            'copier.yml':
              'clusters:\n  type: str\n  multiselect: true\n  choices: [dev-eu, prod-eu, prod-us]\n',
          },
        },
      ],
      { data: { clusters: ['prod-us', 'dev-eu'] } },
    );
    expect(answers(svc).clusters).toEqual(['dev-eu', 'prod-us']);
  });

  it('renders a templated _answers_file', async () => {
    const tpl = templateRepo(dir('tpl'), [
      {
        tag: 'v1',
        files: {
          'copier.yml':
            'module_name: {type: str, default: billing}\n_answers_file: ".copier-answers-{{ module_name }}.yml"\n',
          'm.txt.jinja': '{{ module_name }}\n',
        },
      },
      { tag: 'v2', files: { 'm.txt.jinja': '{{ module_name }} v2\n' } },
    ]);
    const svc = dir('svc');
    const copied = await copyTemplate({
      src: tpl,
      dst: svc,
      vcsRef: 'v1',
      defaults: true,
    });
    expect(copied.answersFile).toBe('.copier-answers-billing.yml');
    expect(answers(svc, '.copier-answers-billing.yml')._commit).toBe('v1');
    commitAll(svc);
    const report = await updateInstance({
      dst: svc,
      answersFile: '.copier-answers-billing.yml',
    });
    expect(report.changes).toEqual([{ path: 'm.txt', status: 'modified' }]);
    expect(exists(svc, '.copier-answers.yml')).toBe(false);
  });

  it('renders booleans as Python does (True/False), as copier’s Jinja', async () => {
    const tpl = templateRepo(dir('tpl'), [
      {
        tag: 'v1',
        files: {
          'copier.yml': 'enabled: {type: bool, default: true}\n',
          'flags.txt.jinja':
            'enabled={{ enabled }} off={{ not enabled }} json={{ enabled | tojson }}\n',
        },
      },
    ]);
    const out = dir('out');
    await copyTemplate({ src: tpl, dst: out, defaults: true });
    expect(read(out, 'flags.txt')).toBe('enabled=True off=False json=true\n');
  });
});

describe('migrations', () => {
  const base = {
    'copier.yml': 'name: {type: str, default: svc}\n',
    'a.txt': '1\n',
  };

  it('accepts copier 9’s forms: a command string, an argument list, a mapping without version', async () => {
    const { tpl, svc } = await instance([{ tag: 'v1', files: base }]);
    release(tpl, 'v2', {
      'copier.yml': [
        'name: {type: str, default: svc}',
        '_migrations:',
        '  - "echo string-$STAGE >> log"',
        '  - [sh, -c, "echo list-$STAGE >> log"]',
        '  - command: "echo mapping-{{ _stage }} >> log"',
        '    when: "{{ _stage == \'before\' }}"',
        '',
      ].join('\n'),
    });
    const report = await updateInstance({ dst: svc, trust: true });
    expect(read(svc, 'log')).toBe('mapping-before\nstring-after\nlist-after\n');
    expect(report.migrations).toEqual(['* before', '* after', '* after']);
  });

  it('gives VERSION_CURRENT as the migration’s own version, and the PEP 440 spellings', async () => {
    const { tpl, svc } = await instance([{ tag: 'v1.0.0', files: base }]);
    release(tpl, 'v1.5', {});
    release(tpl, 'v2.0.0', {
      'copier.yml': [
        'name: {type: str, default: svc}',
        '_migrations:',
        '  - version: v1.5',
        '    command: "echo $VERSION_FROM $VERSION_TO $VERSION_CURRENT $VERSION_PEP440_FROM $VERSION_PEP440_TO $VERSION_PEP440_CURRENT >> log"',
        '  - version: v3',
        '    command: "echo never >> log"',
        '',
      ].join('\n'),
    });
    await updateInstance({ dst: svc, trust: true });
    expect(read(svc, 'log')).toBe('v1.0.0 v2.0.0 v1.5 1.0.0 2.0.0 1.5\n');
  });

  it('runs "before" migrations before the new version reads the answers: their answer edits are used', async () => {
    const { tpl, svc } = await instance([
      {
        tag: 'v1',
        files: {
          'copier.yml': 'old_name: {type: str, default: svc}\n',
          'n.txt.jinja': '{{ old_name }}\n',
        },
      },
    ]);
    release(tpl, 'v2', {
      'copier.yml': [
        'service_name: {type: str}',
        '_migrations:',
        '  - version: v2',
        '    command: "sed -i s/old_name:/service_name:/ .copier-answers.yml"',
        '    when: "{{ _stage == \'before\' }}"',
        '',
      ].join('\n'),
      'n.txt.jinja': '{{ service_name }} v2\n',
    });
    await updateInstance({ dst: svc, trust: true });
    expect(read(svc, 'n.txt')).toBe('svc v2\n');
    expect(answers(svc)).toMatchObject({ service_name: 'svc', _commit: 'v2' });
  });
});

describe('files', () => {
  it('applies a permission-only change of the template, and keeps the service’s own mode change', async () => {
    const { tpl, svc } = await instance([
      {
        tag: 'v1',
        files: { 'run.sh': 'echo run\n', 'mine.sh': 'echo mine\n' },
      },
    ]);
    fs.chmodSync(path.join(svc, 'mine.sh'), 0o755);
    commitAll(svc, 'service makes mine.sh executable');
    fs.chmodSync(path.join(tpl, 'run.sh'), 0o755);
    release(tpl, 'v2', {});
    const report = await updateInstance({ dst: svc });
    expect(report.changes).toEqual([{ path: 'run.sh', status: 'modified' }]);
    expect(fs.statSync(path.join(svc, 'run.sh')).mode & 0o111).not.toBe(0);
    expect(fs.statSync(path.join(svc, 'mine.sh')).mode & 0o111).not.toBe(0);
    expect(sh(svc, 'diff', '--summary')).toContain(
      'mode change 100644 => 100755 run.sh',
    );
  });

  it('with _templates_suffix "" copies a file that is not UTF-8 byte for byte', async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x7b,
      0x7b,
    ]);
    const tpl = templateRepo(dir('tpl'), [
      {
        tag: 'v1',
        files: {
          'copier.yml':
            '_templates_suffix: ""\nname: {type: str, default: svc}\n',
          'logo.png': png,
          'readme.md': '# {{ name }}\n',
        },
      },
    ]);
    const out = dir('out');
    await copyTemplate({ src: tpl, dst: out, defaults: true });
    expect(fs.readFileSync(path.join(out, 'logo.png')).equals(png)).toBe(true);
    expect(read(out, 'readme.md')).toBe('# svc\n');
  });

  it('follows a symlink inside the template by default, and copies it as a link with _preserve_symlinks', async () => {
    const tpl = dir('tpl');
    writeFiles(tpl, { 'copier.yml': '', 'real/config.yml': 'a: 1\n' });
    fs.symlinkSync('real/config.yml', path.join(tpl, 'config.yml'));
    fs.symlinkSync('real', path.join(tpl, 'alias'));
    commitAll(tpl, 'v1');
    sh(tpl, 'tag', 'v1');
    const followed = dir('out');
    await copyTemplate({ src: tpl, dst: followed });
    expect(fs.lstatSync(path.join(followed, 'config.yml')).isFile()).toBe(true);
    expect(read(followed, 'alias/config.yml')).toBe('a: 1\n');

    writeFiles(tpl, { 'copier.yml': '_preserve_symlinks: true\n' });
    commitAll(tpl, 'v2');
    sh(tpl, 'tag', 'v2');
    const preserved = dir('out');
    await copyTemplate({ src: tpl, dst: preserved });
    expect(fs.readlinkSync(path.join(preserved, 'config.yml'))).toBe(
      'real/config.yml',
    );
    expect(read(preserved, 'config.yml')).toBe('a: 1\n');
  });

  it('refuses a preserved symlink that points outside the destination, and one that leaves the template', async () => {
    const tpl = dir('tpl');
    writeFiles(tpl, { 'copier.yml': '_preserve_symlinks: true\n' });
    fs.symlinkSync('../../etc/passwd', path.join(tpl, 'escape'));
    commitAll(tpl, 'v1');
    sh(tpl, 'tag', 'v1');
    const out = dir('out');
    await expect(copyTemplate({ src: tpl, dst: out })).rejects.toMatchObject({
      code: 'UNSAFE',
      message: expect.stringContaining('outside the instance'),
    });
    expect(exists(out, 'escape')).toBe(false);

    const following = dir('tpl');
    writeFiles(following, { 'copier.yml': '' });
    fs.symlinkSync('/etc/passwd', path.join(following, 'passwd'));
    commitAll(following, 'v1');
    sh(following, 'tag', 'v1');
    await expect(
      copyTemplate({ src: following, dst: dir('out') }),
    ).rejects.toMatchObject({ code: 'UNSAFE' });
  });

  it('refuses a template that would write below a symlink it creates (the link could lead anywhere)', async () => {
    const tpl = dir('tpl');
    writeFiles(tpl, {
      'copier.yml': '_preserve_symlinks: true\n',
      // a folder whose name renders to the link's name
      '{{ "l" }}/passwd': 'owned\n',
    });
    fs.symlinkSync('other', path.join(tpl, 'l'));
    commitAll(tpl, 'v1');
    sh(tpl, 'tag', 'v1');
    const svc = dir('svc');
    fs.mkdirSync(svc);
    // the service's own link to somewhere outside it
    fs.symlinkSync(root, path.join(svc, 'other'));
    await expect(copyTemplate({ src: tpl, dst: svc })).rejects.toMatchObject({
      code: 'UNSAFE',
      message: expect.stringContaining('through the symlink l'),
    });
    expect(exists(root, 'passwd')).toBe(false);
  });

  it('updates a preserved symlink’s target and keeps the service’s own retargeting', async () => {
    const tpl = dir('tpl');
    writeFiles(tpl, {
      'copier.yml': '_preserve_symlinks: true\n',
      'a.txt': 'a\n',
      'b.txt': 'b\n',
    });
    fs.symlinkSync('a.txt', path.join(tpl, 'current'));
    fs.symlinkSync('a.txt', path.join(tpl, 'mine'));
    commitAll(tpl, 'v1');
    sh(tpl, 'tag', 'v1');
    const svc = dir('svc');
    await copyTemplate({ src: tpl, dst: svc });
    fs.rmSync(path.join(svc, 'mine'));
    fs.symlinkSync('b.txt', path.join(svc, 'mine'));
    commitAll(svc, 'service retargets mine');
    fs.rmSync(path.join(tpl, 'current'));
    fs.symlinkSync('b.txt', path.join(tpl, 'current'));
    commitAll(tpl, 'v2');
    sh(tpl, 'tag', 'v2');
    const report = await updateInstance({ dst: svc });
    expect(report.changes).toEqual([{ path: 'current', status: 'modified' }]);
    expect(fs.readlinkSync(path.join(svc, 'current'))).toBe('b.txt');
    expect(fs.readlinkSync(path.join(svc, 'mine'))).toBe('b.txt');
  });
});

describe('tasks, trust and recopy', () => {
  const withTasks = {
    'copier.yml':
      'name: {type: str, default: svc}\n_tasks: ["touch task-ran"]\n',
    'n.txt.jinja': '{{ name }}\n',
  };

  it('refuses, as copier, a template with tasks without trust when asked to (the CLI); skips them otherwise (the portal)', async () => {
    const tpl = templateRepo(dir('tpl'), [{ tag: 'v1', files: withTasks }]);
    const refused = dir('out');
    await expect(
      copyTemplate({
        src: tpl,
        dst: refused,
        defaults: true,
        requireTrust: true,
      }),
    ).rejects.toMatchObject({
      code: 'UNSAFE',
      message: expect.stringContaining('--skip-tasks'),
    });
    expect(exists(refused, '')).toBe(false); // nothing half-made is left

    const skipped = await copyTemplate({
      src: tpl,
      dst: dir('out'),
      defaults: true,
      requireTrust: true,
      skipTasks: true,
    });
    expect(skipped.tasks).toEqual({ ran: 0, skipped: 0 });
    const portal = await copyTemplate({
      src: tpl,
      dst: dir('out'),
      defaults: true,
    });
    expect(portal.tasks).toEqual({ ran: 0, skipped: 1 });
    const trusted = dir('out');
    await copyTemplate({ src: tpl, dst: trusted, defaults: true, trust: true });
    expect(exists(trusted, 'task-ran')).toBe(true);
  });

  it('copy --pretend lists what it would write and writes nothing', async () => {
    const tpl = templateRepo(dir('tpl'), [
      { tag: 'v1', files: { 'a.txt': 'a\n', 'empty/{{ "" }}': 'x' } },
    ]);
    const out = dir('out');
    const result = await copyTemplate({ src: tpl, dst: out, dryRun: true });
    expect(result.written.sort()).toEqual(['.copier-answers.yml', 'a.txt']);
    expect(result.folders).toEqual(['empty']);
    expect(exists(out, '')).toBe(false);
  });

  it('removes a destination it created when the copy fails, unless told to keep it', async () => {
    const tpl = templateRepo(dir('tpl'), [
      {
        tag: 'v1',
        files: { 'copier.yml': '_tasks: ["exit 3"]\n', 'a.txt': 'a\n' },
      },
    ]);
    const cleaned = dir('out');
    await expect(
      copyTemplate({ src: tpl, dst: cleaned, trust: true }),
    ).rejects.toThrow(/exit code 3/);
    expect(exists(cleaned, '')).toBe(false);
    const keptDir = dir('out');
    await expect(
      copyTemplate({
        src: tpl,
        dst: keptDir,
        trust: true,
        cleanupOnError: false,
      }),
    ).rejects.toThrow();
    expect(read(keptDir, 'a.txt')).toBe('a\n');
  });

  it('recopy renders the newest version again with the recorded answers, discarding the service’s edits', async () => {
    const { tpl, svc } = await instance(
      [
        {
          tag: 'v1',
          files: {
            'copier.yml':
              'name: {type: str}\nremoved_later: {type: str, default: x}\n',
            'n.txt.jinja': '{{ name }} v1\n',
          },
        },
      ],
      { data: { name: 'billing' } },
    );
    writeFiles(svc, {
      'n.txt': 'edited by the service\n',
      'own.txt': 'mine\n',
    });
    commitAll(svc, 'edits');
    release(tpl, 'v2', {
      'copier.yml': 'name: {type: str}\n',
      'n.txt.jinja': '{{ name }} v2\n',
    });
    const result = await recopyInstance({ dst: svc });
    expect(result.version).toBe('v2');
    expect(read(svc, 'n.txt')).toBe('billing v2\n');
    expect(read(svc, 'own.txt')).toBe('mine\n');
    expect(answers(svc)).toEqual({
      _commit: 'v2',
      _src_path: tpl,
      name: 'billing',
    });

    commitAll(svc, 'recopied');
    await recopyInstance({
      dst: svc,
      vcsRef: ':current:',
      data: { name: 'payments' },
    });
    expect(read(svc, 'n.txt')).toBe('payments v2\n');
  });
});
