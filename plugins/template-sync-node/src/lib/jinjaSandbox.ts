import nunjucks from 'nunjucks';
import { TemplateError } from '../errors';

/*
 * Template text, copier.yml expressions, file names and answers come from people the portal does not trust. Plain
 * nunjucks lets a template walk from any value to JavaScript's `Function` (`range.constructor`, `''.constructor`,
 * `cycler().next.constructor`, `__proto__`, computed keys such as `x['constr' ~ 'uctor']`) and call it, and its
 * compiler pastes symbol names into generated JavaScript unquoted. This module closes both doors while (and only
 * while) Paved's engine renders:
 *
 * 1. Parse-time: every symbol (variable, filter, macro, argument, block and import name) must be a Jinja identifier and
 *    none may name a JavaScript internal, so nothing a template spells can reach the generated code.
 * 2. Run-time, on nunjucks' three entry points for template expressions:
 *    - member access (`a.b`, `a[b]`) reads only an object's own data properties (never its prototype, a getter, or
 *      anything of a function), plus the Python str/list/dict methods Jinja templates call, offered as fresh wrappers;
 *    - name lookup reads only the render context's, the frame's and the globals' own entries;
 *    - a call (`f(...)`) runs only functions the engine itself handed out: globals, macros, `caller`, and the method
 *      wrappers above. Whatever a template finds, it cannot call `Function`, `eval` or any Node.js API.
 * A refused access is a TemplateError('UNSAFE'), which adapters report as a bad input: it never executes.
 *
 * Why not Backstage's SecureTemplater (nunjucks inside an isolated-vm isolate)? It needs a native addon and
 * `--no-node-snapshot` in every process that renders (the CLI included), moves every file and answer across the isolate
 * boundary (the fleet job renders thousands of files per template version), and cannot read `{% include %}` files
 * without a bridge back into Node. The second wall here is a separate render process with a scrubbed environment
 * (see renderProcess.ts); this module is the first.
 */

/** Names that lead from a value to JavaScript's machinery; no template may use them as a member or a variable. */
const FORBIDDEN = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'caller',
  'callee',
  'arguments',
  'apply',
  'call',
  'bind',
  'valueOf',
  'toString',
  'toLocaleString',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
]);

/** `caller` is also the name of a `{% call %}` block's body inside a macro: allowed as a variable, never as a member. */
const ALLOWED_VARIABLES = new Set(['caller']);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The refusal behind the render error nunjucks is about to report (it wraps errors into its own, as text). */
let lastRefusal: string | undefined;

/** Throws the sandbox's refusal: a TemplateError('UNSAFE') that survives nunjucks' re-wrapping of render errors. */
export function refuse(message: string): never {
  lastRefusal = message;
  throw new TemplateError('UNSAFE', message);
}

/** Why the render that just failed with `error` was refused by the sandbox, if it was. */
export function unsafeCause(error: unknown): string | undefined {
  if (error instanceof TemplateError && error.code === 'UNSAFE')
    return error.message;
  return lastRefusal;
}

const own = (obj: object, key: string) =>
  Object.prototype.hasOwnProperty.call(obj, key);

/** Functions a template may call. Anything else a template reaches (if it ever reached one) cannot be called. */
const callable = new WeakSet<Function>();

/** Marks a function as callable from templates; returns it. */
export function allowCall<T extends Function>(fn: T): T {
  callable.add(fn);
  return fn;
}

type MethodTable<T> = Record<string, (self: T, ...args: any[]) => unknown>;

/** The methods a template may call on a value, by the value's kind; the engine supplies Python's. */
export interface SandboxMethods {
  str: MethodTable<string>;
  list: MethodTable<unknown[]>;
  dict: MethodTable<Record<string, unknown>>;
}

let methods: SandboxMethods = { str: {}, list: {}, dict: {} };

/** Sets the Python methods templates may call (Jinja's `name.lower()`, `d.items()`, `l.append(x)`). */
export function setSandboxMethods(table: SandboxMethods): void {
  methods = table;
}

function checkName(name: unknown, what: string): string {
  const key = typeof name === 'number' ? String(name) : name;
  if (typeof key !== 'string') {
    return refuse(
      `Templates may only use text or numbers as ${what} (got ${typeof name})`,
    );
  }
  if (FORBIDDEN.has(key)) {
    return refuse(
      `Templates may not use "${key}": it reaches JavaScript internals`,
    );
  }
  return key;
}

