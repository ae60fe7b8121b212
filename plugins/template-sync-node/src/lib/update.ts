import type { GitCredentials } from './source';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TemplateError } from '../errors';
import { git } from './git';
import { isTruthy } from './jinja';
import { readTemplateConfig } from './config';
import type { Migration } from './config';
import { applyOwnChange, isBinary, markUnmerged, mergeFile } from './merge';
import { SafePaths } from './paths';
import { render, RenderIsolation } from './isolation';
import type { RenderedFile, Rendering } from './render';
import { parseLocation, TemplateSource } from './source';
import { runCommand } from './tasks';
import {
  compareRecorded,
  compareVersions,
  parseRecordedVersion,
  pep440,
  pep440Of,
  RecordedVersion,
  revisionOf,
} from './versions';
import {
  readAnswers,
  readInstanceAnswers,
  runTasks,
  withTempDir,
} from './workspace';

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
  /** Target ref instead of the newest version tag; `:current:` is the recorded version (re-answer only). */
  vcsRef?: string;
  prereleases?: boolean;
  /** Changed or new answers. */
  data?: Record<string, unknown>;
  /** Use defaults for questions the instance has no answer for (new questions). */
  defaults?: boolean;
  /** Accepted for copier compatibility: recorded answers are always reused unless `data` changes them. */
  skipAnswered?: boolean;
  /**
   * Overlapping edits, as copier: `inline` conflict markers, recorded as unmerged in git's index (default); or `rej`:
   * the template's new text, with the instance's change applied where it applies and the rest in a `.rej` file.
   */
  conflict?: ConflictMode;
  /** Lines of context of the instance's change in `rej` mode (copier's `--context-lines`, default 3). */
  contextLines?: number;
  /** More `_exclude` patterns (copier's `--exclude`). */
  exclude?: string[];
  /** More `_skip_if_exists` patterns (copier's `--skip`). */
  skipIfExists?: string[];
  /** Run the template's migrations and tasks. Never set by the portal. */
  trust?: boolean;
  /** Do not run the template's tasks even when trusted (copier's `--skip-tasks`). */
  skipTasks?: boolean;
  /**
   * Refuse, as copier does, a template with tasks when it is not trusted (the CLI); otherwise its tasks are skipped
   * with a warning (the portal, which never runs them).
   */
  requireTrust?: boolean;
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
    | 'newly-excluded'
    | 'symlink-changed-both';
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
  /** Folders created (the template has them, empty ones too) and removed (emptied by the update), as copier. */
  folders: { created: string[]; removed: string[] };
  warnings: string[];
}

interface PlannedWrite {
  rel: string;
  content?: Buffer;
  executable?: boolean;
  remove?: boolean;
  symlink?: boolean;
  /** The instance has a symlink here that the write replaces. */
  replaceLink?: boolean;
  /** An inline conflict to record in git's index. */
  unmerged?: { base?: Buffer; theirs: Buffer };
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
  const { answersRel, recorded } = await readInstanceAnswers(
    dst,
    options.answersFile,
  );
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
      // copier's `:current:`: stay at the recorded version (to change answers only).
      vcsRef:
        options.vcsRef === ':current:'
          ? revisionOf(parseRecordedVersion(recorded.commit!))
          : options.vcsRef,
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
      folders: { created: [], removed: [] },
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

    // What the update would run is known from copier.yml alone, before anything is rendered: refused untrusted.
    const newConfig = await readTemplateConfig(newDir);
    const migrations = migrationsBetween(newConfig.migrations, from, to);
    if (migrations.length && !options.trust) {
      const versions = [
        ...new Set(migrations.map(m => m.version ?? 'every update')),
      ];
      throw new TemplateError(
        'UNSAFE',
        `The template has migrations (${versions.join(', ')}) between ${
          from.raw
        } and ${
          target.recorded
        }; they run commands, so the update needs --trust`,
      );
    }
    const runsTasks = newConfig.tasks.length > 0 && !options.skipTasks;
    if (runsTasks && !options.trust && options.requireTrust) {
      throw new TemplateError(
        'UNSAFE',
        `The template has ${newConfig.tasks.length} task(s), which run commands: pass --trust to run them or --skip-tasks to update without them`,
      );
    }

