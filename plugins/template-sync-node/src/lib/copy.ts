import type { GitCredentials } from './source';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TemplateError } from '../errors';
import { render, RenderIsolation } from './isolation';
import { SafePaths } from './paths';
import { parseLocation, TemplateSource } from './source';
import { runTasks, withTempDir } from './workspace';

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
  tasks: { ran: number; skipped: number };
  warnings: string[];
}

/** Renders a template at a version with answers into `dst`, and writes the answers file. */
export async function copyTemplate(options: CopyOptions): Promise<CopyResult> {
  const dst = path.resolve(options.dst);
  return withTempDir(options.tmpDir, async work => {
    const source = new TemplateSource(
      parseLocation(options.src),
      work,
      options.credentials,
    );
    const version = await source.resolve({
      vcsRef: options.vcsRef,
      prereleases: options.prereleases,
    });
    const templateDir = path.join(work, 'template');
    await source.extract(version.commit, templateDir);
    const rendering = await render(
      {
        templateDir,
        srcPath: options.src,
        recordedVersion: version.recorded,
        commit: version.commit,
        dstPath: dst,
        answersFile: options.answersFile,
        data: options.data,
        defaults: options.defaults,
        strictUndefined: options.strictUndefined,
      },
      options.isolation,
    );

    await fs.mkdir(dst, { recursive: true });
    const paths = new SafePaths(await fs.realpath(dst));
    const plan: Array<{ rel: string; abs: string; write: boolean }> = [];
    const clashes: string[] = [];
    for (const [rel, file] of rendering.files) {
      const abs = await paths.resolve(rel);
      const kind = await paths.entry(abs);
      if (kind === 'symlink' || (kind && kind !== 'file')) {
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
        (await fs.readFile(abs)).equals(file.content)
      ) {
        plan.push({ rel, abs, write: true });
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
    for (const item of plan.filter(p => p.write)) {
      const file = rendering.files.get(item.rel)!;
      await fs.mkdir(path.dirname(item.abs), { recursive: true });
      await fs.writeFile(item.abs, file.content, {
        mode: file.executable ? 0o755 : 0o644,
      });
    }
    const tasks = await runTasks(rendering.config.tasks, {
      trust: options.trust,
      dst,
      jinja: rendering.jinja,
      context: rendering.context,
    });
    const warnings = [
      ...rendering.config.unsupported.map(
        key => `copier.yml setting ${key} is not supported and was ignored`,
      ),
      ...(tasks.skipped
        ? [
            `${tasks.skipped} template task(s) not run: pass --trust to run them`,
          ]
        : []),
    ];
    return {
      srcPath: options.src,
      version: version.recorded,
      commit: version.commit,
      answersFile: rendering.answersFile,
      answers: rendering.answers.recorded,
      written: plan.filter(p => p.write).map(p => p.rel),
      skipped: plan.filter(p => !p.write).map(p => p.rel),
      tasks,
      warnings,
    };
  });
}
