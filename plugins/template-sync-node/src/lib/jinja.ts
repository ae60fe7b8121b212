import crypto from 'node:crypto';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { TemplateError } from '../errors';
import {
  allowGlobals,
  safeMember,
  sandboxed,
  setSandboxMethods,
  unsafeCause,
} from './jinjaSandbox';
import { TemplateLoader } from './jinjaLoader';

/**
 * Jinja environment options as copier's `_envops` spells them.
 *
 * @public
 */
export interface EnvOps {
  block_start_string?: string;
  block_end_string?: string;
  variable_start_string?: string;
  variable_end_string?: string;
  comment_start_string?: string;
  comment_end_string?: string;
  trim_blocks?: boolean;
  lstrip_blocks?: boolean;
  keep_trailing_newline?: boolean;
  autoescape?: boolean;
}

type Kwargs = { __keywords?: true } & Record<string, unknown>;

function kwargs(args: unknown[]): Kwargs {
  const last = args[args.length - 1] as Kwargs | undefined;
  return last && typeof last === 'object' && last.__keywords ? last : {};
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map(k => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** A scalar as YAML 1.1 (PyYAML, so copier) reads it back: `yes`, `on`, `010` stay strings. */
function yamlScalar(value: unknown): string {
  return stringifyYaml(value, { lineWidth: 0, version: '1.1' }).replace(
    /\n$/,
    '',
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    Boolean(value) &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date)
  );
}

function isEmptyCollection(value: unknown): boolean {
  return (
    (Array.isArray(value) && value.length === 0) ||
    (isPlainObject(value) && Object.keys(value).length === 0)
  );
}

function emitYaml(value: unknown, indent: number, depth: number): string[] {
  const pad = ' '.repeat(depth);
  if (Array.isArray(value)) {
    return value.flatMap(item => {
      if (
        (isPlainObject(item) || Array.isArray(item)) &&
        !isEmptyCollection(item)
      ) {
        const [first, ...rest] = emitYaml(item, indent, depth + 2);
        return [`${pad}- ${first.trimStart()}`, ...rest];
      }
      return [`${pad}- ${yamlScalar(item)}`];
    });
  }
  if (isPlainObject(value)) {
    return Object.keys(value)
      .sort()
      .flatMap(key => {
        const item = value[key];
        const k = yamlScalar(key);
        if (Array.isArray(item) && item.length)
          return [`${pad}${k}:`, ...emitYaml(item, indent, depth)];
        if (isPlainObject(item) && Object.keys(item).length)
          return [`${pad}${k}:`, ...emitYaml(item, indent, depth + indent)];
        return [`${pad}${k}: ${yamlScalar(item)}`];
      });
  }
  return [`${pad}${yamlScalar(value)}`];
}

/**
 * YAML the way Ansible's `to_nice_yaml` (PyYAML) writes it, which is what copier's answers-file templates use:
 * keys sorted, block style, mappings indented by `indent` (4), sequences not indented under their key.
 *
 * @public
 */
export function toNiceYaml(value: unknown, indent = 4): string {
  return `${emitYaml(value, indent, 0).join('\n')}\n`;
}

function pythonType(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'dict' : 'str';
}

function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}

