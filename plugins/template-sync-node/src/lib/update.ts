import type { GitCredentials } from './source';
import fs from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { DEFAULT_ANSWERS_FILE } from '@paved/plugin-paved-common';
import { TemplateError } from '../errors';
import { git } from './git';
import { isTruthy } from './jinja';
import { isBinary, mergeFile, templateDiff } from './merge';
import { normaliseRelative, SafePaths } from './paths';
import { render, RenderIsolation } from './isolation';
import type { Rendering } from './render';
import { parseLocation, TemplateSource } from './source';
import { runCommand } from './tasks';
import { compareRecorded, parseRecordedVersion, revisionOf } from './versions';
import { readAnswers, runTasks, withTempDir } from './workspace';

/** @public */
export type ConflictMode = 'inline' | 'rej';

/** @public */
export interface UpdateOptions {
  /** The instance's root folder, inside a Git work tree. */
  dst: string;
  /** Answers file, relative to `dst` (default `.copier-answers.yml`). */
  answersFile?: string;
  /**
   * Where to fetch the template from instead of the recorded `_src_path` (which stays recorded as it is): the caller's
   * checked, canonical spelling of it, so what an allow-list approved is what git fetches.
   */
  src?: string;
  /** Target ref instead of the newest version tag. */
  vcsRef?: string;
  prereleases?: boolean;
  /** Changed or new answers. */
  data?: Record<string, unknown>;
  /** Use defaults for questions the instance has no answer for (new questions). */
  defaults?: boolean;
  /** Accepted for copier compatibility: recorded answers are always reused unless `data` changes them. */
  skipAnswered?: boolean;
  /** Overlapping edits: inline conflict markers (default) or `.rej` files beside the untouched file. */
  conflict?: ConflictMode;
  /** Run the template's migrations and tasks. Never set by the portal. */
  trust?: boolean;
  /** Work out the result without writing anything. */
  dryRun?: boolean;
  tmpDir?: string;
  /** Headers that authenticate git against a remote template repository (see {@link GitCredentials}). */
  credentials?: GitCredentials;
  /** Render in a separate, locked-down process (what the portal does); in this process when omitted. */
  isolation?: RenderIsolation;
}

/** @public */
export type FileStatus = 'added' | 'modified' | 'deleted' | 'conflict';

/** @public */
export interface FileChange {
  path: string;
  status: FileStatus;
  /** For conflicts: how it is presented (`inline` markers, a `.rej` file, a `binary` pair, or `deleted` upstream while edited here). */
  conflict?: 'inline' | 'rej' | 'binary';
}

/** @public */
export interface KeptFile {
  path: string;
  reason:
    | 'deleted-locally'
    | 'skip-if-exists'
    | 'edited-locally-deleted-upstream'
    | 'newly-excluded';
}

/** What an update did (or, with `dryRun`, would do). JSON-friendly for pull request text. @public */
export interface UpdateReport {
  srcPath: string;
  answersFile: string;
  from: string;
  to: string;
  upToDate: boolean;
  answersChanged: string[];
  changes: FileChange[];
  kept: KeptFile[];
  conflicts: number;
  migrations: string[];
  tasks: { ran: number; skipped: number };
  warnings: string[];
}

interface PlannedWrite {
  rel: string;
  content?: Buffer;
  executable?: boolean;
  remove?: boolean;
}

const eq = (a: Buffer | undefined, b: Buffer | undefined) =>
  a === undefined ? b === undefined : b !== undefined && a.equals(b);

/**
 * Updates one template instance to a newer template version: renders the recorded version with the recorded answers
 * and the target version with the recorded plus changed answers, and carries the instance's own edits onto the new
 * render with a three-way merge. Refuses (before any write) a dirty instance, a downgrade, symlinks and paths that
 * leave the instance.
 * @public
 */
