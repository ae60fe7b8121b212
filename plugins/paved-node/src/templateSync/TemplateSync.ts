import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AnswersFileError,
  DEFAULT_ANSWERS_FILE,
  isSafeRelativePath,
  parseAnswersFile,
} from '@paved/plugin-paved-common';
import {
  cloneRepository,
  copyTemplate,
  type CopyResult,
  type FileChange as TemplateFileChange,
  type GitCredentials,
  latestVersion,
  setCommandTimeout,
  TemplateError,
  updateInstance,
} from '@paved/plugin-template-sync-node';
import type { FileChange, GitProvider, PullRequestState } from '../git/types';
import {
  readTemplateSyncSettings,
  syncBranch,
  type TemplateSyncSettings,
} from './config';
import { canonicalSource, isAllowedSource } from './sources';
import { writeProvenance } from './catalogInfo';
import { gitCredentialsFromConfig } from './credentials';
import { pullRequestText, templateName } from './pullRequestText';

const exec = promisify(execFile);

/** What rendering a template into a folder did. @public */
export type TemplateRender = CopyResult;

/** One instance to update: where it lives and which version to go to. @public */
export interface InstanceUpdateRequest {
  /** Repository URL as a browser shows it. */
  repoUrl: string;
  /** Repository-relative path of the answers file; the instance is the folder that holds it. */
  answersFile?: string;
  /** Base branch; the repository's default branch when omitted. */
  baseBranch?: string;
  /** Target version (tag or ref); the newest version tag when omitted. */
  version?: string;
  /** The instance's open pull request as a batch read saw it, so a resolved conflict can leave draft. */
  existingPullRequest?: PullRequestState;
  /** Work out the update without opening or changing a pull request. */
  dryRun?: boolean;
}

/** What updating an instance did (or, dry, would do). @public */
export interface InstanceUpdateResult {
  repoUrl: string;
  answersFile: string;
  srcPath: string;
  from: string;
  to: string;
  upToDate: boolean;
  branch: string;
  changes: TemplateFileChange[];
  /** Every repository path the update writes or deletes (the answers file and provenance included). */
  files: string[];
  conflicts: number;
  /** False when the pull request branch already held this update. */
  changed: boolean;
  pullRequest?: {
    number: number;
    url: string;
    created: boolean;
    draft?: boolean;
    labels?: string[];
  };
}

/** Engine refusals as Backstage errors: bad input, missing things, or a state that conflicts. */
function asBackstageError(error: unknown): unknown {
  if (!(error instanceof TemplateError)) return error;
  switch (error.code) {
    case 'NOT_FOUND':
      return new NotFoundError(error.message);
    case 'DIRTY':
    case 'DOWNGRADE':
      return new ConflictError(error.message);
    case 'UNAVAILABLE':
      return new ServiceUnavailableError(error.message);
    default:
      return new InputError(error.message);
  }
}

async function mapErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asBackstageError(error);
  }
}

/** A repository-relative answers file path (default `.copier-answers.yml`), or an InputError. */
function checkedAnswersFile(answersFile = DEFAULT_ANSWERS_FILE): string {
  if (!isSafeRelativePath(answersFile) || !/\.ya?ml$/.test(answersFile)) {
    throw new InputError(
      `answersFile "${answersFile}" must be a YAML file path inside the repository, without ".."`,
    );
  }
  return answersFile;
}

/**
 * Reads a file of a cloned repository, refusing one that is (or lies under) a symlink leading out of the clone: a
 * repository's answers file must never make the backend read its own files.
 */
async function readInside(
  root: string,
  file: string,
  what: string,
): Promise<string> {
  const [realRoot, real] = await Promise.all([
    fs.realpath(root),
    fs.realpath(file),
  ]);
  if (!real.startsWith(realRoot + path.sep)) {
    throw new InputError(
      `${what} is a symlink that leads outside the repository; refusing to read it`,
    );
  }
  return fs.readFile(real, 'utf8');
}

/** Text when the bytes are UTF-8 without NUL, base64 otherwise. */
function fileContent(bytes: Buffer): Pick<FileChange, 'content' | 'encoding'> {
  const text = bytes.toString('utf8');
  if (!bytes.includes(0) && Buffer.from(text, 'utf8').equals(bytes)) {
    return { content: text };
  }
  return { content: bytes.toString('base64'), encoding: 'base64' };
}

