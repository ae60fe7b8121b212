import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TemplateError, TemplateErrorCode } from '../errors';
import {
  RenderData,
  Rendering,
  renderTemplate,
  RenderOptions,
  withHelpers,
} from './render';

/**
 * Render in a separate Node.js process: the second wall behind the sandboxed engine. The process starts with an
 * empty environment (no credentials, no config), Node's permission model (it may read only the checked-out template
 * and the engine's own code; it may not write, spawn processes, start threads or load native addons), no network
 * (sockets refuse to connect), a heap limit, and is killed when it takes too long.
 * @public
 */
export interface RenderIsolation {
  /** Kill a render that takes longer (default 60 s). */
  timeoutMs?: number;
  /** V8 heap limit of the render process, MiB (default 512). */
  maxMemoryMb?: number;
}

/** Messages the render process sends back. */
export type WorkerReply =
  | { type: 'result'; data: RenderData }
  | { type: 'error'; code?: TemplateErrorCode; message: string }
  | { type: 'probe'; facts: SandboxFacts };

/** Messages the render process accepts. */
export type WorkerRequest =
  | { type: 'render'; options: RenderOptions }
  | { type: 'probe'; paths: string[]; hosts: string[] };

/** What the render process can do, as it sees it (tests check the wall with it). */
export interface SandboxFacts {
  env: string[];
  readable: Record<string, boolean>;
  writable: Record<string, boolean>;
  childProcess: boolean;
  worker: boolean;
  addons: boolean;
  connect: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_MEMORY_MB = 512;

/** Renders in this process, or in an isolated render process when `isolation` is given. */
export async function render(
  options: RenderOptions,
  isolation: RenderIsolation | undefined,
): Promise<Rendering> {
  if (!isolation) return renderTemplate(options);
  const reply = await ask(
    { type: 'render', options },
    options.templateDir,
    isolation,
  );
  if (reply.type !== 'result') {
    throw new Error('The render process answered out of turn');
  }
  return withHelpers(revive(reply.data), options.templateDir);
}

/** Starts a render process for `templateDir` and asks it what it may do. */
export async function probeIsolation(
  templateDir: string,
  paths: string[],
  hosts: string[],
  isolation: RenderIsolation = {},
): Promise<SandboxFacts> {
  const reply = await ask(
    { type: 'probe', paths, hosts },
    templateDir,
    isolation,
  );
  if (reply.type !== 'probe') throw new Error('Unexpected reply');
  return reply.facts;
}

// Buffers cross the channel as Uint8Arrays.
function revive(data: RenderData): RenderData {
  const files = new Map(
    [...data.files].map(([rel, file]) => [
      rel,
      {
        executable: file.executable,
        content: Buffer.from(
          file.content.buffer,
          file.content.byteOffset,
          file.content.byteLength,
        ),
      },
    ]),
  );
  return { ...data, files };
}

function ask(
  request: WorkerRequest,
  templateDir: string,
  isolation: RenderIsolation,
): Promise<WorkerReply> {
  const timeoutMs = isolation.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxMemoryMb = isolation.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;
  const worker = workerEntry();
  const template = fs.realpathSync(templateDir);
  const execArgv = [
    ...(worker.loader ? ['--require', worker.loader] : []),
    '--permission',
    ...[template, ...worker.codeRoots].map(p => `--allow-fs-read=${p}`),
    `--max-old-space-size=${maxMemoryMb}`,
    '--disable-proto=throw',
  ];
  return new Promise((resolve, reject) => {
    const child = fork(worker.file, [], {
      cwd: template,
      env: {},
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let settled = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      fn();
    };
    timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new TemplateError(
              'INVALID_INPUT',
              `Rendering the template did not finish within ${
                timeoutMs / 1000
              } s; it was stopped`,
            ),
          ),
        ),
      timeoutMs,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 8192) stderr += chunk.toString('utf8');
    });
    child.on('message', (message: WorkerReply) => {
      if (message.type === 'error') {
        finish(() =>
          reject(
            message.code
              ? new TemplateError(message.code, message.message)
              : new Error(`Rendering the template failed: ${message.message}`),
          ),
        );
      } else if (message.type === 'result' || message.type === 'probe') {
        finish(() => resolve(message));
      }
    });
    child.on('error', error =>
      finish(() =>
        reject(
          new Error(`The render process failed to start: ${error.message}`),
        ),
      ),
    );
    child.on('exit', (code, signal) =>
      finish(() => {
        if (/heap out of memory|allocation failed/i.test(stderr)) {
          reject(
            new TemplateError(
              'INVALID_INPUT',
              `Rendering the template needed more than ${maxMemoryMb} MiB of memory; it was stopped`,
            ),
          );
          return;
        }
        // The process holds nothing secret; its last words say what went wrong.
        const said = stderr.trim().split('\n').filter(Boolean);
        const last = said.find(line => /Error/.test(line)) ?? said.pop();
        reject(
          new Error(
            `The render process exited (${
              signal ?? `code ${code}`
            }) without an answer${last ? `: ${last.slice(0, 300)}` : ''}`,
          ),
        );
      }),
    );
    child.send(request);
  });
}

