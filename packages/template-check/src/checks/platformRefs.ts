import { execFile } from 'node:child_process';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { parse as parseYaml } from 'yaml';
import { read } from './files';
import type { CheckResult, Problem } from './types';

const run = promisify(execFile);

/**
 * The organisation's platform repository (reusable workflows, composite actions, Terraform modules released with
 * Release Please as `<component>-v<version>` tags) as a folder: a checkout with its tags, or a working tree whose
 * manifest says which release it is (this repository's `platform/`).
 * @public
 */
export interface PlatformSource {
  /** `owner/repo` the generated files name (`acme/platform`). */
  repo: string;
  dir: string;
}

/** One Release Please package of a platform folder: its path, component, current version, excluded paths. @public */
export interface ReleasePackage {
  path: string;
  component: string;
  version: string;
  exclude: string[];
}

/**
 * The Release Please packages of a platform folder, from its release-please-config.json and manifest; each is
 * released as the tag `<component>-v<version>`.
 * @public
 */
export function readReleasePackages(dir: string): ReleasePackage[] {
  const json = (f: string) =>
    JSON.parse(fsSync.readFileSync(path.join(dir, f), 'utf8'));
  const config = json('release-please-config.json');
  const manifest = json('.release-please-manifest.json');
  return Object.entries<any>(config.packages ?? {}).map(([p, c]) => ({
    path: p,
    component: String(c.component ?? c['package-name'] ?? p),
    version: String(manifest[p] ?? ''),
    exclude: (c['exclude-paths'] ?? []).map(String),
  }));
}

/** A platform folder read at one ref: the tag's commit when the checkout has it, else the working tree when the
 * manifest's version is that release. */
class PlatformTree {
  private packages: Promise<ReleasePackage[]>;
  /** The folder's path inside its checkout (`platform/`), asked of git once. */
  private prefix?: Promise<string>;

  constructor(readonly source: PlatformSource) {
    this.packages = Promise.resolve().then(() =>
      readReleasePackages(source.dir),
    );
  }

  private gitPrefix(): Promise<string> {
    this.prefix ??= run('git', ['rev-parse', '--show-prefix'], {
      cwd: this.source.dir,
      timeout: 10_000,
    }).then(r => r.stdout.trim());
    return this.prefix;
  }

  /** The release package a file belongs to: the longest package path holding it and not excluding it. */
  async packageOf(file: string): Promise<ReleasePackage | undefined> {
    const inside = (dir: string, f: string) =>
      dir === '.' || f === dir || f.startsWith(`${dir}/`);
    return (await this.packages)
      .filter(
        p => inside(p.path, file) && !p.exclude.some(e => inside(e, file)),
      )
      .sort((a, b) => b.path.length - a.path.length)[0];
  }

  /** Why `ref` is not a release of this repository, or undefined when it is. */
  async refProblem(ref: string): Promise<string | undefined> {
    if (await this.tagCommit(ref)) return undefined;
    const m = /^(.+)-v(\d+\.\d+\.\d+.*)$/.exec(ref);
    const packages = await this.packages;
    const pkg = m && packages.find(p => p.component === m[1]);
    if (!m || !pkg) {
      return `@${ref} is not a release tag of ${
        this.source.repo
      } (its releases are ${packages
        .map(p => `${p.component}-v<version>`)
        .join(', ')})`;
    }
    if (pkg.version !== m[2]) {
      return `@${ref} is not a release of ${this.source.repo}: ${pkg.component} is at v${pkg.version}`;
    }
    return undefined;
  }

  private tagCommits = new Map<string, Promise<boolean>>();

  private tagCommit(ref: string): Promise<boolean> {
    if (!this.tagCommits.has(ref)) {
      this.tagCommits.set(
        ref,
        run(
          'git',
          ['rev-parse', '--verify', '-q', `refs/tags/${ref}^{commit}`],
          { cwd: this.source.dir, timeout: 10_000 },
        ).then(
          () => true,
          () => false,
        ),
      );
    }
    return this.tagCommits.get(ref)!;
  }