/**
 * Template sync for Backstage: renders allowed template sources into scaffolder workspaces, resolves their latest
 * versions, and updates instances in their repositories through one pull request each (never merged). Git runs with
 * credentials from Backstage's GitHub integrations; template tasks and migrations never run here, and every render
 * runs in a separate render process (no environment, no credentials, read access to the template only).
 * @public
 */
export class TemplateSync {
  static fromConfig(
    config: Config,
    options: { git: GitProvider; logger: LoggerService; tmpDir?: string },
  ): TemplateSync {
    // One limit for every git subprocess of the engine in this backend (clone, ls-remote, archive, merge-file).
    setCommandTimeout(
      config.getOptionalNumber('paved.git.commandTimeoutMs') ?? 60_000,
    );
    return new TemplateSync(
      readTemplateSyncSettings(config),
      gitCredentialsFromConfig(config),
      options.git,
      options.logger,
      options.tmpDir,
    );
  }

  constructor(
    readonly settings: TemplateSyncSettings,
    private readonly credentials: GitCredentials,
    private readonly git: GitProvider,
    private readonly logger: LoggerService,
    private readonly tmpDir = os.tmpdir(),
  ) {}

  /**
   * Refuses a source outside `paved.templateSync.allowedSources` (both compared in canonical form) and returns the
   * canonical spelling, which is what git fetches: the decision and the fetch see the same URL.
   */
  assertAllowed(source: string): string {
    const canonical = canonicalSource(source).source;
    if (!isAllowedSource(canonical, this.settings.allowedSources)) {
      throw new InputError(
        `Template source ${canonical} is not allowed: add it (or a prefix of it) to paved.templateSync.allowedSources`,
      );
    }
    return canonical;
  }

  /** The source of a template named under `paved.templateSync.templates`. */
  sourceOf(name: string): string {
    const source = this.settings.templates[name];
    if (!source) {
      const known = Object.keys(this.settings.templates);
      throw new InputError(
        `No template "${name}" under paved.templateSync.templates${
          known.length ? ` (configured: ${known.join(', ')})` : ''
        }`,
      );
    }
    return source;
  }

  /** The pull-request branch of an instance. */
  branchFor(answersFile: string): string {
    return syncBranch(this.settings.pullRequest.branchPrefix, answersFile);
  }

  /** The newest version tag of an allowed source (one `git ls-remote`). */
  async latestVersion(source: string): Promise<string> {
    const canonical = this.assertAllowed(source);
    return mapErrors(async () => {
      const v = await latestVersion(canonical, {
        prereleases: this.settings.prereleases,
        credentials: this.credentials,
      });
      return v.recorded;
    });
  }

  /**
   * Renders an allowed source at `version` (default: newest tag) with `values` into `targetDir`, writing the answers
   * file. Refuses, before any write, files in the way that differ from the render (unless `overwrite`).
   */
  async render(options: {
    source: string;
    targetDir: string;
    version?: string;
    values?: Record<string, unknown>;
    answersFile?: string;
    overwrite?: boolean;
  }): Promise<TemplateRender> {
    const src = this.assertAllowed(options.source);
    return mapErrors(() =>
      copyTemplate({
        src,
        dst: options.targetDir,
        vcsRef: options.version,
        prereleases: this.settings.prereleases,
        data: options.values,
        defaults: true,
        answersFile: options.answersFile,
        overwrite: options.overwrite,
        trust: false,
        tmpDir: this.tmpDir,
        credentials: this.credentials,
        isolation: this.settings.render,
      }),
    );
  }