/** Jinja / Ansible filters that templates written for copier commonly use and nunjucks lacks. */
const FILTERS: Record<string, (...args: any[]) => unknown> = {
  to_json: (v: unknown, ...rest: unknown[]) => {
    const { indent, sort_keys } = kwargs(rest) as {
      indent?: number;
      sort_keys?: boolean;
    };
    return JSON.stringify(sort_keys ? sortKeys(v) : v, null, indent);
  },
  tojson: (v: unknown, indent?: number) =>
    JSON.stringify(v, null, typeof indent === 'number' ? indent : undefined),
  to_nice_json: (v: unknown, ...rest: unknown[]) => {
    const { indent = 4 } = kwargs(rest) as { indent?: number };
    return JSON.stringify(sortKeys(v), null, indent);
  },
  from_json: (v: string) => JSON.parse(v),
  to_yaml: (v: unknown) => stringifyYaml(v, { lineWidth: 0 }),
  to_nice_yaml: (v: unknown, ...rest: unknown[]) => {
    const { indent = 4 } = kwargs(rest) as { indent?: number };
    return toNiceYaml(v, typeof rest[0] === 'number' ? rest[0] : indent);
  },
  from_yaml: (v: string) => parseYaml(v),
  b64encode: (v: string) => Buffer.from(String(v), 'utf8').toString('base64'),
  b64decode: (v: string) => Buffer.from(String(v), 'base64').toString('utf8'),
  regex_replace: (
    v: string,
    pattern: string,
    replacement = '',
    ...rest: unknown[]
  ) => {
    const { ignorecase, multiline } = kwargs(rest) as {
      ignorecase?: boolean;
      multiline?: boolean;
    };
    const flags = `g${ignorecase ? 'i' : ''}${multiline ? 'm' : ''}`;
    // Python's \1 / \g<name> back-references are $1 / $<name> in JavaScript.
    const js = String(replacement)
      .replace(/\\g<(\w+)>/g, '$<$1>')
      .replace(/\\(\d+)/g, '$$$1');
    return String(v).replace(new RegExp(pattern, flags), js);
  },
  regex_search: (v: string, pattern: string, ...rest: unknown[]) => {
    const { ignorecase } = kwargs(rest) as { ignorecase?: boolean };
    const match = new RegExp(pattern, ignorecase ? 'i' : '').exec(String(v));
    return match ? match[0] : undefined;
  },
  regex_findall: (v: string, pattern: string) =>
    String(v).match(new RegExp(pattern, 'g')) ?? [],
  regex_escape: (v: string) => String(v).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  quote: (v: unknown) => `'${String(v).replace(/'/g, `'"'"'`)}'`,
  bool: (v: unknown) => {
    if (typeof v === 'string')
      return ['1', 'true', 'yes', 'on', 'y'].includes(v.trim().toLowerCase());
    return Boolean(v);
  },
  mandatory: (v: unknown, msg?: string) => {
    if (v === undefined)
      throw new Error(msg ?? 'Mandatory variable not defined.');
    return v;
  },
  basename: (v: string) => path.posix.basename(String(v)),
  dirname: (v: string) => path.posix.dirname(String(v)),
  splitext: (v: string) => {
    const ext = path.posix.extname(String(v));
    return [String(v).slice(0, String(v).length - ext.length), ext];
  },
  hash: (v: string, algorithm = 'sha1') =>
    crypto.createHash(algorithm).update(String(v)).digest('hex'),
  md5: (v: string) => crypto.createHash('md5').update(String(v)).digest('hex'),
  sha1: (v: string) =>
    crypto.createHash('sha1').update(String(v)).digest('hex'),
  checksum: (v: string) =>
    crypto.createHash('sha1').update(String(v)).digest('hex'),
  ternary: (v: unknown, yes: unknown, no: unknown) => (v ? yes : no),
  combine: (...dicts: unknown[]) =>
    Object.fromEntries(
      dicts
        .filter(d => d && typeof d === 'object' && !(d as Kwargs).__keywords)
        .flatMap(d => Object.entries(d as Record<string, unknown>)),
    ),
  dict2items: (v: Record<string, unknown>) =>
    Object.entries(v ?? {}).map(([key, value]) => ({ key, value })),
  items2dict: (v: Array<{ key: string; value: unknown }>) =>
    Object.fromEntries((v ?? []).map(i => [i.key, i.value])),
  items: (v: Record<string, unknown>) => Object.entries(v ?? {}),
  flatten: (v: unknown[]) => (v ?? []).flat(Infinity),
  unique: (v: unknown[]) => [...new Set(v ?? [])],
  min: (v: number[]) => Math.min(...v),
  max: (v: number[]) => Math.max(...v),
  type_debug: (v: unknown) => pythonType(v),
  comment: (v: string, style = 'plain') => {
    const prefixes: Record<string, string> = {
      c: '// ',
      cblock: '// ',
      erlang: '% ',
    };
    const prefix = prefixes[style] ?? '# ';
    return String(v)
      .split('\n')
      .map(line => `${prefix}${line}`.trimEnd())
      .join('\n');
  },
  pyrepr: pythonRepr,
};

