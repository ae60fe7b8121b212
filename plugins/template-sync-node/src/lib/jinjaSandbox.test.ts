import fs from 'node:fs';
import path from 'node:path';
import { TemplateError } from '../errors';
import { tempDir } from '../__testUtils__/repos';
import {
  ESCAPE_CODE,
  ESCAPE_PAYLOADS,
  EXECUTED_MARK,
} from '../testing/escapePayloads';
import { Jinja } from './jinja';

const CANARY = 'paved-canary-3f1d6c2e';

describe('the template sandbox', () => {
  const root = tempDir();
  const templateDir = path.join(root, 'template');
  fs.mkdirSync(path.join(templateDir, 'partials'), { recursive: true });
  fs.writeFileSync(path.join(root, 'outside.txt'), CANARY);
  fs.writeFileSync(
    path.join(templateDir, 'partials', 'ok.jinja'),
    'hi {{ name }}',
  );
  fs.symlinkSync(
    path.join(root, 'outside.txt'),
    path.join(templateDir, 'partials', 'leak.jinja'),
  );
  fs.symlinkSync(
    path.join(templateDir, 'partials', 'ok.jinja'),
    path.join(templateDir, 'partials', 'alias.jinja'),
  );
  const jinja = new Jinja({ root: templateDir });
  const context = {
    key: 'constructor',
    data: { a: 1 },
    name: 'svc',
    _copier_conf: { sep: '/' },
    _copier_answers: { name: 'svc' },
  };

  beforeAll(() => {
    process.env.PAVED_CANARY = CANARY;
  });
  afterAll(() => {
    delete process.env.PAVED_CANARY;
  });
  const executed = () => ({
    flag: (globalThis as any).__pavedPwned,
    polluted: ({} as any).__pavedPwned ?? ({} as any).polluted,
  });

  it('the payload code, run, shows the mark and the canary (so the checks above can fail)', () => {
    // eslint-disable-next-line no-new-func
    const ran = new Function(ESCAPE_CODE)();
    delete (globalThis as any).__pavedPwned;
    expect(ran).toBe(`${EXECUTED_MARK}${CANARY}`);
  });

  it.each(ESCAPE_PAYLOADS.map(x => [`${x.family}: ${x.name}`, x.template]))(
    'keeps %s inert or refuses it',
    (_name, template) => {
      let output = '';
      let error: unknown;
      try {
        output = jinja.render(template, context, 'payload');
      } catch (e) {
        error = e;
      }
      // Refused: always the engine's own error (adapters turn it into a 400), never a JavaScript one.
      expect(error === undefined || error instanceof TemplateError).toBe(true);
      const said = `${output} ${(error as Error)?.message ?? ''}`;
      expect(said).not.toContain(CANARY);
      expect(said).not.toContain(EXECUTED_MARK);
      expect(output).not.toMatch(/function|native code|\[object/);
      expect(executed()).toEqual({ flag: undefined, polluted: undefined });
    },
  );

  it.each([
    ['range.constructor', `{{ range.constructor }}`],
    ["''.constructor", `{{ ''.constructor }}`],
    ['computed constructor', `{{ range['constr' ~ 'uctor'] }}`],
    ['__proto__', `{{ ''.__proto__ }}`],
    [
      'calling a non-template function',
      `{{ [range] | map(attribute='constructor') | first }}`,
    ],
  ])('refuses %s with a clear error', (_name, template) => {
    expect(() => jinja.render(template, context, 'README.md')).toThrow(
      expect.objectContaining({
        code: 'UNSAFE',
        message: expect.stringMatching(
          /^README\.md: .*(JavaScript internals|attributes of a function)/,
        ),
      }),
    );
  });

  it('refuses a symbol that would land in generated code', () => {
    expect(() =>
      jinja.render('{% set a";x;" = 1 %}', context, 'main.ts'),
    ).toThrow(
      expect.objectContaining({
        code: 'UNSAFE',
        message: expect.stringContaining('not a valid name'),
      }),
    );
  });

  it('refuses includes that leave the template, through a path or a symlink', () => {
    expect(() =>
      jinja.render(`{% include '../outside.txt' %}`, context),
    ).toThrow(
      expect.objectContaining({
        code: 'UNSAFE',
        message: expect.stringContaining('outside the template'),
      }),
    );
    expect(() =>
      jinja.render(`{% include 'partials/leak.jinja' %}`, context),
    ).toThrow(
      expect.objectContaining({
        code: 'UNSAFE',
        message: expect.stringContaining('resolves outside the template'),
      }),
    );
  });

  it('still renders what templates legitimately do', () => {
    expect(jinja.render(`{% include 'partials/ok.jinja' %}`, context)).toBe(
      'hi svc',
    );
    expect(jinja.render(`{% include 'partials/alias.jinja' %}`, context)).toBe(
      'hi svc',
    );
    expect(
      jinja.render(
        `{% macro m(x) %}<{{ x }}{{ caller() }}>{% endmacro %}{% call m('a') %}b{% endcall %}` +
          `{% set c = cycler('x', 'y') %}{{ c.next() }}{{ c.next() }}{% set j = joiner('+') %}{{ j() }}1{{ j() }}2` +
          `{% for i in range(3) %}{{ loop.index }}{% endfor %}{{ data.a }}{{ data['a'] }}{{ name[0] }}{{ name.length }}` +
          `{% set l = [] %}{% set _ = l.append(1) %}{{ l | length }}{{ {'k': 1}.get('constructor', 'none') }}`,
        context,
      ),
    ).toBe('<ab>xy1+212311s31none');
  });

  it('caps range like Jinja does', () => {
    expect(jinja.render('{{ range(100000) | length }}', {})).toBe('100000');
    expect(() => jinja.render('{{ range(100001) | length }}', {})).toThrow(
      expect.objectContaining({ code: 'UNSAFE' }),
    );
  });

  it('leaves other nunjucks users in the process alone', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nunjucks = require('nunjucks');
    expect(nunjucks.renderString("{{ 'a'.toUpperCase() }}", {})).toBe('A');
    expect(() => jinja.render("{{ 'a'.toUpperCase() }}", {})).toThrow(
      TemplateError,
    );
  });
});
