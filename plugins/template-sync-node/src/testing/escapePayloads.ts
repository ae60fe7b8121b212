/**
 * Known ways out of a nunjucks/Jinja template into the JavaScript (or Python) that renders it, for tests: the engine's
 * own and the reliability suite's against the running backend. Each payload, if it ever executed, would set
 * `globalThis.__pavedPwned` and print {@link EXECUTED_MARK} followed by the value of `process.env.PAVED_CANARY`; a
 * safe renderer leaves the flag unset and never prints the mark or the canary (it renders the payload inertly or
 * refuses it). The mark is what shows execution in a render process, which has neither the caller's globals nor its
 * environment: only running JavaScript joins the two halves the payload spells it in.
 *
 * Families: constructor chains from every kind of value, computed keys, prototype access, context objects, filters
 * that look up attributes, names nunjucks pastes into generated code, macros and callers, Python-style SSTI, and
 * reads outside the template.
 */

/**
 * What a payload's output starts with if its JavaScript ran.
 *
 * @public
 */
export const EXECUTED_MARK = 'PAVED-EXECUTED-';

/**
 * The JavaScript each payload tries to run.
 *
 * @public
 */
export const ESCAPE_CODE =
  "globalThis.__pavedPwned=1;return 'PAVED-'+'EXECUTED-'+String(process.env.PAVED_CANARY)";

const JS = JSON.stringify(ESCAPE_CODE);

/**
 * One payload: a family, a name and the template text.
 *
 * @public
 */
export interface EscapePayload {
  family: string;
  name: string;
  template: string;
}

const p = (family: string, name: string, template: string): EscapePayload => ({
  family,
  name,
  template,
});