/** Python string and dict methods that Jinja templates call (`name.lower()`, `d.items()`), by name. */
const PY_STR: Record<string, (s: string, ...args: any[]) => unknown> = {
  lower: s => s.toLowerCase(),
  upper: s => s.toUpperCase(),
  strip: (s, chars?: string) =>
    chars ? trimChars(s, chars, true, true) : s.trim(),
  lstrip: (s, chars?: string) =>
    chars ? trimChars(s, chars, true, false) : s.trimStart(),
  rstrip: (s, chars?: string) =>
    chars ? trimChars(s, chars, false, true) : s.trimEnd(),
  replace: (s, a: string, b: string) => s.split(a).join(b),
  split: (s, sep?: string, max?: number) => {
    const parts =
      sep === undefined || sep === null
        ? s.trim().split(/\s+/).filter(Boolean)
        : s.split(sep);
    if (max === undefined || max < 0 || parts.length <= max + 1) return parts;
    return [...parts.slice(0, max), parts.slice(max).join(sep ?? ' ')];
  },
  startswith: (s, prefix: string) => s.startsWith(prefix),
  endswith: (s, suffix: string) => s.endsWith(suffix),
  capitalize: s => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  title: s =>
    s.replace(
      /\w\S*/g,
      w => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase(),
    ),
  join: (s, items: unknown[]) => (items ?? []).map(String).join(s),
  isdigit: s => /^\d+$/.test(s),
  isalpha: s => /^[A-Za-z]+$/.test(s),
  count: (s, sub: string) => (sub ? s.split(sub).length - 1 : s.length + 1),
  find: (s, sub: string) => s.indexOf(sub),
  zfill: (s, width: number) => s.padStart(width, '0'),
  format: (s, ...args: unknown[]) => {
    const named = kwargs(args);
    let i = 0;
    return s.replace(/\{(\w*)\}/g, (_m, key: string) => {
      if (key === '') return String(args[i++]);
      if (/^\d+$/.test(key)) return String(args[Number(key)]);
      return String(
        Object.prototype.hasOwnProperty.call(named, key)
          ? named[key]
          : undefined,
      );
    });
  },
};

const PY_DICT: Record<
  string,
  (d: Record<string, unknown>, ...args: any[]) => unknown
> = {
  items: d => Object.entries(d),
  keys: d => Object.keys(d),
  values: d => Object.values(d),
  get: (d, key: string, fallback?: unknown) =>
    Object.prototype.hasOwnProperty.call(d, key) ? d[key] : fallback,
};

function trimChars(
  s: string,
  chars: string,
  start: boolean,
  end: boolean,
): string {
  let a = 0;
  let b = s.length;
  while (start && a < b && chars.includes(s[a])) a++;
  while (end && b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

const PY_LIST: Record<string, (l: unknown[], ...args: any[]) => unknown> = {
  append: (l, item: unknown) => {
    l.push(item);
  },
  extend: (l, items: unknown[]) => {
    l.push(...(Array.isArray(items) ? items : []));
  },
  index: (l, item: unknown) => l.indexOf(item),
  count: (l, item: unknown) => l.filter(i => i === item).length,
  pop: (l, i?: number) =>
    i === undefined ? l.pop() : l.splice(i < 0 ? l.length + i : i, 1)[0],
};

setSandboxMethods({ str: PY_STR, list: PY_LIST, dict: PY_DICT });

/**
 * Compiled templates by lexer options and source. Old and new renders of an update share most files, and the fleet
 * job renders one template version for many instances: parsing is most of nunjucks' cost, so it is done once.
 */
const compiledCache = new Map<string, Record<string, unknown>>();
const COMPILED_CACHE_MAX = 5000;

/**
 * A Jinja-compatible renderer for one template: its `_envops`, loader root (for `{% include %}`) and filters.
 *
 * @public
 */
export class Jinja {
  private readonly env: nunjucks.Environment;
  private readonly keepTrailingNewline: boolean;
  private readonly cacheKey: string;

  constructor(
    options: { root?: string; envops?: EnvOps; strictUndefined?: boolean } = {},
  ) {
    const ops = options.envops ?? {};
    this.keepTrailingNewline = ops.keep_trailing_newline ?? true;
    this.cacheKey = JSON.stringify([
      ops.block_start_string,
      ops.block_end_string,
      ops.variable_start_string,
      ops.variable_end_string,
      ops.comment_start_string,
      ops.comment_end_string,
      ops.trim_blocks,
      ops.lstrip_blocks,
      ops.autoescape,
      options.strictUndefined,
    ]);
    const loader = options.root
      ? (new TemplateLoader(options.root) as unknown as nunjucks.ILoader)
      : undefined;
    this.env = new nunjucks.Environment(loader, {
      autoescape: ops.autoescape ?? false,
      trimBlocks: ops.trim_blocks ?? false,
      lstripBlocks: ops.lstrip_blocks ?? false,
      throwOnUndefined: Boolean(options.strictUndefined),
      tags: {
        blockStart: ops.block_start_string,
        blockEnd: ops.block_end_string,
        variableStart: ops.variable_start_string,
        variableEnd: ops.variable_end_string,
        commentStart: ops.comment_start_string,
        commentEnd: ops.comment_end_string,
      },
    });
    allowGlobals((this.env as any).globals);
    for (const [name, fn] of Object.entries(FILTERS)) {
      this.env.addFilter(name, fn);
    }
    const filters = (this.env as any).filters as Record<string, Function>;
    // A filter name reaches this lookup from a template (`map('upper')`): only registered filters, never a prototype's.
    const getFilter = (name: string) => {
      if (!Object.prototype.hasOwnProperty.call(filters, name)) {
        throw new Error(`filter not found: ${String(name).slice(0, 40)}`);
      }
      return filters[name];
    };
    (this.env as any).getFilter = getFilter;
    this.env.addFilter('map', (items: unknown[], ...rest: unknown[]) => {
      const { attribute } = kwargs(rest) as { attribute?: string };
      if (attribute !== undefined)
        return (items ?? []).map(i => safeMember(i, attribute));
      const [filterName, ...filterArgs] = rest as [string, ...unknown[]];
      const filter = getFilter(filterName);
      return (items ?? []).map(i => filter(i, ...filterArgs));
    });
  }

  /** Renders one template string; `where` names it in error messages. */
  render(
    source: string,
    context: Record<string, unknown>,
    where = 'template',
  ): string {
    try {
      const out = sandboxed(() =>
        new nunjucks.Template(
          { type: 'code', obj: this.compile(source, where) } as any,
          this.env,
          where,
        ).render(context),
      );
      return this.keepTrailingNewline ? out : out.replace(/\n$/, '');
    } catch (error) {
      const unsafe = unsafeCause(error);
      if (unsafe) throw new TemplateError('UNSAFE', `${where}: ${unsafe}`);
      const undefinedAt = undefinedOutput(error as Error, source);
      if (undefinedAt)
        throw new TemplateError('INVALID_INPUT', `${where}: ${undefinedAt}`);
      throw new TemplateError(
        'INVALID_INPUT',
        `${where}: ${(error as Error).message.replace(
          /^\(unknown path\)\s*/,
          '',
        )}`,
      );
    }
  }

  private compile(source: string, where: string): Record<string, unknown> {
    const key = `${this.cacheKey}\0${source}`;
    let props = compiledCache.get(key);
    if (!props) {
      const env = this.env as any;
      const code = sandboxed(() =>
        (nunjucks as any).compiler.compile(
          source,
          env.asyncFilters,
          env.extensionsList,
          where,
          env.opts,
        ),
      );
      // Every `{{ … }}` goes through suppressValue; ours prints booleans as Python does (`True`/`False`), as copier's
      // Jinja does. Matched only at the start of an output statement, never inside a string literal.
      const pythonic = (code as string).replace(
        /^(\w+ \+= )runtime\.suppressValue\(/gm,
        '$1__pyOut(runtime, ',
      );
      // eslint-disable-next-line no-new-func
      props = new Function('__pyOut', pythonic)(pyOut) as Record<
        string,
        unknown
      >;
      if (compiledCache.size >= COMPILED_CACHE_MAX) {
        compiledCache.delete(compiledCache.keys().next().value!);
      }
      compiledCache.set(key, props);
    }
    return props;
  }

  /** Renders a value that may be a template (strings, and strings inside lists and maps). */
  renderValue<T>(value: T, context: Record<string, unknown>, where: string): T {
    if (typeof value === 'string')
      return this.render(value, context, where) as T;
    if (Array.isArray(value))
      return value.map(v => this.renderValue(v, context, where)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          this.renderValue(v, context, where),
        ]),
      ) as T;
    }
    return value;
  }
}