    const common = {
      srcPath: recorded.srcPath,
      dstPath: dst,
      answersFile: answersRel,
      operation: 'update' as const,
      exclude: options.exclude,
      skipIfExists: options.skipIfExists,
    };
    const oldRender = await render(
      {
        ...common,
        templateDir: oldDir,
        recordedVersion: from.raw,
        commit: oldCommit,
        previous: recorded.answers,
        defaults: true,
        replay: true,
      },
      options.isolation,
    );

    const migrationVars = {
      _version_from: from.raw,
      _version_to: target.recorded,
      _version_pep440_from: pep440Of(from),
      _version_pep440_to: pep440Of(to),
      _copier_operation: 'update',
    };
    const runMigrations = async (
      stage: 'before' | 'after',
      context: Record<string, unknown>,
      jinja: Rendering['jinja'],
      done: string[],
    ) => {
      for (const m of migrations) {
        const vars: Record<string, unknown> = {
          ...migrationVars,
          _stage: stage,
          ...(m.version
            ? {
                _version_current: m.version,
                _version_pep440_current: pep440(m.version),
              }
            : {}),
        };
        const ctx = { ...context, ...vars };
        const name = `migration ${m.version ?? '(every update)'}`;
        let runs = m.stage === stage;
        if (m.stage === 'any') {
          if (m.when === undefined) runs = stage === 'after';
          else if (typeof m.when === 'boolean') runs = m.when;
          else
            runs = isTruthy(jinja.render(String(m.when), ctx, `${name} when`));
        }
        if (!runs) continue;
        const cwd = m.workingDirectory
          ? await new SafePaths(dst).resolve(
              jinja.render(
                m.workingDirectory,
                ctx,
                `${name} working_directory`,
              ),
            )
          : dst;
        await runCommand(
          jinja.renderValue(m.command, ctx, name),
          cwd,
          envOf(vars),
        );
        done.push(`${m.version ?? '*'} ${stage}`);
      }
    };

    // copier runs "before" migrations before it reads the answers for the new version: what they change in the
    // answers file is what the new version is rendered with.
    const ranMigrations: string[] = [];
    let previous = recorded.answers;
    if (migrations.length && !options.dryRun) {
      await runMigrations(
        'before',
        { ...oldRender.context },
        oldRender.jinja,
        ranMigrations,
      );
      previous = (await readAnswers(dst, answersRel)).answers;
    }
    const newRender = await render(
      {
        ...common,
        templateDir: newDir,
        recordedVersion: target.recorded,
        commit: target.commit,
        data,
        previous,
        defaults: options.defaults,
      },
      options.isolation,
    );

    const merge = await planMerge(dst, work, oldRender, newRender, {
      mode: options.conflict ?? 'inline',
      contextLines: options.contextLines ?? 3,
    });
    const report: UpdateReport = {
      ...base,
      changes: merge.changes,
      kept: merge.kept,
      conflicts: merge.changes.filter(c => c.status === 'conflict').length,
      migrations: ranMigrations,
      folders: { created: merge.createDirs, removed: [] },
      warnings: newRender.config.unsupported.map(
        key => `copier.yml setting ${key} is not supported and was ignored`,
      ),
    };
    if (options.dryRun) return report;

    report.folders = await applyWrites(merge, newRender, oldRender);
    await recordConflicts(dst, merge.writes);
    await runMigrations(
      'after',
      newRender.context,
      newRender.jinja,
      report.migrations,
    );
    report.tasks = options.skipTasks
      ? { ran: 0, skipped: 0 }
      : await runTasks(newRender.config.tasks, {
          trust: options.trust,
          dst,
          jinja: newRender.jinja,
          context: { ...newRender.context, _copier_operation: 'update' },
        });
    if (report.tasks.skipped)
      report.warnings.push(
        `${report.tasks.skipped} template task(s) not run: pass --trust to run them`,
      );
    return report;
  });
}