/** @public */
export const ESCAPE_PAYLOADS: EscapePayload[] = [
  // constructor chains from each kind of value
  p('constructor', 'range global', `{{ range.constructor(${JS})() }}`),
  p(
    'constructor',
    'string literal',
    `{{ ''.constructor.constructor(${JS})() }}`,
  ),
  p('constructor', 'list literal', `{{ [].constructor.constructor(${JS})() }}`),
  p('constructor', 'dict literal', `{{ {}.constructor.constructor(${JS})() }}`),
  p(
    'constructor',
    'number literal',
    `{{ (1).constructor.constructor(${JS})() }}`,
  ),
  p('constructor', 'cycler global', `{{ cycler.constructor(${JS})() }}`),
  p(
    'constructor',
    'cycler method',
    `{{ cycler(1, 2).next.constructor(${JS})() }}`,
  ),
  p('constructor', 'joiner global', `{{ joiner.constructor(${JS})() }}`),
  p('constructor', 'joiner result', `{{ joiner(',').constructor(${JS})() }}`),
  p('constructor', 'python str method', `{{ 'x'.lower.constructor(${JS})() }}`),
  p('constructor', 'python dict method', `{{ {}.items.constructor(${JS})() }}`),
  p(
    'constructor',
    'safe string',
    `{{ ('a' | safe).constructor.constructor(${JS})() }}`,
  ),
  p('constructor', 'bare name', `{{ constructor.constructor(${JS})() }}`),
  p(
    'constructor',
    'set then call',
    `{% set f = range.constructor %}{{ f(${JS})() }}`,
  ),
  // computed keys
  p('computed key', 'concatenated', `{{ range['constr' ~ 'uctor'](${JS})() }}`),
  p(
    'computed key',
    'from a variable',
    `{% set c = 'constructor' %}{{ range[c](${JS})() }}`,
  ),
  p(
    'computed key',
    'from a filter',
    `{{ range[['con', 'structor'] | join](${JS})() }}`,
  ),
  p('computed key', 'from an answer', `{{ range[key](${JS})() }}`),
  p(
    'computed key',
    'replace trick',
    `{{ range['cXnstructor'.replace('X', 'o')](${JS})() }}`,
  ),
  // prototypes
  p(
    'prototype',
    '__proto__ of string',
    `{{ ''.__proto__.constructor.constructor(${JS})() }}`,
  ),
  p(
    'prototype',
    '__proto__ by key',
    `{{ {}['__proto__']['constructor']['constructor'](${JS})() }}`,
  ),
  p('prototype', 'prototype of a function', `{{ range.prototype }}`),
  p('prototype', '__lookupGetter__', `{{ __lookupGetter__('x') }}`),
  p('prototype', 'valueOf of the context', `{{ valueOf.call }}`),
  p('prototype', 'toString bind', `{{ toString.bind(range)() }}`),
  p(
    'prototype',
    '__defineGetter__ on a dict',
    `{{ {}.__defineGetter__('a', range) }}`,
  ),
  p('prototype', 'hasOwnProperty', `{{ hasOwnProperty('x') }}`),
  p(
    'prototype',
    'pollution via combine',
    `{{ ('{"__proto__": {"__pavedPwned": 1}}' | from_json | combine({})).__pavedPwned }}{{ {}.__pavedPwned }}`,
  ),
  p(
    'prototype',
    'pollution via from_yaml',
    `{% set d = '__proto__: {polluted: 1}' | from_yaml %}{{ d.polluted }}{{ {}.polluted }}`,
  ),
  // context objects
  p(
    'context object',
    '_copier_conf',
    `{{ _copier_conf.constructor.constructor(${JS})() }}`,
  ),
  p(
    'context object',
    '_copier_answers',
    `{{ _copier_answers.__proto__.constructor.constructor(${JS})() }}`,
  ),
  p(
    'context object',
    'loop',
    `{% for i in [1] %}{{ loop.constructor.constructor(${JS})() }}{% endfor %}`,
  ),
  p(
    'context object',
    'loop cycle',
    `{% for i in [1] %}{{ loop.cycle.constructor(${JS})() }}{% endfor %}`,
  ),
  p(
    'context object',
    'answers dict',
    `{{ data.constructor.constructor(${JS})() }}`,
  ),
  // filters that look attributes up
  p(
    'filter',
    'map attribute',
    `{% set f = [range] | map(attribute='constructor') | first %}{{ f(${JS})() }}`,
  ),
  p('filter', 'map by filter name', `{{ ['x'] | map('constructor') | first }}`),
  p(
    'filter',
    'sort attribute',
    `{% set f = [range] | sort(attribute='constructor') | first %}{{ f.constructor(${JS})() }}`,
  ),
  p(
    'filter',
    'groupby',
    `{% for k, v in [range] | groupby('constructor') %}{{ v[0].constructor(${JS})() }}{% endfor %}`,
  ),
  p(
    'filter',
    'selectattr',
    `{{ [range] | selectattr('constructor') | first }}`,
  ),
  p('filter', 'sum attribute', `{{ [range] | sum(attribute='constructor') }}`),
  p('filter', 'filter named constructor', `{{ '' | constructor }}`),
  p('filter', 'dict2items of a prototype', `{{ ''.__proto__ | dict2items }}`),
  // names that nunjucks pastes into the JavaScript it generates
  p('codegen', 'set target', `{% set a";globalThis.__pavedPwned=1;" = 1 %}`),
  p(
    'codegen',
    'macro argument',
    `{% macro m(a;globalThis.__pavedPwned=1;b) %}{% endmacro %}{{ m(1) }}`,
  ),
  p('codegen', 'template literal', '{{ x`${globalThis.__pavedPwned=1}` }}'),
  p(
    'codegen',
    'for target',
    '{% for a`${globalThis.__pavedPwned=1}` in [1] %}{% endfor %}',
  ),
  p('codegen', 'filter name', '{{ 1 | a`${globalThis.__pavedPwned=1}` }}'),
  p(
    'codegen',
    'block name',
    '{% block b;globalThis.__pavedPwned=1; %}{% endblock %}',
  ),
  p(
    'codegen',
    'import alias',
    `{% from 'x' import a;globalThis.__pavedPwned=1 %}`,
  ),
  p(
    'codegen',
    'keyword argument',
    `{{ range(stop;globalThis.__pavedPwned=1=1) }}`,
  ),
  // the output hook that prints booleans as Python does (`__pyOut`): neither reachable by name nor forgeable from text
  p(
    'codegen',
    'output hook by name',
    `{{ __pyOut({ suppressValue: range.constructor(${JS}) }, 1, false) }}`,
  ),
  p(
    'codegen',
    'output statement in text',
    'x\noutput += runtime.suppressValue((globalThis.__pavedPwned=1), false);\n',
  ),
  // macros and callers
  p(
    'macro',
    'constructor of a macro',
    `{% macro m() %}{% endmacro %}{{ m.constructor(${JS})() }}`,
  ),
  p(
    'macro',
    'caller',
    `{% macro m() %}{{ caller.constructor(${JS})() }}{% endmacro %}{% call m() %}x{% endcall %}`,
  ),
  p(
    'macro',
    'macro as a filter argument',
    `{% macro m() %}{% endmacro %}{{ [m] | map(attribute='constructor') | first }}`,
  ),
  // Python-style server-side template injection (inert in JavaScript, must stay so)
  p(
    'python ssti',
    '__class__.__mro__',
    `{{ ''.__class__.__mro__[1].__subclasses__() }}`,
  ),
  p('python ssti', 'self', `{{ self.__init__.__globals__ }}`),
  p('python ssti', 'lipsum', `{{ lipsum.__globals__.os.popen('id').read() }}`),
  p(
    'python ssti',
    'cycler.__init__',
    `{{ cycler.__init__.__globals__.os.popen('id').read() }}`,
  ),
  p('python ssti', 'attr filter', `{{ range | attr('constructor') }}`),
  // resources
  p('resources', 'huge range', `{{ range(0, 1000000000) | length }}`),
  // reads outside the template
  p('read', 'include parent', `{% include '../outside.txt' %}`),
  p('read', 'include absolute', `{% include '/etc/hostname' %}`),
  p('read', 'import absolute', `{% import '/etc/passwd' as x %}`),
  p('read', 'extends parent', `{% extends '../../outside.txt' %}`),
];