/** nunjucks' suppressValue, with Python's spelling of booleans. */
function pyOut(
  runtime: { suppressValue(v: unknown, autoescape: boolean): unknown },
  value: unknown,
  autoescape: boolean,
): unknown {
  if (value === true || value === false)
    return runtime.suppressValue(value ? 'True' : 'False', autoescape);
  return runtime.suppressValue(value, autoescape);
}

/**
 * nunjucks' strict-mode error ("attempted to output null or undefined value", with line and column) in words a
 * template author acts on: the line and the expression that printed nothing.
 */
function undefinedOutput(error: Error, source: string): string | undefined {
  const m =
    /\[Line (\d+), Column (\d+)\][\s\S]*attempted to output null or undefined value/.exec(
      error.message,
    );
  if (!m) return undefined;
  const line = source.split('\n')[Number(m[1]) - 1] ?? '';
  const expression = /\{\{-?\s*([\s\S]*?)\s*-?\}\}/.exec(
    line.slice(Math.max(0, line.lastIndexOf('{{', Number(m[2])))),
  )?.[1];
  return `line ${m[1]}: ${
    expression ? `{{ ${expression.slice(0, 80)} }}` : 'an expression'
  } is undefined (no answer, variable or attribute of that name)`;
}

/** Jinja truthiness of a rendered string (`when`, `_skip_if_exists` templated conditions). */
export function isTruthy(value: unknown): boolean {
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    return !['', 'false', '0', 'no', 'off', 'none', 'n'].includes(v);
  }
  return Boolean(value);
}