interface WorkerEntry {
  file: string;
  /** A require hook for TypeScript sources (development and tests); none for the built package. */
  loader?: string;
  /** Folders the process may read besides the template: the engine's code and its dependencies. */
  codeRoots: string[];
}

let cachedEntry: WorkerEntry | undefined;

function workerEntry(): WorkerEntry {
  if (cachedEntry) return cachedEntry;
  if (!process.allowedNodeEnvironmentFlags.has('--permission')) {
    throw new Error(
      `Rendering templates in a separate process needs Node.js 22.13 or newer (its permission model); this is ${process.version}`,
    );
  }
  // Beside this module's folder: src/renderWorker.ts in development and tests, dist/renderWorker.cjs.js once built
  // (the package's `./renderWorker` export makes the build emit it).
  const built = !__filename.endsWith('.ts');
  const expected = path.resolve(
    // The build keeps the module layout (dist/lib/isolation.cjs.js), and the check below says so if it ever did not.
    // eslint-disable-next-line no-restricted-syntax
    __dirname,
    '..',
    built ? 'renderWorker.cjs.js' : 'renderWorker.ts',
  );
  if (!fs.existsSync(expected)) {
    throw new Error(
      `The render process's entry point ${expected} is missing: @paved/plugin-template-sync-node must be used as built, not re-bundled`,
    );
  }
  const file = fs.realpathSync(expected);
  const root = packageRoot(file);
  const roots = dependencyClosure(root);
  let loader: string | undefined;
  if (file.endsWith('.ts')) {
    // Sucrase's hook is plain JavaScript: no native addon and no loader thread, which the permission model forbids.
    loader = fs.realpathSync(
      require.resolve('sucrase/register/ts', { paths: [root] }),
    );
    for (const dir of dependencyClosure(packageRoot(loader))) roots.add(dir);
  }
  cachedEntry = { file, loader, codeRoots: [...roots] };
  return cachedEntry;
}

function packageRoot(file: string): string {
  let dir = path.dirname(file);
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${file}`);
    dir = parent;
  }
  return dir;
}

/**
 * The folders holding a package and everything it depends on, transitively: the code the render process may read.
 * A package inside a `node_modules` folder grants that whole folder (Node's resolver must look at the symlinks and
 * scopes along the way, and it holds only code); a package outside one (a linked workspace) grants its own folder.
 * The app's own folder, with its config files, stays unreadable.
 */
function dependencyClosure(root: string): Set<string> {
  const roots = new Set<string>();
  const grant = (dir: string) => {
    const at = dir.split(path.sep).indexOf('node_modules');
    roots.add(
      at < 0
        ? dir
        : dir
            .split(path.sep)
            .slice(0, at + 1)
            .join(path.sep),
    );
  };
  const visited = new Set<string>();
  const queue = [root];
  while (queue.length) {
    const dir = queue.pop()!;
    if (visited.has(dir)) continue;
    visited.add(dir);
    grant(dir);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
    ) as Record<string, Record<string, string> | undefined>;
    const names = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    for (const name of names) {
      const found = resolvePackageRoot(name, dir);
      if (!found) continue;
      grant(found.seen);
      queue.push(found.real);
    }
  }
  return roots;
}

/** Where `name` is found from `from`, as Node's resolver sees it (maybe a symlink) and where it really is. */
function resolvePackageRoot(
  name: string,
  from: string,
): { seen: string; real: string } | undefined {
  for (const dir of [from, ...ancestors(from)]) {
    const seen = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(seen, 'package.json'))) {
      return { seen, real: fs.realpathSync(seen) };
    }
  }
  return undefined;
}

function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
    out.push(d);
  }
  return out;
}
