import fs from 'node:fs/promises';
import path from 'node:path';
import { TemplateError } from '../errors';
import { CommandError, extractArchive, git } from './git';
import {
  parseRecordedVersion,
  parseTags,
  revisionOf,
  TagVersion,
} from './versions';

/**
 * Where a template lives: a Git repository (URL or local path) and, optionally, a folder inside it.
 *
 * @public
 */
export interface TemplateLocation {
  /** What the answers file records as `_src_path`. */
  srcPath: string;
  /** Something `git clone` / `git ls-remote` accepts. */
  repository: string;
  /** Folder inside the repository that holds copier.yml (`repo//folder`). */
  folder?: string;
}

/**
 * A version of the template, resolved to a commit.
 *
 * @public
 */
export interface ResolvedVersion {
  /** What the answers file records as `_commit`: the tag, or `git describe --tags` for other refs. */
  recorded: string;
  /** Full commit id. */
  commit: string;
  /** The tag's version when `recorded` is a tag. */
  tag?: TagVersion;
  /** A local template's uncommitted changes are included (`vcsRef` HEAD of a dirty work tree, as copier does). */
  dirty?: boolean;
  /** A local folder that is not a Git repository: copied as it is, with no version (copier records no `_commit`). */
  unversioned?: boolean;
}

const SHORTHANDS: Record<string, string> = {
  'gh:': 'https://github.com/',
  'gl:': 'https://gitlab.com/',
};

/**
 * Parses a template source as copier accepts it (URL, `gh:org/repo`, `gl:org/repo`, local path), plus an optional
 * `//folder` suffix naming a folder of a repository that holds several templates.
 *
 * @public
 */
