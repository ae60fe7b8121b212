import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { copyTemplate } from './copy';
import { TemplateError } from '../errors';
import {
  read,
  exists,
  tempDir,
  templateRepo,
  release,
  sh,
} from '../__testUtils__/repos';

const COPIER_YML = `
_exclude:
  - copier.yml
  - "*.bak"
_skip_if_exists:
  - config/local.yml
project_name:
  type: str
  help: Name of the service
  validator: "{% if not (project_name | regex_search('^[a-z][a-z0-9-]*$')) %}must be lower-case DNS-safe{% endif %}"
tier:
  type: str
  choices: [bronze, silver, gold]
  default: silver
replicas:
  type: int
  default: "{{ 3 if tier == 'gold' else 1 }}"
use_db:
  type: bool
  default: false
db_name:
  type: str
  default: "{{ project_name | replace('-', '_') }}"
  when: "{{ use_db }}"
api_token:
  type: str
  secret: true
  default: changeme
`;

describe('copyTemplate', () => {
  const root = tempDir();
  const repo = templateRepo(path.join(root, 'template'), [
    {
      tag: 'v1.0.0',
      files: {
        'copier.yml': COPIER_YML,
        'README.md.jinja':
          '# {{ project_name }}\n\nTier {{ tier }}, {{ replicas }} replica(s).\n',
        '{{ project_name }}/main.py.jinja':
          'NAME = "{{ project_name.upper() }}"\n',
        '{% if use_db %}db{% endif %}/schema.sql.jinja':
          'create database {{ db_name }};\n',
        'static.txt': 'copied {{ verbatim }}\n',
        'notes.bak': 'excluded\n',
        'config/local.yml': 'local: true\n',
        'logo.bin': Buffer.from([0, 1, 2, 3, 255]),
      },
    },
  ]);

  it('renders contents, file and folder names, copies other files verbatim and records the answers', async () => {
    const dst = path.join(root, 'svc-a');
    const result = await copyTemplate({
      src: repo,
      dst,
      data: { project_name: 'payments-api', tier: 'gold' },
      defaults: true,
    });

    expect(result.version).toBe('v1.0.0');
    expect(read(dst, 'README.md')).toBe(
      '# payments-api\n\nTier gold, 3 replica(s).\n',
    );
    expect(read(dst, 'payments-api/main.py')).toBe('NAME = "PAYMENTS-API"\n');
    expect(read(dst, 'static.txt')).toBe('copied {{ verbatim }}\n');
    expect(fs.readFileSync(path.join(dst, 'logo.bin'))).toEqual(
      Buffer.from([0, 1, 2, 3, 255]),
    );
    expect(exists(dst, 'db')).toBe(false); // folder name rendered empty: not created
    expect(exists(dst, 'notes.bak')).toBe(false);
    expect(exists(dst, 'copier.yml')).toBe(false);

    const answers = read(dst, '.copier-answers.yml');
    expect(
      answers.startsWith(
        '# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n',
      ),
    ).toBe(true);
    // Secret answers and answers to questions that were not asked (when: false) are not recorded.
    expect(parseYaml(answers)).toEqual({
      _commit: 'v1.0.0',
      _src_path: repo,
      project_name: 'payments-api',
      replicas: 3,
      tier: 'gold',
      use_db: false,
    });
  });

  it('asks conditional questions when their condition holds and uses Python string methods in defaults', async () => {
    const dst = path.join(root, 'svc-b');
    await copyTemplate({
      src: repo,
      dst,
      data: { project_name: 'orders-api', use_db: 'yes' },
      defaults: true,
    });
    expect(read(dst, 'db/schema.sql')).toBe('create database orders_api;\n');
    expect(parseYaml(read(dst, '.copier-answers.yml')).db_name).toBe(
      'orders_api',
    );
  });

  it('rejects an answer that fails the validator, with the validator’s message, and writes nothing', async () => {
    const dst = path.join(root, 'svc-bad');
    await expect(
      copyTemplate({
        src: repo,
        dst,
        data: { project_name: 'Bad_Name' },
        defaults: true,
      }),
    ).rejects.toThrow(
      'answer "project_name" is not valid: must be lower-case DNS-safe',
    );
    expect(exists(dst, 'README.md')).toBe(false);
  });

  it.each([
    [
      { project_name: 'x', tier: 'platinum' },
      'answer "tier" must be one of "bronze", "silver", "gold", got "platinum"',
    ],
    [
      { project_name: 'x', replicas: 'many' },
      'answer "replicas" must be a whole number, got "many"',
    ],
    [
      { project_name: 'x', colour: 'red' },
      'The template asks no question named "colour"',
    ],
  ])('rejects bad data %j', async (data, message) => {
    await expect(
      copyTemplate({
        src: repo,
        dst: path.join(root, 'svc-bad2'),
        data,
        defaults: true,
      }),
    ).rejects.toThrow(message);
  });

  it('names unanswered questions without --defaults', async () => {
    await expect(
      copyTemplate({
        src: repo,
        dst: path.join(root, 'svc-c'),
        data: { project_name: 'x' },
      }),
    ).rejects.toThrow(
      'No answer for "tier", "replicas", "use_db", "api_token"',
    );
  });

  it('keeps _skip_if_exists files and refuses to overwrite other differing files unless asked', async () => {
    const dst = path.join(root, 'svc-d');
    fs.mkdirSync(path.join(dst, 'config'), { recursive: true });
    fs.writeFileSync(path.join(dst, 'config/local.yml'), 'mine\n');
    fs.writeFileSync(path.join(dst, 'README.md'), 'my readme\n');

    const refused = copyTemplate({
      src: repo,
      dst,
      data: { project_name: 'svc' },
      defaults: true,
    });
    await expect(refused).rejects.toThrow('1 file(s) in');
    await expect(refused).rejects.toThrow(
      '(README.md); pass --overwrite to replace them',
    );
    expect(exists(dst, 'static.txt')).toBe(false);

    const result = await copyTemplate({
      src: repo,
      dst,
      data: { project_name: 'svc' },
      defaults: true,
      overwrite: true,
    });
    expect(read(dst, 'config/local.yml')).toBe('mine\n');
    expect(read(dst, 'README.md')).toContain('# svc');
    expect(result.skipped).toEqual(['config/local.yml']);
  });

  it('uses the template’s own answers-file template, as copier templates ship it', async () => {
    const tpl = templateRepo(path.join(root, 'tpl-answers'), [
      {
        tag: 'v0.1.0',
        files: {
          'copier.yml':
            '_answers_file: .paved/answers.yml\nname: {type: str, default: demo}\n',
          '{{ _copier_conf.answers_file }}.jinja':
            '# custom header\n{{ _copier_answers|to_nice_yaml -}}\n',
          'hello.txt.jinja': 'hello {{ name }}\n',
        },
      },
    ]);
    const dst = path.join(root, 'svc-e');
    const result = await copyTemplate({ src: tpl, dst, defaults: true });
    expect(result.answersFile).toBe('.paved/answers.yml');
    expect(read(dst, '.paved/answers.yml')).toBe(
      `# custom header\n_commit: v0.1.0\n_src_path: ${tpl}\nname: demo\n`,
    );
  });

  it('refuses a rendered path that would leave the instance', async () => {
    const tpl = templateRepo(path.join(root, 'tpl-evil'), [
      {
        tag: 'v1.0.0',
        files: {
          'copier.yml': 'where: {type: str}\n',
          '{{ where }}/x.txt': 'x',
        },
      },
    ]);
    const error = await copyTemplate({
      src: tpl,
      dst: path.join(root, 'svc-f'),
      data: { where: '../../outside' },
    }).catch(e => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.code).toBe('UNSAFE');
    expect(exists(root, 'outside')).toBe(false);
  });

  it('picks the newest semver tag, ignores pre-releases unless asked, and records other refs like git describe', async () => {
    const tpl = templateRepo(path.join(root, 'tpl-versions'), [
      { tag: 'v1.2.0', files: { 'copier.yml': '{}\n', 'v.txt': '1.2.0' } },
      { tag: 'v1.10.0', files: { 'v.txt': '1.10.0' } },
      { tag: 'not-a-version', files: { 'v.txt': 'junk' } },
      { tag: 'v2.0.0-rc.1', files: { 'v.txt': '2.0.0-rc.1' } },
      { tag: '', files: { 'v.txt': 'main' } },
    ]);
    expect(
      (await copyTemplate({ src: tpl, dst: path.join(root, 'v-latest') }))
        .version,
    ).toBe('v1.10.0');
    expect(
      (
        await copyTemplate({
          src: tpl,
          dst: path.join(root, 'v-pre'),
          prereleases: true,
        })
      ).version,
    ).toBe('v2.0.0-rc.1');
    const head = await copyTemplate({
      src: tpl,
      dst: path.join(root, 'v-head'),
      vcsRef: 'main',
    });
    expect(head.version).toMatch(/^v2\.0\.0-rc\.1-1-g[0-9a-f]{7,}$/);
    expect(read(path.join(root, 'v-head'), 'v.txt')).toBe('main');
  });

  it('renders a template kept in a folder of a larger repository (`repo//folder`) and honours _subdirectory', async () => {
    const mono = templateRepo(path.join(root, 'templates-mono'), [
      {
        tag: 'v3.0.0',
        files: {
          'python/copier.yml': '_subdirectory: template\nname: {default: py}\n',
          'python/template/{{ name }}.txt.jinja': 'I am {{ name }}\n',
          'python/README.md': 'not part of the output\n',
        },
      },
    ]);
    const dst = path.join(root, 'svc-g');
    await copyTemplate({ src: `${mono}//python`, dst, defaults: true });
    expect(read(dst, 'py.txt')).toBe('I am py\n');
    expect(exists(dst, 'README.md')).toBe(false);
    expect(parseYaml(read(dst, '.copier-answers.yml'))._src_path).toBe(
      `${mono}//python`,
    );
  });

  it('does not run tasks unless trusted, and says so', async () => {
    const tpl = templateRepo(path.join(root, 'tpl-tasks'), [
      {
        tag: 'v1.0.0',
        files: {
          'copier.yml': '_tasks:\n  - "touch task-ran"\n',
          'a.txt': 'a',
        },
      },
    ]);
    const untrusted = await copyTemplate({
      src: tpl,
      dst: path.join(root, 'svc-h'),
    });
    expect(untrusted.tasks).toEqual({ ran: 0, skipped: 1 });
    expect(untrusted.warnings).toContain(
      '1 template task(s) not run: pass --trust to run them',
    );
    expect(exists(path.join(root, 'svc-h'), 'task-ran')).toBe(false);

    const trusted = await copyTemplate({
      src: tpl,
      dst: path.join(root, 'svc-i'),
      trust: true,
    });
    expect(trusted.tasks).toEqual({ ran: 1, skipped: 0 });
    expect(exists(path.join(root, 'svc-i'), 'task-ran')).toBe(true);
  });

  it('reports a missing template source as NOT_FOUND', async () => {
    const error = await copyTemplate({
      src: path.join(root, 'nope'),
      dst: path.join(root, 'svc-j'),
    }).catch(e => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect(error.message).toMatch(/does not exist: there is no folder \//);
  });

  it("generates one file or folder per item with copier's yield tag, the item in scope below it", async () => {
    const yieldRepo = templateRepo(path.join(root, 'yield-template'), [
      {
        tag: 'v1.0.0',
        files: {
          // copier's documented example (Loop over lists to generate files and directories).
          'copier.yml':
            'commands:\n  type: yaml\n  default:\n    - { name: init, subcommands: [config, database] }\n    - { name: run, subcommands: [server] }\nclusters:\n  type: yaml\n  default: [dev-eu, prod-eu]\n',
          'commands/{% yield cmd from commands %}{{ cmd.name }}{% endyield %}/__init__.py.jinja':
            '# {{ cmd.name }}\n',
          'commands/{% yield cmd from commands %}{{ cmd.name }}{% endyield %}/{% yield subcmd from cmd.subcommands %}{{ subcmd }}{% endyield %}.py.jinja':
            'print("This is the `{{ subcmd }}` subcommand in the `{{ cmd.name }}` command")\n',
          'chart/values-{% yield cluster from clusters %}{{ cluster }}{% endyield %}.yaml.jinja':
            'cluster: {{ cluster }}\n',
        },
      },
    ]);
    const dst = path.join(root, 'yielded');
    await copyTemplate({ src: yieldRepo, dst, defaults: true });
    expect(read(dst, 'commands/init/config.py')).toBe(
      'print("This is the `config` subcommand in the `init` command")\n',
    );
    expect(read(dst, 'commands/init/database.py')).toContain('`database`');
    expect(read(dst, 'commands/run/server.py')).toContain('`run` command');
    expect(read(dst, 'commands/run/__init__.py')).toBe('# run\n');
    expect(exists(dst, 'commands/run/config.py')).toBe(false);
    expect(read(dst, 'chart/values-dev-eu.yaml')).toBe('cluster: dev-eu\n');
    expect(read(dst, 'chart/values-prod-eu.yaml')).toBe('cluster: prod-eu\n');

    // Not a list: refused with the name, nothing written.
    const bad = templateRepo(path.join(root, 'yield-bad'), [
      {
        tag: 'v1.0.0',
        files: {
          'copier.yml': 'one:\n  type: str\n  default: x\n',
          '{% yield a from one %}{{ a }}{% endyield %}.txt': 'x\n',
        },
      },
    ]);
    await expect(
      copyTemplate({
        src: bad,
        dst: path.join(root, 'yield-bad-out'),
        defaults: true,
      }),
    ).rejects.toThrow(/yield a from one needs a list, not "x"/);
    expect(exists(root, 'yield-bad-out/x.txt')).toBe(false);
  });

  it("renders a local template's uncommitted changes with vcsRef HEAD, as copier does, and leaves its repository as it was", async () => {
    const dir = templateRepo(path.join(root, 'dirty-template'), [
      {
        tag: 'v1.0.0',
        files: {
          'copier.yml': 'name:\n  type: str\n  default: web\n',
          'README.md.jinja': 'v1 {{ name }}\n',
          '.gitignore': 'local.txt\n',
        },
      },
    ]);
    fs.writeFileSync(path.join(dir, 'README.md.jinja'), 'edited {{ name }}\n');
    fs.writeFileSync(path.join(dir, 'NEW.md.jinja'), 'new {{ name }}\n');
    fs.writeFileSync(path.join(dir, 'local.txt'), 'ignored\n');
    const before = {
      status: sh(dir, 'status', '--porcelain'),
      head: sh(dir, 'rev-parse', 'HEAD'),
    };

    const dirty = path.join(root, 'dirty-out');
    const result = await copyTemplate({
      src: dir,
      dst: dirty,
      vcsRef: 'HEAD',
      defaults: true,
    });
    expect(read(dirty, 'README.md')).toBe('edited web\n');
    expect(read(dirty, 'NEW.md')).toBe('new web\n');
    expect(exists(dirty, 'local.txt')).toBe(false);
    expect(result.version).toMatch(/^v1\.0\.0-1-g[0-9a-f]+$/);
    expect({
      status: sh(dir, 'status', '--porcelain'),
      head: sh(dir, 'rev-parse', 'HEAD'),
    }).toEqual(before);

    // Without vcsRef the newest tag is rendered, as committed.
    const clean = path.join(root, 'dirty-out-tag');
    await copyTemplate({ src: dir, dst: clean, defaults: true });
    expect(read(clean, 'README.md')).toBe('v1 web\n');
    expect(exists(clean, 'NEW.md')).toBe(false);
  });

  it('keeps the executable bit', async () => {
    release(repo, 'v1.0.1', { 'run.sh': '#!/bin/sh\necho hi\n' });
    sh(repo, 'update-index', '--chmod=+x', 'run.sh');
    sh(repo, 'commit', '-q', '-m', 'exec');
    sh(repo, 'tag', 'v1.0.2');
    const dst = path.join(root, 'svc-k');
    await copyTemplate({
      src: repo,
      dst,
      data: { project_name: 'k' },
      defaults: true,
    });
    expect(fs.statSync(path.join(dst, 'run.sh')).mode & 0o111).not.toBe(0);
  });

  it('renders a template without copier.yml, as copier does: no questions, default settings', async () => {
    const bare = templateRepo(path.join(root, 'no-config'), [
      {
        tag: 'v1.0.0',
        files: {
          'README.md.jinja': '# {{ name | default("service") }}\n',
          'static.txt': 'as is\n',
        },
      },
    ]);
    const dst = path.join(root, 'svc-no-config');
    const result = await copyTemplate({ src: bare, dst });
    expect(result.version).toBe('v1.0.0');
    expect(read(dst, 'README.md')).toBe('# service\n');
    expect(read(dst, 'static.txt')).toBe('as is\n');
  });
});