  /** A file's text at `ref`, or undefined when it does not exist there. */
  async read(ref: string, file: string): Promise<string | undefined> {
    if (await this.tagCommit(ref)) {
      const prefix = await this.gitPrefix();
      return run('git', ['show', `${ref}:${prefix}${file}`], {
        cwd: this.source.dir,
        timeout: 10_000,
        maxBuffer: 8 * 1024 * 1024,
      }).then(
        r => r.stdout,
        () => undefined,
      );
    }
    return fs
      .readFile(path.join(this.source.dir, file), 'utf8')
      .catch(() => undefined);
  }

  /** The names of the `.tf` files of a module folder at `ref`. */
  async terraformFiles(ref: string, folder: string): Promise<string[]> {
    if (await this.tagCommit(ref)) {
      const prefix = await this.gitPrefix();
      const { stdout } = await run(
        'git',
        ['ls-tree', '--name-only', ref, `${prefix}${folder}/`],
        { cwd: this.source.dir, timeout: 10_000 },
      ).catch(() => ({ stdout: '' }));
      return stdout
        .split('\n')
        .filter(f => f.endsWith('.tf'))
        .map(f => path.posix.join(folder, path.posix.basename(f)));
    }
    const names = await fs
      .readdir(path.join(this.source.dir, folder))
      .catch(() => [] as string[]);
    return names
      .filter(f => f.endsWith('.tf'))
      .sort()
      .map(f => `${folder}/${f}`);
  }
}

/** One use of a platform piece in a generated file, with the arguments it passes. */
interface Reference {
  file: string;
  kind: 'workflow' | 'action' | 'module';
  repo: string;
  path: string;
  ref: string;
  /** Inputs (`with:`) or module arguments passed. */
  args: string[];
  /** Secrets passed to a reusable workflow; 'inherit' passes all. */
  secrets?: string[] | 'inherit';
  /** Outputs of a module the generated Terraform reads (`module.<name>.<output>`), with the file reading each. */
  outputs?: Array<{ name: string; file: string }>;
  /** Who uses it: `job build`, `module "ecr"`. */
  where: string;
}

const USES = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)(?:\/([^@]+))?@(.+)$/;

function workflowRefs(file: string, text: string): Reference[] {
  let doc: any;
  try {
    doc = parseYaml(text);
  } catch {
    return []; // the syntax and workflows checks report it
  }
  const refs: Reference[] = [];
  const stepRefs = (steps: unknown, where: string) => {
    for (const [i, step] of (Array.isArray(steps) ? steps : []).entries()) {
      const m = typeof step?.uses === 'string' && USES.exec(step.uses);
      if (!m) continue;
      refs.push({
        file,
        kind: 'action',
        repo: `${m[1]}/${m[2]}`,
        path: m[3] ?? '',
        ref: m[4],
        args: Object.keys(step.with ?? {}),
        where: `${where}, step ${step.name ?? step.id ?? i + 1}`,
      });
    }
  };
  for (const [id, job] of Object.entries<any>(doc?.jobs ?? {})) {
    const m = typeof job?.uses === 'string' && USES.exec(job.uses);
    if (m) {
      refs.push({
        file,
        kind: 'workflow',
        repo: `${m[1]}/${m[2]}`,
        path: m[3] ?? '',
        ref: m[4],
        args: Object.keys(job.with ?? {}),
        secrets:
          job.secrets === 'inherit'
            ? 'inherit'
            : Object.keys(job.secrets ?? {}),
        where: `job ${id}`,
      });
    }
    stepRefs(job?.steps, `job ${id}`);
  }
  // A composite action's own steps.
  stepRefs(doc?.runs?.steps, 'composite action');
  return refs;
}

const MODULE_META = new Set([
  'source',
  'version',
  'providers',
  'count',
  'for_each',
  'depends_on',
]);

