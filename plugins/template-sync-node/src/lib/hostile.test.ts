import fs from 'node:fs';
import path from 'node:path';
import { TemplateError } from '../errors';
import { sh, tempDir, templateRepo } from '../__testUtils__/repos';
import { ESCAPE_CODE } from '../testing/escapePayloads';
import { copyTemplate } from './copy';

const CANARY = 'paved-canary-hostile-91ab';
const CALL = `{{ range.constructor(${JSON.stringify(ESCAPE_CODE)})() }}`;

/** A template repository at v1.0.0 with `files`, plus symlinks (name → target) committed as symlinks. */
function hostileRepo(
  root: string,
  name: string,
  files: Record<string, string>,
  links: Record<string, string> = {},
): string {
  const dir = templateRepo(path.join(root, name), [{ tag: '', files }]);
  for (const [link, target] of Object.entries(links)) {
    fs.mkdirSync(path.dirname(path.join(dir, link)), { recursive: true });
    fs.symlinkSync(target, path.join(dir, link));
  }
  sh(dir, 'add', '-A');
  sh(dir, 'commit', '-q', '--allow-empty', '-m', 'v1');
  sh(dir, 'tag', 'v1.0.0');
  return dir;
}

describe('copyTemplate of a hostile template', () => {
  const root = tempDir();
  const secret = path.join(root, 'backend-secret.txt');
  fs.writeFileSync(secret, CANARY);
  beforeAll(() => {
    process.env.PAVED_CANARY = CANARY;
  });
  afterAll(() => {
    delete process.env.PAVED_CANARY;
  });

  const cases: Array<
    [string, Record<string, string>, Record<string, string>?]
  > = [
    [
      'a question default',
      {
        'copier.yml': `name:\n  default: "${CALL.replace(/"/g, '\\"')}"\n`,
        'a.txt.jinja': '{{ name }}',
      },
    ],
    [
      'a validator',
      {
        'copier.yml': `name:\n  default: x\n  validator: "${CALL.replace(
          /"/g,
          '\\"',
        )}"\n`,
        'a.txt': 'a',
      },
    ],
    [
      'a when',
      {
        'copier.yml': `name:\n  default: x\n  when: "${CALL.replace(
          /"/g,
          '\\"',
        )}"\n`,
        'a.txt': 'a',
      },
    ],
    [
      'choices',
      {
        'copier.yml': `name:\n  default: x\n  choices: "${CALL.replace(
          /"/g,
          '\\"',
        )}"\n`,
        'a.txt': 'a',
      },
    ],
    [
      '_subdirectory',
      { 'copier.yml': `_subdirectory: "${CALL.replace(/"/g, '\\"')}"\n` },
    ],
    [
      'a file name',
      { 'copier.yml': 'name: x\n', [`${CALL.replace(/\//g, '')}.txt`]: 'a' },
    ],
    ['a file', { 'copier.yml': 'name: x\n', 'a.txt.jinja': CALL }],
    [
      'an included file',
      {
        'copier.yml': '_exclude: [partials]\nname: x\n',
        'partials/p.jinja': CALL,
        'a.txt.jinja': "{% include 'partials/p.jinja' %}",
      },
    ],
    [
      'an include through an excluded symlink',
      {
        'copier.yml': '_exclude: [partials]\nname: x\n',
        'a.txt.jinja': "{% include 'partials/leak' %}",
      },
      { 'partials/leak': secret },
    ],
    [
      'a symlinked _subdirectory',
      { 'copier.yml': '_subdirectory: src\nname: x\n' },
      { src: root },
    ],
    ['a symlinked copier.yml', {}, { 'copier.yml': secret }],
    ['a symlinked file', { 'copier.yml': 'name: x\n' }, { 'leak.txt': secret }],
  ];

  // Every row has its links (jest would take a missing third argument for `done`).
  it.each(cases.map(([n, f, l]) => [n, f, l ?? {}] as const))(
    'refuses code in %s and writes nothing',
    async (name, files, links) => {
      const src = hostileRepo(root, name.replace(/\W+/g, '-'), files, links);
      const dst = path.join(root, `out-${name.replace(/\W+/g, '-')}`);
      const error = await copyTemplate({ src, dst, defaults: true }).catch(
        e => e,
      );
      expect(error).toBeInstanceOf(TemplateError);
      expect(['UNSAFE', 'INVALID_INPUT']).toContain(error.code);
      expect(error.message).not.toContain(CANARY);
      expect((globalThis as any).__pavedPwned).toBeUndefined();
      // Nothing but an error: no file of the instance was written.
      expect(
        fs.existsSync(dst) ? fs.readdirSync(dst, { recursive: true }) : [],
      ).toEqual([]);
    },
  );
});
