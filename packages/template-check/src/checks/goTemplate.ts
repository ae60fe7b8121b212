import { stringify } from 'yaml';

/**
 * The subset of Go templates (with Helm's functions) that charts use to produce their objects: actions with `{{-`/`-}}`
 * trimming, comments, `if`/`else`/`with`/`range` (with `$k, $v :=`), `define` + `include`, variables, pipelines and
 * quote, nindent, indent, toYaml, default, required, printf, trunc, trimSuffix, lower, upper, eq, ne, and, or, not.
 * Enough to render a chart's objects and validate them; not a replacement for `helm template`.
 */

type Node =
  | { type: 'text'; text: string }
  | { type: 'action'; pipe: string }
  | { type: 'if' | 'with'; pipe: string; body: Node[]; otherwise: Node[] }
  | {
      type: 'range';
      vars: string[];
      pipe: string;
      body: Node[];
      otherwise: Node[];
    };

interface Token {
  kind: 'text' | 'action';
  value: string;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      tokens.push({ kind: 'text', value: source.slice(at) });
      break;
    }
    let text = source.slice(at, open);
    const close = source.indexOf('}}', open);
    if (close < 0) throw new Error(`unclosed action at offset ${open}`);
    let inner = source.slice(open + 2, close);
    if (inner.startsWith('-')) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    let next = close + 2;
    if (inner.endsWith('-')) {
      inner = inner.slice(0, -1);
      const rest = /^\s*/.exec(source.slice(next))![0];
      next += rest.length;
    }
    tokens.push({ kind: 'text', value: text });
    inner = inner.trim();
    if (!(inner.startsWith('/*') && inner.endsWith('*/'))) {
      tokens.push({ kind: 'action', value: inner });
    }
    at = next;
  }
  return tokens;
}

function parse(tokens: Token[], defines: Map<string, Node[]>): Node[] {
  let i = 0;
  const block = (ends: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const t = tokens[i++];
      if (t.kind === 'text') {
        if (t.value) nodes.push({ type: 'text', text: t.value });
        continue;
      }
      const [keyword, ...rest] = t.value.split(/\s+/);
      const arg = t.value.slice(keyword.length).trim();
      if (ends.includes(keyword)) return { nodes, end: keyword };
      if (keyword === 'if' || keyword === 'with') {
        const body = block(['else', 'end']);
        const otherwise = body.end === 'else' ? block(['end']).nodes : [];
        nodes.push({ type: keyword, pipe: arg, body: body.nodes, otherwise });
      } else if (keyword === 'range') {
        const m = /^(\$\w+)(?:\s*,\s*(\$\w+))?\s*:=\s*(.+)$/.exec(arg);
        const body = block(['else', 'end']);
        const otherwise = body.end === 'else' ? block(['end']).nodes : [];
        nodes.push({
          type: 'range',
          vars: m ? [m[1], m[2]].filter(Boolean) : [],
          pipe: m ? m[3] : arg,
          body: body.nodes,
          otherwise,
        });
      } else if (keyword === 'define') {
        const name = JSON.parse(rest.join(' '));
        defines.set(name, block(['end']).nodes);
      } else {
        nodes.push({ type: 'action', pipe: t.value });
      }
    }
    if (ends.length)
      throw new Error(`missing {{ end }} (expected ${ends.join('/')})`);
    return { nodes, end: '' };
  };
  return block([]).nodes;
}

/** Splits on `sep` outside quotes and parentheses. */
function split(text: string, sep: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const ch of text) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === '`') {
      quote = ch;
      current += ch;
    } else if (ch === '(') {
      depth++;
      current += ch;
    } else if (ch === ')') {
      depth--;
      current += ch;
    } else if (depth === 0 && sep.test(ch)) {
      if (current.trim()) parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

const empty = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === false ||
  v === 0 ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.keys(v as object).length === 0);

const text = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

const indent = (n: number, s: unknown) =>
  text(s)
    .split('\n')
    .map(line => ' '.repeat(n) + line)
    .join('\n');

interface Scope {
  dot: unknown;
  root: unknown;
  vars: Record<string, unknown>;
}