function method<T>(table: MethodTable<T>, self: T, key: string) {
  return own(table, key)
    ? allowCall((...args: unknown[]) => table[key](self, ...args))
    : undefined;
}

function isIndex(key: string, length: number): boolean {
  return /^(0|[1-9]\d*)$/.test(key) && Number(key) < length;
}

/** `obj.key` / `obj[key]` for template expressions: own data only, plus the allowed methods. */
export function safeMember(obj: unknown, name: unknown): unknown {
  if (obj === undefined || obj === null) return undefined;
  const key = checkName(name, 'an attribute name');
  if (typeof obj === 'function') {
    return refuse(`Templates may not read attributes of a function ("${key}")`);
  }
  if (typeof obj === 'string' || obj instanceof nunjucks.runtime.SafeString) {
    const text = String(obj);
    if (key === 'length') return text.length;
    if (isIndex(key, text.length)) return text[Number(key)];
    return method(methods.str, text, key);
  }
  if (typeof obj !== 'object') return undefined;
  if (Array.isArray(obj)) {
    if (key === 'length') return obj.length;
    if (isIndex(key, obj.length)) return obj[Number(key)];
    return method(methods.list, obj, key);
  }
  const descriptor = Object.getOwnPropertyDescriptor(obj, key);
  if (descriptor) {
    if (!('value' in descriptor)) return undefined; // a getter never runs
    const value = descriptor.value;
    if (typeof value === 'function') {
      // Own function values exist only on what nunjucks builds (cycler objects, imported macros): call them bound.
      return callable.has(value)
        ? allowCall((...args: unknown[]) => value.apply(obj, args))
        : undefined;
    }
    return value;
  }
  return method(methods.dict, obj as Record<string, unknown>, key);
}

interface NunjucksFrame {
  lookup(name: string): unknown;
}
interface NunjucksContext {
  ctx: Record<string, unknown>;
  env: { globals: Record<string, unknown> };
}

/** A variable for template expressions: the frame's, then the context's, then a global, own entries only. */
export function safeLookup(
  context: NunjucksContext,
  frame: NunjucksFrame,
  name: string,
): unknown {
  if (!ALLOWED_VARIABLES.has(name)) checkName(name, 'a variable name');
  // Frames hold their variables in null-prototype objects, so their lookup never reaches Object.prototype.
  const fromFrame = frame.lookup(name);
  if (fromFrame !== undefined) return fromFrame;
  if (own(context.ctx, name)) return context.ctx[name];
  const globals = context.env.globals;
  return own(globals, name) ? globals[name] : undefined;
}

/** `f(...)` for template expressions: only functions the engine handed out. */
export function safeCall(
  fn: unknown,
  name: string,
  context: unknown,
  args: unknown[],
): unknown {
  if (!fn) {
    throw new Error(`Unable to call \`${name}\`, which is undefined or falsey`);
  }
  if (typeof fn !== 'function') {
    throw new Error(`Unable to call \`${name}\`, which is not a function`);
  }
  if (!callable.has(fn)) {
    return refuse(
      `Templates may not call \`${name}\`: only filters, macros and the documented methods can be called`,
    );
  }
  return fn.apply(context, args);
}

interface AstNode {
  typename: string;
  fields: string[];
  value?: unknown;
  [field: string]: unknown;
}

/** Refuses a parsed template whose symbols could reach generated code or JavaScript internals. */
export function checkAst(root: unknown, where: string): void {
  const pending: unknown[] = [root];
  while (pending.length) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    if (!node || typeof node !== 'object' || !('typename' in node)) continue;
    const n = node as AstNode;
    if (n.typename === 'Symbol') {
      const name = String(n.value);
      if (!IDENTIFIER.test(name)) {
        refuse(
          `${where}: "${name.slice(
            0,
            40,
          )}" is not a valid name (letters, digits and _ only)`,
        );
      }
      if (FORBIDDEN.has(name) && !ALLOWED_VARIABLES.has(name)) {
        refuse(
          `${where}: templates may not use "${name}": it reaches JavaScript internals`,
        );
      }
    }
    for (const field of n.fields ?? []) pending.push(n[field]);
    if (Array.isArray(n.children)) pending.push(n.children);
  }
}