async function terraformRefs(
  dir: string,
  tfFiles: string[],
): Promise<Reference[]> {
  const refs: Reference[] = [];
  const texts = await Promise.all(tfFiles.map(f => read(dir, f)));
  for (const [i, file] of tfFiles.entries()) {
    let json: any;
    try {
      json = await parseHcl(file, texts[i]);
    } catch {
      continue; // the terraform check reports it
    }
    for (const [name, blocks] of Object.entries<any[]>(json.module ?? {})) {
      for (const block of blocks) {
        const m =
          /^git::(?:https:\/\/|ssh:\/\/git@)github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?\/\/([^?]+)\?(?:.*&)?ref=([^&]+)/.exec(
            String(block.source ?? ''),
          );
        if (!m) continue;
        const outputs = new Map<string, string>();
        for (const [j, text] of texts.entries()) {
          for (const o of text.matchAll(
            new RegExp(`\\bmodule\\.${name}\\.(\\w+)`, 'g'),
          )) {
            if (!outputs.has(o[1])) outputs.set(o[1], tfFiles[j]);
          }
        }
        refs.push({
          file,
          kind: 'module',
          repo: `${m[1]}/${m[2]}`,
          path: m[3].replace(/\/$/, ''),
          ref: m[4],
          args: Object.keys(block).filter(k => !MODULE_META.has(k)),
          outputs: [...outputs].map(([n, f]) => ({ name: n, file: f })),
          where: `module "${name}"`,
        });
      }
    }
  }
  return refs;
}

/** Declared inputs of a reusable workflow or action: name → required without a default. */
function declared(inputs: unknown): Map<string, boolean> {
  return new Map(
    Object.entries<any>(inputs && typeof inputs === 'object' ? inputs : {}).map(
      ([k, v]) => [k, Boolean(v?.required) && v?.default === undefined],
    ),
  );
}

function argumentProblems(
  what: string,
  given: string[],
  inputs: Map<string, boolean>,
  noun: string,
): string[] {
  const out: string[] = [];
  for (const arg of given) {
    if (!inputs.has(arg)) {
      out.push(
        `${what} has no ${noun} "${arg}" (it takes ${
          [...inputs.keys()].join(', ') || 'none'
        })`,
      );
    }
  }
  for (const [name, required] of inputs) {
    if (required && !given.includes(name))
      out.push(`${what} needs ${noun} "${name}"`);
  }
  return out;
}

