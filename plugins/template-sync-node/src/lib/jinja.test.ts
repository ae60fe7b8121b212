import nunjucks from 'nunjucks';
import { Jinja, toNiceYaml } from './jinja';

describe('Jinja', () => {
  const jinja = new Jinja();
  const r = (src: string, ctx: Record<string, unknown> = {}) =>
    jinja.render(src, ctx);

  it.each([
    [
      '{{ d | to_nice_yaml }}',
      { d: { b: [1, 2], a: { z: 1, x: 2 } } },
      'a:\n    x: 2\n    z: 1\nb:\n- 1\n- 2\n',
    ],
    ['{{ d | to_json }}', { d: { a: 1 } }, '{"a":1}'],
    [
      '{{ d | to_nice_json }}',
      { d: { b: 1, a: 2 } },
      '{\n    "a": 2,\n    "b": 1\n}',
    ],
    ['{{ d | tojson }}', { d: ['x'] }, '["x"]'],
    ['{{ "a: 1" | from_yaml | to_json }}', {}, '{"a":1}'],
    ['{{ "hi" | b64encode }}', {}, 'aGk='],
    ["{{ 'my-app_v2' | regex_replace('[-_]', '.') }}", {}, 'my.app.v2'],
    [
      "{{ 'abc-123' | regex_replace('(\\\\w+)-(\\\\d+)', '\\\\2-\\\\1') }}",
      {},
      '123-abc',
    ],
    ['{{ "it\'s" | quote }}', {}, `'it'"'"'s'`],
    [
      '{{ items | map(attribute="name") | join(",") }}',
      { items: [{ name: 'a' }, { name: 'b' }] },
      'a,b',
    ],
    ['{{ items | map("upper") | join(",") }}', { items: ['a', 'b'] }, 'A,B'],
    ['{{ "yes" | bool }}', {}, 'True'],
    ['{{ "a/b/c.txt" | basename }}', {}, 'c.txt'],
    [
      '{% for k, v in d | dictsort %}{{ k }}={{ v }};{% endfor %}',
      { d: { b: 2, a: 1 } },
      'a=1;b=2;',
    ],
    ['{{ x | ternary("on", "off") }}', { x: false }, 'off'],
  ])('renders %s', (src, ctx, expected) => {
    expect(r(src, ctx)).toBe(expected);
  });

  it.each([
    ["{{ 'My-App'.lower() }}", 'my-app'],
    ["{{ 'a-b-c'.replace('-', '_') }}", 'a_b_c'],
    ["{{ ' x '.strip() }}|", 'x|'],
    ["{{ 'a b  c'.split() | length }}", '3'],
    ["{{ 'service'.startswith('serv') }}", 'True'],
    ["{{ 'hello world'.title() }}", 'Hello World'],
    ["{{ '-'.join(['a', 'b']) }}", 'a-b'],
    ["{{ '{}-{}'.format('a', 'b') }}", 'a-b'],
    ['{% for k, v in d.items() %}{{ k }}{{ v }}{% endfor %}', 'a1'],
    ["{{ d.get('missing', 'fallback') }}", 'fallback'],
  ])('supports the Python method in %s', (src, expected) => {
    expect(r(src, { d: { a: 1 } })).toBe(expected);
  });

  it('leaves JavaScript semantics alone for other nunjucks users in the process', () => {
    expect(nunjucks.renderString("{{ 'a-b-c'.replace('-', '_') }}", {})).toBe(
      'a_b-c',
    );
  });

  it('honours copier’s _envops: custom delimiters, block trimming and trailing newlines', () => {
    const custom = new Jinja({
      envops: {
        block_start_string: '[%',
        block_end_string: '%]',
        variable_start_string: '[[',
        variable_end_string: ']]',
        trim_blocks: true,
        keep_trailing_newline: false,
      },
    });
    expect(
      custom.render('[% if on %]\n[[ name ]] {{ untouched }}\n[% endif %]\n', {
        on: true,
        name: 'x',
      }),
    ).toBe('x {{ untouched }}');
  });

  it('keeps the trailing newline by default, as copier does', () => {
    expect(r('{{ a }}\n', { a: 1 })).toBe('1\n');
  });

  it('in strict mode refuses to print an undefined variable, naming the line and the expression', () => {
    const strict = new Jinja({ strictUndefined: true });
    expect(() =>
      strict.render(
        'a {{ name }}\nb {{ nmae }}\n',
        { name: 'x' },
        'README.md.jinja',
      ),
    ).toThrow(
      'README.md.jinja: line 2: {{ nmae }} is undefined (no answer, variable or attribute of that name)',
    );
    // Tests and defaults of undefined names still work; and the default mode prints nothing, as copier does.
    expect(
      strict.render(
        "{% if nmae is defined %}x{% endif %}{{ nmae | default('d') }}",
        {},
        't',
      ),
    ).toBe('d');
    expect(new Jinja().render('[{{ nmae }}]', {}, 't')).toBe('[]');
  });

  it('names the file in template errors', () => {
    expect(() => jinja.render('{% if %}', {}, 'src/app.py.jinja')).toThrow(
      /^src\/app\.py\.jinja: /,
    );
  });
});

describe('toNiceYaml', () => {
  it('writes answers files the way copier’s to_nice_yaml does: sorted keys, 4-space indent, plain sequences', () => {
    expect(
      toNiceYaml({
        _src_path: 'gh:acme/t',
        _commit: 'v1.0.0',
        clusters: ['dev', 'prod'],
        limits: { cpu: '500m' },
      }),
    ).toBe(
      '_commit: v1.0.0\n_src_path: gh:acme/t\nclusters:\n- dev\n- prod\nlimits:\n    cpu: 500m\n',
    );
  });
});

describe('toNiceYaml output', () => {
  it('round-trips nested values and quotes strings YAML would misread', () => {
    const value = {
      list: [{ b: 1, a: [1, 2] }, 'x'],
      empty: [],
      none: null,
      answer: 'yes',
      num: '010',
      nested: { deep: { k: 'v' } },
    };
    const text = toNiceYaml(value);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    expect(require('yaml').parse(text)).toEqual(value);
    expect(text).toMatch(/^answer: ["']yes["']$/m);
    expect(text).toMatch(/^num: ["']010["']$/m);
    expect(require('yaml').parse(text, { version: '1.1' })).toEqual(value);
  });
});