/** The migrations an update from `from` to `to` runs, as copier picks them: to >= version > from (PEP 440). */
function migrationsBetween(
  all: Migration[],
  from: RecordedVersion,
  to: RecordedVersion,
): Migration[] {
  if (!from.version || !to.version) return [];
  return all.filter(
    m =>
      m.version === undefined ||
      (compareVersions(m.version, from.version!) > 0 &&
        compareVersions(m.version, to.version!) <= 0),
  );
}

/** copier's environment for migrations: each `_variable` as `VARIABLE` (`VERSION_PEP440_FROM`, `STAGE`, …). */
function envOf(vars: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(vars)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.slice(1).toUpperCase(), String(v)]),
  );
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

/** No file's bytes start with this: it marks a symlink's target in three-way comparisons. */
const LINK = Buffer.from('\0paved-symlink\0');

async function planMerge(
  dst: string,
  work: string,
  oldRender: Rendering,
  newRender: Rendering,
  options: { mode: ConflictMode; contextLines: number },
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
      const old = oldRender.files.get(rel);
      const next = newRender.files.get(rel);
      // An instance's symlink is only ever replaced or kept, never followed; and only where the template has one.
      if (kind === 'symlink' && !old?.symlink && !next?.symlink) {
        throw new TemplateError(
          'UNSAFE',
          `${rel} is a symlink in the instance; Paved does not update through symlinks`,
        );
      }
      if (kind && kind !== 'file' && kind !== 'symlink') {
        throw new TemplateError(
          'INVALID_INPUT',
          `${rel} is a ${kind} in the instance where the template has a file`,
        );
      }
      // Each side as one comparable value: a file's bytes, or a symlink's target with a prefix no file starts with.
      const value = (f: RenderedFile | undefined) =>
        f && (f.symlink ? Buffer.concat([LINK, f.content]) : f.content);
      const base = value(old);
      const theirs = value(next);
      let ours: Buffer | undefined;
      let oursExecutable = false;
      if (kind === 'symlink')
        ours = Buffer.concat([LINK, Buffer.from(await fs.readlink(abs))]);
      else if (kind === 'file') {
        const [content, stat] = await Promise.all([
          fs.readFile(abs),
          fs.stat(abs),
        ]);
        ours = content;
        oursExecutable = (stat.mode & 0o111) !== 0;
      }
      const links = Boolean(
        old?.symlink || next?.symlink || kind === 'symlink',
      );
      // The executable bit merges three ways too: the instance's change wins, else the template's.
      let executable: boolean | undefined;
      if (next && !next.symlink) {
        const changedHere =
          kind === 'file' &&
          oursExecutable !== (old?.executable ?? oursExecutable);
        executable = changedHere ? oursExecutable : next.executable;
      }
      const write = (
        status: FileStatus,
        content: Buffer,
        conflict?: FileChange['conflict'],
      ) => {
        writes.push({
          rel,
          content: next?.symlink ? next.content : content,
          executable,
          symlink: next?.symlink,
          replaceLink: kind === 'symlink',
        });
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
        // copier: a `_skip_if_exists` file is always there; one deleted locally is created again.
        if (base === undefined || newRender.isSkipIfExists(rel))
          write('added', theirs);
        else kept.push({ path: rel, reason: 'deleted-locally' });
        return;
      }
      if (eq(ours, theirs)) {
        if (executable !== undefined && executable !== oursExecutable)
          write('modified', theirs); // only the mode changed
        return;
      }
      if (newRender.isSkipIfExists(rel)) {
        kept.push({ path: rel, reason: 'skip-if-exists' });
        return;
      }
      if (eq(ours, base)) {
        write('modified', theirs);
        return;
      }
      if (eq(theirs, base)) {
        if (executable !== undefined && executable !== oursExecutable)
          write('modified', ours); // only the instance changed the text; the template changed the mode
        return;
      }
      if (links) {
        kept.push({ path: rel, reason: 'symlink-changed-both' });
        return;
      }
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
      else if (options.mode === 'inline') {
        write('conflict', merged.content, 'inline');
        writes[writes.length - 1].unmerged = { base, theirs };
      } else {
        // copier's rej: the template's text lands; the instance's change is applied where it still applies, and
        // what does not apply waits in the .rej file.
        const applied = await applyOwnChange(
          mergeDir,
          rel,
          base ?? Buffer.alloc(0),
          ours,
          theirs,
          options.contextLines,
        );
        if (!applied.rejected) {
          write('modified', applied.content);
          return;
        }
        write('conflict', applied.content, 'rej');
        writes.push({ rel: `${rel}.rej`, content: applied.rejected });
      }
    }),
  );

  // Folders the new version has (empty ones too) that the instance lacks.
  const createDirs: string[] = [];
  for (const dir of newRender.dirs) {
    if (!(await paths.entry(await paths.resolve(dir)))) createDirs.push(dir);
  }

  const answers = newRender.files.get(newRender.answersFile)!;
  writes.push({ rel: newRender.answersFile, content: answers.content });
  changes.sort((a, b) => a.path.localeCompare(b.path));
  kept.sort((a, b) => a.path.localeCompare(b.path));
  return { changes, kept, writes, paths, createDirs };
}