export function renderGoTemplates(
  files: Record<string, string>,
  context: unknown,
): Record<string, string> {
  const defines = new Map<string, Node[]>();
  const failIn = (name: string, error: unknown) =>
    Object.assign(new Error(`${name}: ${(error as Error).message}`), {
      file: name,
    });
  const trees = Object.fromEntries(
    Object.entries(files).map(([name, source]) => {
      try {
        return [name, parse(tokenize(source), defines)];
      } catch (error) {
        throw failIn(name, error);
      }
    }),
  );

  const functions: Record<string, (...args: any[]) => unknown> = {
    quote: (...args) =>
      args
        .map(a => `"${text(a).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
        .join(' '),
    nindent: (n: number, s: unknown) => `\n${indent(n, s)}`,
    indent: (n: number, s: unknown) => indent(n, s),
    toYaml: (v: unknown) =>
      empty(v) && typeof v === 'object'
        ? '{}'
        : stringify(v, { lineWidth: 0 }).replace(/\n$/, ''),
    default: (d: unknown, v?: unknown) => (empty(v) ? d : v),
    required: (message: string, v: unknown) => {
      if (empty(v)) throw new Error(message);
      return v;
    },
    printf: (format: string, ...args: unknown[]) => {
      let k = 0;
      return format.replace(/%[sdvq]/g, f =>
        f === '%q' ? `"${text(args[k++])}"` : text(args[k++]),
      );
    },
    trunc: (n: number, s: unknown) => text(s).slice(0, n),
    trimSuffix: (suffix: string, s: unknown) =>
      text(s).endsWith(suffix) ? text(s).slice(0, -suffix.length) : text(s),
    lower: (s: unknown) => text(s).toLowerCase(),
    upper: (s: unknown) => text(s).toUpperCase(),
    toString: (s: unknown) => text(s),
    eq: (a: unknown, b: unknown) => a === b,
    ne: (a: unknown, b: unknown) => a !== b,
    and: (...a: unknown[]) => a.every(x => !empty(x)),
    or: (...a: unknown[]) => a.find(x => !empty(x)) ?? a[a.length - 1],
    not: (a: unknown) => empty(a),
  };

  function value(token: string, scope: Scope): unknown {
    if (token.startsWith('(') && token.endsWith(')'))
      return pipeline(token.slice(1, -1), scope);
    if (token.startsWith('"')) return JSON.parse(token);
    if (token.startsWith('`')) return token.slice(1, -1);
    if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'nil') return null;
    const m = /^(\$\w*|)((?:\.[\w]+)*|\.)$/.exec(token);
    if (!m) throw new Error(`cannot evaluate "${token}"`);
    let base: unknown;
    if (m[1] === '$') base = scope.root;
    else if (m[1]) {
      if (!(m[1] in scope.vars)) throw new Error(`undefined variable ${m[1]}`);
      base = scope.vars[m[1]];
    } else base = scope.dot;
    for (const field of m[2] === '.' ? [] : m[2].split('.').filter(Boolean)) {
      base =
        base && typeof base === 'object'
          ? (base as Record<string, unknown>)[field]
          : undefined;
    }
    return base;
  }

  function pipeline(pipe: string, scope: Scope): unknown {
    let result: unknown;
    let first = true;
    for (const command of split(pipe, /\|/)) {
      const [head, ...args] = split(command, /\s/);
      const piped = first ? [] : [result];
      if (head === 'include') {
        const [name, data] = args.map(a => value(a, scope));
        const tree = defines.get(String(name));
        if (!tree) throw new Error(`no template named "${name}"`);
        result = render(tree, { ...scope, dot: data, vars: {} });
      } else if (functions[head]) {
        result = functions[head](...args.map(a => value(a, scope)), ...piped);
      } else if (/^[a-zA-Z]\w*$/.test(head)) {
        throw new Error(`function "${head}" is not supported`);
      } else {
        result = value(head, scope);
      }
      first = false;
    }
    return result;
  }

  function render(nodes: Node[], scope: Scope): string {
    return nodes
      .map(node => {
        switch (node.type) {
          case 'text':
            return node.text;
          case 'action': {
            const assign = /^(\$\w+)\s*:=\s*(.+)$/.exec(node.pipe);
            if (assign) {
              scope.vars[assign[1]] = pipeline(assign[2], scope);
              return '';
            }
            return text(pipeline(node.pipe, scope));
          }
          case 'if': {
            const v = pipeline(node.pipe, scope);
            return render(empty(v) ? node.otherwise : node.body, scope);
          }
          case 'with': {
            const v = pipeline(node.pipe, scope);
            return empty(v)
              ? render(node.otherwise, scope)
              : render(node.body, { ...scope, dot: v });
          }
          default: {
            const v = pipeline(node.pipe, scope);
            const entries: Array<[unknown, unknown]> = Array.isArray(v)
              ? v.map((x, k) => [k, x])
              : Object.keys((v as object) ?? {})
                  .sort()
                  .map(k => [k, (v as Record<string, unknown>)[k]]);
            if (entries.length === 0) return render(node.otherwise, scope);
            return entries
              .map(([k, x]) => {
                const vars = { ...scope.vars };
                if (node.vars.length === 2)
                  [vars[node.vars[0]], vars[node.vars[1]]] = [k, x];
                else if (node.vars.length === 1) vars[node.vars[0]] = x;
                return render(node.body, { ...scope, dot: x, vars });
              })
              .join('');
          }
        }
      })
      .join('');
  }

  return Object.fromEntries(
    Object.entries(trees).map(([name, tree]) => {
      try {
        return [name, render(tree, { dot: context, root: context, vars: {} })];
      } catch (error) {
        throw failIn(name, error);
      }
    }),
  );
}