const runtime = (nunjucks as any).runtime as Record<string, any>;
const compiler = (nunjucks as any).compiler as Record<string, any>;
const parser = (nunjucks as any).parser as {
  parse(src: string, extensions: unknown, opts: unknown): unknown;
};
// Not re-exported by nunjucks' index; the compiler needs the transformed tree.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformer = require('nunjucks/src/transformer') as {
  transform(ast: unknown, asyncFilters: unknown, name: string): unknown;
};

const original = {
  compile: compiler.compile,
  memberLookup: runtime.memberLookup,
  contextOrFrameLookup: runtime.contextOrFrameLookup,
  callWrap: runtime.callWrap,
  makeMacro: runtime.makeMacro,
  suppressValue: runtime.suppressValue,
};
let depth = 0;

// Compiled templates call these through the shared nunjucks runtime. The sandboxed versions apply while Paved's engine
// renders (renders are synchronous); other nunjucks users in the process keep nunjucks' behaviour.
runtime.memberLookup = function memberLookup(obj: unknown, val: unknown) {
  return depth > 0 ? safeMember(obj, val) : original.memberLookup(obj, val);
};
runtime.contextOrFrameLookup = function contextOrFrameLookup(
  context: NunjucksContext,
  frame: NunjucksFrame,
  name: string,
) {
  return depth > 0
    ? safeLookup(context, frame, name)
    : original.contextOrFrameLookup(context, frame, name);
};
runtime.callWrap = function callWrap(
  fn: unknown,
  name: string,
  context: unknown,
  args: unknown[],
) {
  return depth > 0
    ? safeCall(fn, name, context, args)
    : original.callWrap(fn, name, context, args);
};
// Every template the engine compiles, includes and imports too, is checked before code is generated from it.
compiler.compile = function compile(
  src: string,
  asyncFilters: unknown,
  extensions: unknown,
  name: string,
  opts: { throwOnUndefined?: boolean } = {},
) {
  if (depth === 0)
    return original.compile(src, asyncFilters, extensions, name, opts);
  const ast = parser.parse(src, extensions, opts);
  checkAst(ast, name ?? 'template');
  const c = new compiler.Compiler(name, opts.throwOnUndefined);
  c.compile(transformer.transform(ast, asyncFilters, name));
  return c.getCode();
};
// A function is printed as nothing (nunjucks prints its source code, Jinja `<function …>`).
runtime.suppressValue = function suppressValue(
  val: unknown,
  autoescape: boolean,
) {
  return depth > 0 && typeof val === 'function'
    ? ''
    : original.suppressValue(val, autoescape);
};
runtime.makeMacro = function makeMacro(...args: unknown[]) {
  return allowCall(original.makeMacro(...args));
};

/** Runs `fn` with the sandboxed runtime in force. */
export function sandboxed<T>(fn: () => T): T {
  if (depth === 0) lastRefusal = undefined;
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

/** Jinja's own sandbox caps `range` at this many items; a template cannot allocate the renderer out of memory. */
export const MAX_RANGE = 100_000;

function checkRange(args: unknown[]): void {
  const [a, b, c] = args.map(Number);
  const [start, stop, step] = args.length < 2 ? [0, a, 1] : [a, b, c || 1];
  const count = Math.ceil((stop - start) / step);
  if (!Number.isFinite(count) || count > MAX_RANGE) {
    refuse(`range() may produce at most ${MAX_RANGE} items`);
  }
}

/** Globals nunjucks gives every template (`range`, `cycler`, `joiner`), made callable, and what they return. */
export function allowGlobals(globals: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(globals)) {
    if (typeof value !== 'function') continue;
    const wrapped = allowCall((...args: unknown[]) => {
      if (name === 'range') checkRange(args);
      const result = (value as Function)(...args);
      if (typeof result === 'function') allowCall(result);
      else if (result && typeof result === 'object') {
        for (const member of Object.values(result)) {
          if (typeof member === 'function') allowCall(member);
        }
      }
      return result;
    });
    globals[name] = wrapped;
  }
}