export async function updateInstance(
  options: UpdateOptions,
): Promise<UpdateReport> {
  const dst = await fs.realpath(path.resolve(options.dst)).catch(() => {
    throw new TemplateError('NOT_FOUND', `${options.dst} does not exist`);
  });
  const answersRel = normaliseRelative(
    options.answersFile ?? DEFAULT_ANSWERS_FILE,
    'Answers file',
  );
  const recorded = await readAnswers(dst, answersRel);
  if (!recorded.commit) {
    throw new TemplateError(
      'INVALID_INPUT',
      `${answersRel} records no _commit: the instance was not made from a versioned template, so there is nothing to update from`,
    );
  }
  await assertClean(dst);

  return withTempDir(options.tmpDir, async work => {
    const location = parseLocation(options.src ?? recorded.srcPath, dst);
    const source = new TemplateSource(location, work, options.credentials);
    const target = await source.resolve({
      vcsRef: options.vcsRef,
      prereleases: options.prereleases,
    });
    const from = parseRecordedVersion(recorded.commit!);
    const to = parseRecordedVersion(target.recorded);
    const order = compareRecorded(to, from);
    if (order !== undefined && order < 0) {
      throw new TemplateError(
        'DOWNGRADE',
        `${answersRel} is at ${from.raw}; updating to ${to.raw} would be a downgrade`,
      );
    }
    const data = options.data ?? {};
    const answersChanged = Object.keys(data).filter(
      k => JSON.stringify(data[k]) !== JSON.stringify(recorded.answers[k]),
    );
    const base: UpdateReport = {
      srcPath: recorded.srcPath,
      answersFile: answersRel,
      from: from.raw,
      to: target.recorded,
      upToDate: false,
      answersChanged,
      changes: [],
      kept: [],
      conflicts: 0,
      migrations: [],
      tasks: { ran: 0, skipped: 0 },
      warnings: [],
    };
    if (target.recorded === from.raw && !answersChanged.length) {
      return { ...base, upToDate: true };
    }

    const oldDir = path.join(work, 'old');
    const newDir = path.join(work, 'new');
    const [oldCommit] = await Promise.all([
      source
        .resolve({ vcsRef: revisionOf(from), prereleases: true })
        .then(async v => {
          await source.extract(v.commit, oldDir);
          return v.commit;
        }),
      source.extract(target.commit, newDir),
    ]);
    const common = {
      srcPath: recorded.srcPath,
      dstPath: dst,
      answersFile: answersRel,
    };
    const [oldRender, newRender] = await Promise.all([
      render(
        {
          ...common,
          templateDir: oldDir,
          recordedVersion: from.raw,
          commit: oldCommit,
          previous: recorded.answers,
          defaults: true,
        },
        options.isolation,
      ),
      render(
        {
          ...common,
          templateDir: newDir,
          recordedVersion: target.recorded,
          commit: target.commit,
          data,
          previous: recorded.answers,
          defaults: options.defaults,
        },
        options.isolation,
      ),
    ]);

    const migrations = newRender.config.migrations.filter(m => {
      const v = semver.parse(m.version);
      return (
        v &&
        from.version &&
        to.version &&
        semver.gt(v, from.version) &&
        semver.lte(v, to.version)
      );
    });
    if (migrations.length && !options.trust) {
      throw new TemplateError(
        'UNSAFE',
        `The template has migrations for ${[
          ...new Set(migrations.map(m => m.version)),
        ].join(', ')} between ${from.raw} and ${
          target.recorded
        }; they run commands, so the update needs --trust`,
      );
    }

    const merge = await planMerge(
      dst,
      work,
      oldRender,
      newRender,
      options.conflict ?? 'inline',
    );
    const report: UpdateReport = {
      ...base,
      changes: merge.changes,
      kept: merge.kept,
      conflicts: merge.changes.filter(c => c.status === 'conflict').length,
      warnings: newRender.config.unsupported.map(
        key => `copier.yml setting ${key} is not supported and was ignored`,
      ),
    };
    if (options.dryRun) return report;

    const env = {
      VERSION_FROM: from.raw,
      VERSION_TO: target.recorded,
      VERSION_CURRENT: from.raw,
    };
    const runMigrations = async (stage: 'before' | 'after') => {
      const context = {
        ...newRender.context,
        _stage: stage,
        _version_from: from.raw,
        _version_to: target.recorded,
      };
      for (const m of migrations) {
        let runs = m.stage === stage;
        if (m.stage === 'any') {
          runs =
            m.when === undefined
              ? stage === 'after'
              : isTruthy(
                  newRender.jinja.render(
                    String(m.when),
                    context,
                    `migration ${m.version} when`,
                  ),
                );
        }
        if (!runs) continue;
        await runCommand(
          newRender.jinja.renderValue(
            m.command,
            context,
            `migration ${m.version}`,
          ),
          dst,
          { ...env, STAGE: stage },
        );
        report.migrations.push(`${m.version} ${stage}`);
      }
    };
    await runMigrations('before');
    await applyWrites(merge.writes, merge.paths);
    await runMigrations('after');
    report.tasks = await runTasks(newRender.config.tasks, {
      trust: options.trust,
      dst,
      jinja: newRender.jinja,
      context: newRender.context,
    });
    if (report.tasks.skipped)
      report.warnings.push(
        `${report.tasks.skipped} template task(s) not run: pass --trust to run them`,
      );
    return report;
  });
}