export function parseLocation(
  src: string,
  baseDir = process.cwd(),
): TemplateLocation {
  const trimmed = src.trim();
  if (!trimmed) {
    throw new TemplateError('INVALID_INPUT', 'The template source is empty');
  }
  let repository = trimmed;
  let folder: string | undefined;
  const schemeEnd = trimmed.indexOf('://');
  const split = trimmed.indexOf('//', schemeEnd >= 0 ? schemeEnd + 3 : 0);
  if (split > 0) {
    repository = trimmed.slice(0, split);
    folder = trimmed.slice(split + 2).replace(/\/+$/, '');
    if (!folder || folder.split('/').some(s => s === '..' || s === '')) {
      throw new TemplateError(
        'INVALID_INPUT',
        `Template folder "${folder}" in "${src}" must be a relative path without ".."`,
      );
    }
  }
  for (const [prefix, url] of Object.entries(SHORTHANDS)) {
    if (repository.startsWith(prefix)) {
      repository = `${url}${repository
        .slice(prefix.length)
        .replace(/\.git$/, '')}.git`;
    }
  }
  if (
    !/^[a-z][a-z0-9+.-]*:\/\//i.test(repository) &&
    !/^[\w.-]+@[\w.-]+:/.test(repository)
  ) {
    repository = path.resolve(baseDir, repository.replace(/^file:\/\//, ''));
  }
  return { srcPath: trimmed, repository, folder };
}

/**
 * HTTP headers that authenticate git against a repository URL (for example `Authorization: Basic …` with a GitHub
 * token), or undefined for none. Called once per remote source; the headers reach git through its environment
 * (`GIT_CONFIG_*`), never its command line, so they do not show in process listings or error messages.
 * @public
 */
export type GitCredentials = (
  repositoryUrl: string,
) => Promise<Record<string, string> | undefined>;

/** git's environment for a remote: its extra headers scoped to the repository's origin. */
async function remoteEnv(
  repository: string,
  credentials: GitCredentials | undefined,
): Promise<NodeJS.ProcessEnv | undefined> {
  if (!credentials || !/^https?:\/\//i.test(repository)) return undefined;
  const headers = await credentials(repository);
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return undefined;
  const key = `http.${new URL(repository).origin}/.extraHeader`;
  const env: NodeJS.ProcessEnv = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([name, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = `${name}: ${value}`;
  });
  return env;
}

/**
 * A template source opened for reading: lists versions from tags, resolves refs and extracts any version into a
 * folder. Remote repositories are cloned once (bare) into `workDir`; local repositories are read in place.
 *
 * @public
 */
export class TemplateSource {
  private gitDir?: Promise<string>;
  private tags?: Promise<string>;
  private env?: Promise<NodeJS.ProcessEnv | undefined>;

  constructor(
    readonly location: TemplateLocation,
    private readonly workDir: string,
    private readonly credentials?: GitCredentials,
  ) {}

  private remoteEnv() {
    this.env ??= remoteEnv(this.location.repository, this.credentials);
    return this.env;
  }

  /** Versions from the repository's tags, oldest first. */
  async listVersions(
    options: { prereleases?: boolean } = {},
  ): Promise<TagVersion[]> {
    // One listing per source: an update resolves both the recorded and the target version. A local repository is
    // read directly (for-each-ref prints what ls-remote prints, without starting upload-pack).
    this.tags ??= (async () => {
      try {
        if (path.isAbsolute(this.location.repository)) {
          return await git([
            '--git-dir',
            await this.repository(),
            'for-each-ref',
            '--format=%(objectname)\t%(refname)%(if)%(*objectname)%(then)\n%(*objectname)\t%(refname)^{}%(end)',
            'refs/tags',
          ]);
        }
        const env = await this.remoteEnv();
        return await remote(
          () => git(['ls-remote', '--tags', this.location.repository], { env }),
          error => this.notFound(error),
        );
      } catch (error) {
        throw error instanceof TemplateError ? error : this.notFound(error);
      }
    })();
    return parseTags(await this.tags, options);
  }

  /**
   * Resolves what to render: `vcsRef` when given (any ref; recorded like `git describe --tags`), else the newest
   * version tag.
   */
  async resolve(
    options: { vcsRef?: string; prereleases?: boolean } = {},
  ): Promise<ResolvedVersion> {
    const { vcsRef, prereleases } = options;
    if (await this.isPlainFolder()) {
      if (vcsRef)
        throw new TemplateError(
          'INVALID_INPUT',
          `Template ${this.location.srcPath} is a folder, not a Git repository, so it has no ref "${vcsRef}"`,
        );
      return { recorded: '', commit: '', unversioned: true };
    }
    const tags = await this.listVersions({
      prereleases: prereleases || Boolean(vcsRef),
    });
    if (!vcsRef) {
      const latest = tags[tags.length - 1];
      if (!latest) {
        throw new TemplateError(
          'NOT_FOUND',
          `Template ${
            this.location.srcPath
          } has no version tags (PEP 440 versions, e.g. v1.0.0 or 2.1)${
            prereleases
              ? ''
              : ' other than pre-releases (pass --prereleases to use them)'
          }; pass --vcs-ref to use another ref`,
        );
      }
      return { recorded: latest.tag, commit: latest.commit, tag: latest };
    }
    const tag = tags.find(t => t.tag === vcsRef);
    if (tag) return { recorded: tag.tag, commit: tag.commit, tag };
    if (vcsRef === 'HEAD' && path.isAbsolute(this.location.repository)) {
      const dirty = await this.uncommitted();
      if (dirty) return dirty;
    }

    const gitDir = await this.repository();
    const revision = revisionOf(parseRecordedVersion(vcsRef));
    let commit: string;
    try {
      commit = (
        await git([
          '--git-dir',
          gitDir,
          'rev-parse',
          '--verify',
          '--quiet',
          `${revision}^{commit}`,
        ])
      ).trim();
    } catch {
      throw new TemplateError(
        'NOT_FOUND',
        `Template ${this.location.srcPath} has no ref "${vcsRef}"`,
      );
    }
    const described = (
      await git(['--git-dir', gitDir, 'describe', '--tags', '--always', commit])
    ).trim();
    return { recorded: described, commit };
  }

  /**
   * copier renders a local template's uncommitted changes with `--vcs-ref HEAD` (its DirtyLocalWarning): the work
   * tree, untracked files included and .gitignore honoured, as a commit of its own. Built with a temporary index and
   * `commit-tree`, so the author's branch, index and files are left as they were. Undefined when the tree is clean.
   */
  private async uncommitted(): Promise<ResolvedVersion | undefined> {
    const work = this.location.repository;
    const status = await git(
      ['status', '--porcelain', '--untracked-files=all'],
      { cwd: work },
    ).catch(() => '');
    if (!status.trim()) return undefined;
    const env = {
      GIT_INDEX_FILE: path.join(
        this.workDir,
        `uncommitted-${process.pid}.index`,
      ),
      GIT_AUTHOR_NAME: 'paved',
      GIT_AUTHOR_EMAIL: 'paved@localhost',
      GIT_COMMITTER_NAME: 'paved',
      GIT_COMMITTER_EMAIL: 'paved@localhost',
    };
    await fs.mkdir(this.workDir, { recursive: true });
    // A repository without a first commit yet has no HEAD: the work tree is then the whole of it.
    const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], {
      cwd: work,
    }).then(
      out => out.trim(),
      () => undefined,
    );
    try {
      if (head) await git(['read-tree', head], { cwd: work, env });
      await git(['add', '--all', '.'], { cwd: work, env });
      const tree = (await git(['write-tree'], { cwd: work, env })).trim();
      const commit = (
        await git(
          [
            'commit-tree',
            tree,
            ...(head ? ['-p', head] : []),
            '-m',
            'Uncommitted changes',
          ],
          { cwd: work, env },
        )
      ).trim();
      const described = (
        await git(['describe', '--tags', '--always', commit], { cwd: work })
      ).trim();
      return { recorded: described, commit, dirty: true };
    } finally {
      await fs.rm(env.GIT_INDEX_FILE, { force: true });
    }
  }

  /** A local template folder outside any Git repository (copier copies such a template as it is). */
  private plain?: Promise<boolean>;
  private isPlainFolder(): Promise<boolean> {
    this.plain ??= (async () => {
      const { repository } = this.location;
      if (!path.isAbsolute(repository)) return false;
      if (!(await fs.stat(repository).catch(() => undefined))?.isDirectory())
        return false;
      return git(['rev-parse', '--git-dir'], { cwd: repository }).then(
        () => false,
        () => true,
      );
    })();
    return this.plain;
  }

  /** Writes the files of `commit` (of the template folder, when set) into `targetDir`. */
  async extract(commit: string, targetDir: string): Promise<void> {
    if (!commit && (await this.isPlainFolder())) {
      const from = path.join(
        this.location.repository,
        this.location.folder ?? '',
      );
      // Links are copied as links: the render decides whether one may be followed (only inside the template).
      await fs.cp(from, targetDir, {
        recursive: true,
        verbatimSymlinks: true,
        filter: src => path.basename(src) !== '.git',
      });
      return;
    }
    const gitDir = await this.repository();
    await fs.mkdir(targetDir, { recursive: true });
    const treeish = this.location.folder
      ? `${commit}:${this.location.folder}`
      : commit;
    try {
      await extractArchive(gitDir, treeish, targetDir);
    } catch (error) {
      throw new TemplateError(
        'NOT_FOUND',
        `Template ${this.location.srcPath} at ${commit.slice(
          0,
          12,
        )} could not be read${
          this.location.folder
            ? ` (does folder "${this.location.folder}" exist?)`
            : ''
        }: ${(error as Error).message}`,
      );
    }
  }

  /** The git directory to read objects from; clones remote repositories once. */
  private repository(): Promise<string> {
    this.gitDir ??= (async () => {
      const { repository } = this.location;
      if (path.isAbsolute(repository)) {
        if (!(await fs.stat(repository).catch(() => undefined))) {
          throw new TemplateError(
            'NOT_FOUND',
            `Template ${this.location.srcPath} does not exist: there is no folder ${repository}`,
          );
        }
        // The common case, a work tree with a .git folder, needs no git process to find.
        const dotGit = path.join(repository, '.git');
        if ((await fs.stat(dotGit).catch(() => undefined))?.isDirectory()) {
          return dotGit;
        }
        try {
          return path.resolve(
            repository,
            (await git(['rev-parse', '--git-dir'], { cwd: repository })).trim(),
          );
        } catch (error) {
          throw this.notFound(error);
        }
      }
      const target = path.join(this.workDir, 'source.git');
      const env = await this.remoteEnv();
      await remote(
        async () => {
          await fs.rm(target, { recursive: true, force: true });
          await git(['clone', '--bare', '--quiet', repository, target], {
            env,
          });
        },
        error => this.notFound(error),
      );
      return target;
    })();
    return this.gitDir;
  }

  private notFound(error: unknown): TemplateError {
    return remoteError(
      error,
      isUnavailable(error)
        ? `Template ${this.location.srcPath} could not be read (its Git host failed or did not answer, after retries)`
        : `Template ${this.location.srcPath} is not a readable Git repository`,
    );
  }
}

/** git's own words for a host that failed or was unreachable, as opposed to a repository that is not there. */
const UNAVAILABLE =
  /returned error: (5\d\d|429)|Connection refused|Connection timed out|Operation timed out|Could not connect|Failed to connect|Empty reply|RPC failed|early EOF|remote end hung up|SSL_ERROR|gnutls_handshake/i;

/** Waits between attempts at a remote git command that failed for the host's reasons. */
const RETRY_DELAYS_MS = [1_000, 3_000];

/** The last line git wrote, or the error's own message (a time limit). */
function detailOf(error: unknown): string {
  if (error instanceof CommandError && !error.timedOutAfterMs) {
    return error.result.stderr.trim().split('\n').pop() ?? error.message;
  }
  return (error as Error).message;
}

/** Whether a failed remote git command is the host's fault (worth another attempt; a 503 to the caller). */
export function isUnavailable(error: unknown): boolean {
  return (
    error instanceof CommandError &&
    (Boolean(error.timedOutAfterMs) || UNAVAILABLE.test(error.result.stderr))
  );
}

/** Runs a remote git command, again after 1 s and 3 s when the host failed; gives up with `fail`'s error. */
async function remote<T>(
  fn: () => Promise<T>,
  fail: (error: unknown) => TemplateError,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      // Only git's own failures are the remote's; anything else is ours and stays what it is.
      if (!(error instanceof CommandError)) throw error;
      if (!isUnavailable(error) || attempt >= RETRY_DELAYS_MS.length) {
        throw fail(error);
      }
      await new Promise(resolve =>
        setTimeout(resolve, RETRY_DELAYS_MS[attempt]),
      );
    }
  }
}