/** What is wrong with one reference: messages, each about the reference's file unless it names another. */
async function resolve(
  tree: PlatformTree,
  r: Reference,
): Promise<Array<string | { file: string; message: string }>> {
  const refProblem = await tree.refProblem(r.ref);
  if (refProblem) return [refProblem];
  const what = `${r.repo}/${r.path}@${r.ref}`;
  // The path is the generated file's text: it must name something inside the platform repository.
  if (
    !r.path ||
    r.path.startsWith('/') ||
    r.path.split('/').some(segment => segment === '..')
  )
    return [`${what}: the path must stay inside ${r.repo}`];
  const component = /^(.+)-v\d/.exec(r.ref)?.[1];
  const owner = await tree.packageOf(
    r.kind === 'action' ? `${r.path}/action.yml` : r.path,
  );
  if (owner && component && owner.component !== component) {
    return [
      `${what}: ${r.path} is released as ${owner.component}, not ${component} (use @${owner.component}-v${owner.version})`,
    ];
  }
  if (r.kind === 'workflow') {
    const text = await tree.read(r.ref, r.path);
    if (text === undefined)
      return [`${what} does not exist in ${r.repo} at ${r.ref}`];
    const on = parseYaml(text)?.on;
    const call = on && typeof on === 'object' ? on.workflow_call : undefined;
    if (call === undefined)
      return [`${what} is not a reusable workflow (no on.workflow_call)`];
    const problems = argumentProblems(
      what,
      r.args,
      declared(call?.inputs),
      'input',
    );
    if (r.secrets !== 'inherit') {
      problems.push(
        ...argumentProblems(
          what,
          r.secrets ?? [],
          declared(call?.secrets),
          'secret',
        ),
      );
    }
    return problems;
  }
  if (r.kind === 'action') {
    const text =
      (await tree.read(r.ref, `${r.path}/action.yml`)) ??
      (await tree.read(r.ref, `${r.path}/action.yaml`));
    if (text === undefined)
      return [
        `${what} does not exist in ${r.repo} at ${r.ref} (no action.yml)`,
      ];
    return argumentProblems(
      what,
      r.args,
      declared(parseYaml(text)?.inputs),
      'input',
    );
  }
  const files = await tree.terraformFiles(r.ref, r.path);
  if (!files.length)
    return [`${what}: no Terraform module at ${r.path} in ${r.repo}`];
  const variables = new Map<string, boolean>();
  const outputs = new Set<string>();
  for (const f of files) {
    const json: any = await parseHcl(f, (await tree.read(r.ref, f)) ?? '');
    for (const [name, blocks] of Object.entries<any[]>(json.variable ?? {}))
      variables.set(
        name,
        blocks.every(b => !('default' in b)),
      );
    for (const name of Object.keys(json.output ?? {})) outputs.add(name);
  }
  const problems: Array<string | { file: string; message: string }> =
    argumentProblems(what, r.args, variables, 'variable');
  for (const o of r.outputs ?? []) {
    if (!outputs.has(o.name))
      problems.push({
        file: o.file,
        message: `${what} has no output "${o.name}" (it has ${
          [...outputs].join(', ') || 'none'
        })`,
      });
  }
  return problems;
}

/**
 * References to the platform's pieces — reusable workflows (`jobs.<id>.uses`), composite actions (`steps[].uses`)
 * and Terraform modules (`git::https://github.com/<repo>.git//<path>?ref=`) — resolve to something the platform
 * repository ships at that release, and are called the way it declares: inputs, secrets and module variables that
 * exist, required ones given, module outputs read that exist, the tag of the component the path is released in.
 * With no platform configured, references to it cannot be told from third-party ones, so each `owner/repo` a
 * generated file calls that no platform source names is reported once as unresolved when it looks like the
 * organisation's (same owner as a configured platform).
 */
export async function checkPlatformRefs(
  dir: string,
  files: string[],
  platforms: PlatformSource[],
): Promise<CheckResult> {
  const workflowFiles = files.filter(
    f =>
      /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f) ||
      /(^|\/)action\.ya?ml$/.test(f),
  );
  const tfFiles = files.filter(f => f.endsWith('.tf'));
  const refs = [
    ...(
      await Promise.all(
        workflowFiles.map(async f => workflowRefs(f, await read(dir, f))),
      )
    ).flat(),
    ...(await terraformRefs(dir, tfFiles)),
  ];
  const trees = new Map(
    platforms.map(p => [p.repo.toLowerCase(), new PlatformTree(p)]),
  );
  const owners = new Set(
    platforms.map(p => p.repo.toLowerCase().split('/')[0]),
  );
  const problems: Problem[] = [];
  const checked = new Set<string>();
  for (const r of refs) {
    const tree = trees.get(r.repo.toLowerCase());
    checked.add(r.file);
    if (!tree) {
      if (owners.has(r.repo.toLowerCase().split('/')[0])) {
        problems.push({
          check: 'platform-refs',
          file: r.file,
          message: `${r.where}: ${
            r.repo
          } is not a repository the platform ships (${[...trees.keys()].join(
            ', ',
          )})`,
        });
      }
      continue;
    }
    for (const p of await resolve(tree, r)) {
      const { file, message } =
        typeof p === 'string' ? { file: r.file, message: p } : p;
      checked.add(file);
      problems.push({
        check: 'platform-refs',
        file,
        message: `${r.where}: ${message}`,
      });
    }
  }
  return {
    check: 'platform-refs',
    files: [...checked].sort(),
    problems,
  };
}