async function assertClean(dst: string): Promise<void> {
  let status: string;
  try {
    status = await git(
      ['status', '--porcelain', '--untracked-files=all', '--', '.'],
      { cwd: dst },
    );
  } catch {
    throw new TemplateError(
      'INVALID_INPUT',
      `${dst} is not inside a Git work tree; update needs the instance committed to Git`,
    );
  }
  if (status.trim()) {
    const files = status.trim().split('\n');
    throw new TemplateError(
      'DIRTY',
      `${dst} has uncommitted changes (${files
        .slice(0, 5)
        .map(l => l.slice(3))
        .join(', ')}${
        files.length > 5 ? ', …' : ''
      }); commit or stash them first`,
    );
  }
}

async function planMerge(
  dst: string,
  work: string,
  oldRender: Rendering,
  newRender: Rendering,
  mode: ConflictMode,
) {
  const paths = new SafePaths(dst);
  const changes: FileChange[] = [];
  const kept: KeptFile[] = [];
  const writes: PlannedWrite[] = [];
  const all = [
    ...new Set([...oldRender.files.keys(), ...newRender.files.keys()]),
  ].sort();
  const mergeDir = path.join(work, 'merge');
  await fs.mkdir(mergeDir);

  await Promise.all(
    all.map(async rel => {
      if (rel === newRender.answersFile) return;
      const abs = await paths.resolve(rel);
      const kind = await paths.entry(abs);
      if (kind === 'symlink') {
        throw new TemplateError(
          'UNSAFE',
          `${rel} is a symlink in the instance; Paved does not update through symlinks`,
        );
      }
      if (kind && kind !== 'file') {
        throw new TemplateError(
          'INVALID_INPUT',
          `${rel} is a ${kind} in the instance where the template has a file`,
        );
      }
      const base = oldRender.files.get(rel)?.content;
      const next = newRender.files.get(rel);
      const theirs = next?.content;
      const ours = kind ? await fs.readFile(abs) : undefined;
      const write = (
        status: FileStatus,
        content: Buffer,
        conflict?: FileChange['conflict'],
      ) => {
        writes.push({ rel, content, executable: next?.executable });
        changes.push({ path: rel, status, ...(conflict ? { conflict } : {}) });
      };

      if (theirs === undefined) {
        if (ours === undefined) return;
        if (newRender.isExcluded(rel))
          kept.push({ path: rel, reason: 'newly-excluded' });
        else if (eq(ours, base)) {
          writes.push({ rel, remove: true });
          changes.push({ path: rel, status: 'deleted' });
        } else
          kept.push({ path: rel, reason: 'edited-locally-deleted-upstream' });
        return;
      }
      if (ours === undefined) {
        if (base === undefined) write('added', theirs);
        else kept.push({ path: rel, reason: 'deleted-locally' });
        return;
      }
      if (eq(ours, theirs)) return;
      if (newRender.isSkipIfExists(rel)) {
        kept.push({ path: rel, reason: 'skip-if-exists' });
        return;
      }
      if (eq(ours, base)) {
        write('modified', theirs);
        return;
      }
      if (eq(theirs, base)) return; // only the instance changed it
      if (isBinary(ours) || isBinary(theirs) || (base && isBinary(base))) {
        // Never silently revert the instance's binary: keep it, put the template's beside it.
        writes.push({ rel: `${rel}.rej`, content: theirs });
        changes.push({ path: rel, status: 'conflict', conflict: 'binary' });
        return;
      }
      const merged = await mergeFile(
        mergeDir,
        base ?? Buffer.alloc(0),
        ours,
        theirs,
      );
      if (!merged.conflicts) write('modified', merged.content);
      else if (mode === 'inline') write('conflict', merged.content, 'inline');
      else {
        writes.push({
          rel: `${rel}.rej`,
          content: Buffer.from(
            await templateDiff(mergeDir, rel, base ?? Buffer.alloc(0), theirs),
          ),
        });
        changes.push({ path: rel, status: 'conflict', conflict: 'rej' });
      }
    }),
  );

  const answers = newRender.files.get(newRender.answersFile)!;
  writes.push({ rel: newRender.answersFile, content: answers.content });
  changes.sort((a, b) => a.path.localeCompare(b.path));
  kept.sort((a, b) => a.path.localeCompare(b.path));
  return { changes, kept, writes, paths };
}

async function applyWrites(
  writes: PlannedWrite[],
  paths: SafePaths,
): Promise<void> {
  for (const item of writes) {
    const abs = await paths.resolve(item.rel);
    if (item.remove) {
      await fs.rm(abs, { force: true });
      continue;
    }
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, item.content!);
    if (item.executable !== undefined)
      await fs.chmod(abs, item.executable ? 0o755 : 0o644);
  }
}