  /**
   * Updates one instance in its repository: a shallow clone of the base branch, the engine's three-way update, and
   * the changed files as one commit on the instance's branch with one pull request (opened, or refreshed when the
   * template moved again). Conflicts are committed as markers, labelled, and (by default) drafted.
   */
  async updateInstance(
    request: InstanceUpdateRequest,
  ): Promise<InstanceUpdateResult> {
    const answersFile = checkedAnswersFile(request.answersFile);
    const branch = this.branchFor(answersFile);
    const work = await fs.mkdtemp(path.join(this.tmpDir, 'paved-sync-'));
    try {
      const repoDir = path.join(work, 'repo');
      await mapErrors(() =>
        cloneRepository({
          url: request.repoUrl,
          dir: repoDir,
          branch: request.baseBranch,
          credentials: this.credentials,
        }),
      );
      const instanceDir = path.join(repoDir, path.posix.dirname(answersFile));
      const answersName = path.posix.basename(answersFile);
      const recorded = await readInside(
        repoDir,
        path.join(instanceDir, answersName),
        answersFile,
      ).catch(error => {
        if (error instanceof InputError) throw error;
        throw new NotFoundError(
          `${answersFile} does not exist in ${request.repoUrl}${
            request.baseBranch ? ` (${request.baseBranch})` : ''
          }`,
        );
      });
      let srcPath: string;
      try {
        srcPath = parseAnswersFile(recorded, answersFile).srcPath;
      } catch (error) {
        if (error instanceof AnswersFileError)
          throw new InputError(error.message);
        throw error;
      }
      const src = this.assertAllowed(srcPath);

      const report = await mapErrors(() =>
        updateInstance({
          dst: instanceDir,
          src,
          answersFile: answersName,
          vcsRef: request.version,
          prereleases: this.settings.prereleases,
          conflict: 'inline',
          trust: false,
          tmpDir: work,
          credentials: this.credentials,
          isolation: this.settings.render,
        }),
      );
      const prefix = path.posix.dirname(answersFile);
      const inRepo = (p: string) => (prefix === '.' ? p : `${prefix}/${p}`);
      const result: InstanceUpdateResult = {
        repoUrl: request.repoUrl,
        answersFile,
        srcPath: report.srcPath,
        from: report.from,
        to: report.to,
        upToDate: report.upToDate,
        branch,
        changes: report.changes.map(c => ({ ...c, path: inRepo(c.path) })),
        files: [],
        conflicts: report.conflicts,
        changed: false,
      };
      if (report.upToDate) return result;

      // Provenance stays true: the catalog-info files that record this instance move to the new version.
      const catalogFiles = new Set(
        ['catalog-info.yaml', 'catalog-info.yml'].flatMap(name => [
          path.join(instanceDir, name),
          path.join(repoDir, name),
        ]),
      );
      for (const file of catalogFiles) {
        await writeProvenance(
          file,
          { source: report.srcPath, version: report.to, answersFile },
          'bump',
        );
      }
      const files = await this.changedFiles(repoDir);
      result.files = files.map(f => f.path);
      if (request.dryRun) return { ...result, changed: files.length > 0 };
      const text = pullRequestText({
        ...report,
        answersFile,
        changes: result.changes,
      });
      const { conflictLabel, labels, draftOnConflict } =
        this.settings.pullRequest;
      const conflicted = report.conflicts > 0;
      const wasConflicted = Boolean(
        request.existingPullRequest?.labels.includes(conflictLabel),
      );
      let draft: boolean | undefined;
      if (draftOnConflict && conflicted) draft = true;
      else if (draftOnConflict && wasConflicted) draft = false;
      const change = await this.git.applyChange({
        repoUrl: request.repoUrl,
        files,
        message: text.message,
        mode: 'pull-request',
        branch,
        baseBranch: request.baseBranch,
        pullRequest: {
          title: text.title,
          body: text.body,
          draft,
          labels: {
            add: conflicted ? [...labels, conflictLabel] : labels,
            remove: conflicted ? [] : [conflictLabel],
          },
        },
      });
      this.logger.info(
        `Template sync ${request.repoUrl} ${answersFile}: ${report.from} → ${
          report.to
        }, ${files.length} file(s), ${report.conflicts} conflict(s)${
          change.pullRequest
            ? `, pull request ${change.pullRequest.url} (${
                change.pullRequest.created ? 'opened' : 'updated'
              })`
            : ''
        }`,
      );
      return {
        ...result,
        changed: change.changed,
        pullRequest: change.pullRequest,
      };
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /**
   * Adopts a repository that came from an older copy of a template (before template sync): renders the template at
   * the version it came from with its answers (so the answers are checked by the template's own questions), and opens
   * one pull request adding that answers file and the provenance annotations on its catalog-info.yaml. Once merged,
   * template sync updates it like any other instance.
   */
  async adoptInstance(request: {
    repoUrl: string;
    source: string;
    version: string;
    values: Record<string, unknown>;
    answersFile?: string;
    baseBranch?: string;
    dryRun?: boolean;
  }): Promise<{
    answersFile: string;
    version: string;
    files: string[];
    changed: boolean;
    branch: string;
    pullRequest?: { number: number; url: string; created: boolean };
  }> {
    this.assertAllowed(request.source);
    const answersFile = checkedAnswersFile(request.answersFile);
    const work = await fs.mkdtemp(path.join(this.tmpDir, 'paved-adopt-'));
    try {
      const rendered = await this.render({
        source: request.source,
        version: request.version,
        values: request.values,
        targetDir: path.join(work, 'render'),
        answersFile: path.posix.basename(answersFile),
      });
      const files: FileChange[] = [
        {
          path: answersFile,
          content: await fs.readFile(
            path.join(work, 'render', rendered.answersFile),
            'utf8',
          ),
        },
      ];
      const catalogPath = path.posix.join(
        path.posix.dirname(answersFile),
        'catalog-info.yaml',
      );
      const catalog = await this.git.readFile(
        request.repoUrl,
        catalogPath,
        request.baseBranch,
      );
      if (catalog !== undefined) {
        const local = path.join(work, 'catalog-info.yaml');
        await fs.writeFile(local, catalog);
        const provenance = {
          source: request.source,
          version: rendered.version,
          answersFile,
        };
        if (await writeProvenance(local, provenance, 'set')) {
          files.push({
            path: catalogPath,
            content: await fs.readFile(local, 'utf8'),
          });
        }
      }
      const branch = syncBranch(
        this.settings.pullRequest.branchPrefix.replace(
          /template-sync\/$/,
          'template-adopt/',
        ),
        answersFile,
      );
      const result = {
        answersFile,
        version: rendered.version,
        files: files.map(f => f.path),
        branch,
      };
      if (request.dryRun) return { ...result, changed: true };
      const name = templateName(request.source);
      const change = await this.git.applyChange({
        repoUrl: request.repoUrl,
        files,
        message: `chore(template): adopt ${name} ${rendered.version} for template sync`,
        mode: 'pull-request',
        branch,
        baseBranch: request.baseBranch,
        pullRequest: {
          title: `Adopt template ${name} at ${rendered.version} for template sync`,
          body: [
            `This repository came from \`${request.source}\` at **${
              rendered.version
            }**. This pull request records that in \`${answersFile}\` (with the answers it was made with)${
              files.length > 1 ? ` and on \`${catalogPath}\`` : ''
            }, so template sync can bring it to newer versions with one pull request each.`,
            '',
            'Check the answers against what the repository really holds; nothing else changes.',
            '',
            '---',
            '_Opened by Paved. It is never merged automatically._',
          ].join('\n'),
          labels: { add: this.settings.pullRequest.labels },
        },
      });
      return {
        ...result,
        changed: change.changed,
        pullRequest: change.pullRequest,
      };
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /** Every file the update touched in the clone, as the Git provider writes them. */
  private async changedFiles(repoDir: string): Promise<FileChange[]> {
    const { stdout } = await exec(
      'git',
      [
        'status',
        '--porcelain=v1',
        '-z',
        '--untracked-files=all',
        '--no-renames',
      ],
      { cwd: repoDir, maxBuffer: 64 * 1024 * 1024 },
    );
    const files: FileChange[] = [];
    for (const entry of stdout.split('\0').filter(Boolean)) {
      const status = entry.slice(0, 2);
      const rel = entry.slice(3);
      if (status.includes('D')) {
        files.push({ path: rel, content: null });
        continue;
      }
      const abs = path.join(repoDir, rel);
      // Never read through a link: its target may be anywhere on this machine. (A template's preserved symlinks are
      // for the CLI; a pull request commits files.)
      if ((await fs.lstat(abs)).isSymbolicLink()) {
        throw new InputError(
          `${rel} is a symlink after the update (the template preserves symlinks); template sync commits files only, so update this instance with the CLI (paved template update)`,
        );
      }
      const [bytes, stat] = await Promise.all([fs.readFile(abs), fs.stat(abs)]);
      files.push({
        path: rel,
        ...fileContent(bytes),
        ...(stat.mode & 0o111 ? { executable: true } : {}),
      });
    }
    return files.sort((a, b) => a.path.localeCompare(b.path));
  }
}