/**
 * Writes an update, then tidies folders as copier does: creates the new version's folders (empty ones too) and
 * removes the folders the update emptied, up to the instance's root, unless the new version has them.
 */
async function applyWrites(
  plan: { writes: PlannedWrite[]; paths: SafePaths; createDirs: string[] },
  newRender: Rendering,
  oldRender: Rendering,
): Promise<UpdateReport['folders']> {
  const { writes, paths } = plan;
  const emptied = new Set<string>();
  for (const item of writes) {
    const abs = await paths.resolve(item.rel);
    if (item.remove) {
      await fs.rm(abs, { force: true });
      for (
        let d = path.posix.dirname(item.rel);
        d !== '.';
        d = path.posix.dirname(d)
      )
        emptied.add(d);
      continue;
    }
    await fs.mkdir(path.dirname(abs), { recursive: true });
    // Never write through a symlink: it is replaced, not followed.
    if (item.symlink || item.replaceLink) await fs.rm(abs, { force: true });
    if (item.symlink) {
      await fs.symlink(item.content!.toString('utf8'), abs);
      continue;
    }
    await fs.writeFile(abs, item.content!);
    if (item.executable !== undefined)
      await fs.chmod(abs, item.executable ? 0o755 : 0o644);
  }
  for (const dir of plan.createDirs)
    await fs.mkdir(await paths.resolve(dir), { recursive: true });
  const keep = new Set(newRender.dirs);
  for (const dir of oldRender.dirs) if (!keep.has(dir)) emptied.add(dir);
  const removed: string[] = [];
  // Deepest first, so a parent is looked at after its children.
  for (const dir of [...emptied].sort(
    (a, b) => b.split('/').length - a.split('/').length || a.localeCompare(b),
  )) {
    if (keep.has(dir)) continue;
    const abs = await paths.resolve(dir);
    if ((await paths.entry(abs)) !== 'directory') continue;
    if ((await fs.readdir(abs)).length) continue;
    await fs.rmdir(abs);
    removed.push(dir);
  }
  return { created: plan.createDirs, removed: removed.sort() };
}

/** Inline conflicts are recorded as unmerged in git's index, as copier records them. */
async function recordConflicts(dst: string, writes: PlannedWrite[]) {
  const conflicted = writes.filter(w => w.unmerged);
  if (!conflicted.length) return;
  const top = (
    await git(['rev-parse', '--show-toplevel'], { cwd: dst })
  ).trim();
  const prefix = path.relative(await fs.realpath(top), dst);
  await markUnmerged(
    top,
    conflicted.map(w => ({
      path: prefix ? `${prefix.split(path.sep).join('/')}/${w.rel}` : w.rel,
      base: w.unmerged!.base,
      theirs: w.unmerged!.theirs,
      executable: w.executable,
    })),
  );
}
