import type { GitCredentials } from './source';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TemplateError } from '../errors';
import { render, RenderIsolation } from './isolation';
import { parseLocation, TemplateSource } from './source';
import { readTemplateConfig } from './config';
import { SafePaths } from './paths';
import { readInstanceAnswers, runTasks, withTempDir } from './workspace';

/** @public */
export interface CopyOptions {
  /** Template source: Git URL, `gh:org/repo`, or local path; `//folder` selects a folder of the repository. */
  src: string;
  /** Folder to render into (created when missing). */
  dst: string;
  /** Any ref instead of the newest version tag. */
  vcsRef?: string;
  /** Consider pre-release tags when picking the newest version. */
  prereleases?: boolean;
  /** Answers, by question name. */
  data?: Record<string, unknown>;
  /** Use defaults for unanswered questions. */
  defaults?: boolean;
  /** Answers file path relative to `dst`, overriding the template's `_answers_file`. */
  answersFile?: string;
  /** Replace existing files that differ from the render (otherwise such files stop the copy before any write). */
  overwrite?: boolean;
  /** Run the template's `_tasks`. Never set by the portal. */
  trust?: boolean;
  /** Do not run the template's tasks even when trusted (copier's `--skip-tasks`). */
  skipTasks?: boolean;
  /**
   * Refuse, as copier does, a template with tasks when it is not trusted (the CLI); otherwise its tasks are skipped
   * with a warning (the portal, which never runs them).
   */
  requireTrust?: boolean;
  /** More `_exclude` patterns (copier's `--exclude`). */
  exclude?: string[];
  /** More `_skip_if_exists` patterns (copier's `--skip`). */
  skipIfExists?: string[];
  /** Remove `dst` when the copy fails and `dst` did not exist before (copier's default; `--no-cleanup` keeps it). */
  cleanupOnError?: boolean;
  /** Answers recorded earlier, used where `data` gives none (recopy); unlike `data`, unknown names are ignored. */
  previous?: Record<string, unknown>;
  /** The folder a relative local `src` is relative to (default: the working directory). */
  srcBase?: string;
  /** Work out what would be written without writing anything or running tasks (copier's `--pretend`). */
  dryRun?: boolean;
  /** Parent folder for temporary files. */
  tmpDir?: string;
  /** Headers that authenticate git against a remote template repository (see {@link GitCredentials}). */
  credentials?: GitCredentials;
  /** Render in a separate, locked-down process (what the portal does); in this process when omitted. */
  isolation?: RenderIsolation;
  /** An undefined variable in what the template writes is an error (`paved template check-output`). */
  strictUndefined?: boolean;
}

/** @public */
export interface CopyResult {
  srcPath: string;
  version: string;
  commit: string;
  answersFile: string;
  /** Answers as recorded in the answers file. */
  answers: Record<string, unknown>;
  /** Files written, instance-relative. */
  written: string[];
  /** Existing files kept because they match `_skip_if_exists`. */
  skipped: string[];
  /** Folders created that hold no file (the template has them empty, as copier creates them). */
  folders: string[];
  tasks: { ran: number; skipped: number };
  warnings: string[];
}

const unsupportedWarnings = (keys: string[]) =>
  keys.map(key => `copier.yml setting ${key} is not supported and was ignored`);

/**
 * Renders a template at a version with answers into `dst`, and writes the answers file.
 *
 * @public
 */
export async function copyTemplate(options: CopyOptions): Promise<CopyResult> {
  const dst = path.resolve(options.dst);
  const existed = await fs
    .stat(dst)
    .then(() => true)
    .catch(() => false);
  try {
    return await copyInto(dst, options);
  } catch (error) {
    // As copier: a copy that fails leaves no half-made folder behind, unless asked to keep it.
    if (!existed && options.cleanupOnError !== false)
      await fs.rm(dst, { recursive: true, force: true });
    throw error;
  }
}