/** The refusal for a remote that failed: UNAVAILABLE when the host is at fault, NOT_FOUND otherwise. */
function remoteError(error: unknown, message: string): TemplateError {
  return new TemplateError(
    isUnavailable(error) ? 'UNAVAILABLE' : 'NOT_FOUND',
    `${message}: ${detailOf(error)}`,
  );
}

/** A URL without its user-info, for messages. */
const redactUrl = (url: string) => url.replace(/(\w+:\/\/)[^/@\s]+@/, '$1***@');

/**
 * Clones a repository (an instance's own, to update it) into `dir`: shallow, one branch (the default one when not
 * given), authenticated by `credentials` the same way template sources are.
 * @public
 */
export async function cloneRepository(options: {
  url: string;
  dir: string;
  branch?: string;
  credentials?: GitCredentials;
}): Promise<void> {
  const env = await remoteEnv(options.url, options.credentials);
  const what = `${redactUrl(options.url)}${
    options.branch ? ` (branch ${options.branch})` : ''
  }`;
  await remote(
    async () => {
      await fs.rm(options.dir, { recursive: true, force: true });
      await git(
        [
          'clone',
          '--quiet',
          '--depth',
          '1',
          '--single-branch',
          ...(options.branch ? ['--branch', options.branch] : []),
          options.url,
          options.dir,
        ],
        { env },
      );
    },
    error =>
      remoteError(
        error,
        isUnavailable(error)
          ? `Could not clone ${what} (its Git host failed or did not answer, after retries)`
          : `Could not clone ${what}`,
      ),
  );
}

/** The newest version tag of a template source (one `git ls-remote`). @public */
export async function latestVersion(
  src: string,
  options: { prereleases?: boolean; credentials?: GitCredentials } = {},
): Promise<ResolvedVersion> {
  // listVersions reads tags without cloning: the work folder is never touched.
  return new TemplateSource(
    parseLocation(src),
    '/nonexistent',
    options.credentials,
  ).resolve({ prereleases: options.prereleases });
}