async function copyInto(
  dst: string,
  options: CopyOptions,
): Promise<CopyResult> {
  if (options.vcsRef === ':current:')
    throw new TemplateError(
      'INVALID_INPUT',
      '--vcs-ref :current: names the version an instance records: use it with update or recopy, not copy',
    );
  return withTempDir(options.tmpDir, async work => {
    const source = new TemplateSource(
      parseLocation(options.src, options.srcBase),
      work,
      options.credentials,
    );
    const version = await source.resolve({
      vcsRef: options.vcsRef,
      prereleases: options.prereleases,
    });
    const templateDir = path.join(work, 'template');
    await source.extract(version.commit, templateDir);
    const config = await readTemplateConfig(templateDir);
    if (
      config.tasks.length &&
      !options.trust &&
      !options.skipTasks &&
      options.requireTrust
    ) {
      throw new TemplateError(
        'UNSAFE',
        `The template has ${config.tasks.length} task(s), which run commands: pass --trust to run them or --skip-tasks to copy without them`,
      );
    }
    const rendering = await render(
      {
        templateDir,
        srcPath: options.src,
        recordedVersion: version.recorded,
        commit: version.commit,
        dstPath: dst,
        answersFile: options.answersFile,
        data: options.data,
        previous: options.previous,
        defaults: options.defaults,
        strictUndefined: options.strictUndefined,
        exclude: options.exclude,
        skipIfExists: options.skipIfExists,
      },
      options.isolation,
    );

    if (!options.dryRun) await fs.mkdir(dst, { recursive: true });
    const paths = new SafePaths(options.dryRun ? dst : await fs.realpath(dst));
    const plan: Array<{
      rel: string;
      abs: string;
      write: boolean;
      replace?: boolean;
    }> = [];
    const clashes: string[] = [];
    for (const [rel, file] of rendering.files) {
      const abs = await paths.resolve(rel);
      const kind = await paths.entry(abs);
      if (kind === 'symlink') {
        // Only a preserved symlink may stand where one is; it is replaced, never followed.
        const same =
          file.symlink &&
          (await fs.readlink(abs)) === file.content.toString('utf8');
        if (!file.symlink || !(same || options.overwrite))
          throw new TemplateError(
            'UNSAFE',
            `${rel} exists in ${dst} as a symlink; refusing to replace it`,
          );
        plan.push({ rel, abs, write: !same, replace: true });
        continue;
      }
      if (kind && kind !== 'file') {
        throw new TemplateError(
          'UNSAFE',
          `${rel} exists in ${dst} as a ${kind}; refusing to replace it`,
        );
      }
      if (!kind) {
        plan.push({ rel, abs, write: true });
      } else if (
        rel !== rendering.answersFile &&
        rendering.isSkipIfExists(rel)
      ) {
        plan.push({ rel, abs, write: false });
      } else if (
        rel === rendering.answersFile ||
        options.overwrite ||
        (!file.symlink && (await fs.readFile(abs)).equals(file.content))
      ) {
        plan.push({ rel, abs, write: true, replace: file.symlink });
      } else {
        clashes.push(rel);
      }
    }
    if (clashes.length) {
      throw new TemplateError(
        'INVALID_INPUT',
        `${
          clashes.length
        } file(s) in ${dst} already exist and differ from the template (${clashes
          .slice(0, 5)
          .join(', ')}${
          clashes.length > 5 ? ', …' : ''
        }); pass --overwrite to replace them`,
      );
    }
    // Folders no file will be written into (the template has them empty, or their contents rendered away).
    const holding = new Set<string>();
    for (const rel of rendering.files.keys())
      for (
        let d = path.posix.dirname(rel);
        d !== '.';
        d = path.posix.dirname(d)
      )
        holding.add(d);
    const folders: string[] = [];
    for (const dir of rendering.dirs) {
      if (holding.has(dir)) continue;
      if (!(await paths.entry(await paths.resolve(dir)))) folders.push(dir);
    }
    const result = {
      srcPath: options.src,
      version: version.recorded,
      commit: version.commit,
      answersFile: rendering.answersFile,
      answers: rendering.answers.recorded,
      written: plan.filter(p => p.write).map(p => p.rel),
      skipped: plan.filter(p => !p.write && !p.replace).map(p => p.rel),
      folders,
    };
    if (options.dryRun)
      return {
        ...result,
        tasks: { ran: 0, skipped: 0 },
        warnings: unsupportedWarnings(rendering.config.unsupported),
      };
    for (const item of plan.filter(p => p.write)) {
      const file = rendering.files.get(item.rel)!;
      await fs.mkdir(path.dirname(item.abs), { recursive: true });
      if (item.replace) await fs.rm(item.abs, { force: true });
      if (file.symlink) {
        await fs.symlink(file.content.toString('utf8'), item.abs);
        continue;
      }
      await fs.writeFile(item.abs, file.content, {
        mode: file.executable ? 0o755 : 0o644,
      });
      // An existing file keeps its mode through writeFile; the template's mode is what copier leaves.
      await fs.chmod(item.abs, file.executable ? 0o755 : 0o644);
    }
    for (const dir of folders)
      await fs.mkdir(await paths.resolve(dir), { recursive: true });
    const tasks = options.skipTasks
      ? { ran: 0, skipped: 0 }
      : await runTasks(rendering.config.tasks, {
          trust: options.trust,
          dst,
          jinja: rendering.jinja,
          context: { ...rendering.context, _copier_operation: 'copy' },
        });
    const warnings = [
      ...unsupportedWarnings(rendering.config.unsupported),
      ...(tasks.skipped
        ? [
            `${tasks.skipped} template task(s) not run: pass --trust to run them`,
          ]
        : []),
    ];
    return { ...result, tasks, warnings };
  });
}

/** @public */
export interface RecopyOptions
  extends Omit<CopyOptions, 'src' | 'previous' | 'overwrite' | 'srcBase'> {
  /** Where to fetch the template instead of the recorded `_src_path` (which stays recorded). */
  src?: string;
}

/**
 * copier's `recopy`: renders the template again from scratch with the instance's recorded answers (plus `data`),
 * over the instance, discarding how its files evolved; `vcsRef` `:current:` keeps the recorded version. Files the
 * instance changed are overwritten (git history keeps them); `_skip_if_exists` files are kept.
 * @public
 */
export async function recopyInstance(
  options: RecopyOptions,
): Promise<CopyResult> {
  const dst = path.resolve(options.dst);
  const { answersRel, recorded } = await readInstanceAnswers(
    dst,
    options.answersFile,
  );
  const result = await copyTemplate({
    ...options,
    src: options.src ?? recorded.srcPath,
    srcBase: options.src ? undefined : dst,
    answersFile: answersRel,
    vcsRef:
      options.vcsRef === ':current:'
        ? recorded.commit ??
          fail(
            `${answersRel} records no _commit, so there is no current version`,
          )
        : options.vcsRef,
    previous: recorded.answers,
    overwrite: true,
    cleanupOnError: false,
  });
  return { ...result, srcPath: recorded.srcPath };
}

function fail(message: string): never {
  throw new TemplateError('INVALID_INPUT', message);
}
