import path from 'node:path';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ChangeResult, GitProvider, OpenPullRequest } from './types';

/** Where cluster state lives in Git (`paved.gitops`). @public */
export interface GitOpsTarget {
  repoUrl: string;
  /** Folder inside the repository everything Paved writes goes under; default the root. */
  basePath: string;
  /** `pull-request` (default): one reviewed PR per change; `commit`: straight onto the base branch. */
  mode: 'pull-request' | 'commit';
  baseBranch?: string;
}

/** A path below the GitOps base folder, refused when it would leave it. */
function underBase(basePath: string, file: string): string {
  const normalized = path.posix.normalize(file);
  if (
    !file ||
    path.posix.isAbsolute(file) ||
    normalized === '..' ||
    normalized.startsWith('../') ||
    normalized.split('/').includes('.git')
  ) {
    throw new InputError(`${file} is not a path inside the GitOps folder`);
  }
  return basePath ? path.posix.join(basePath, normalized) : normalized;
}

/**
 * Commits a set of files to the GitOps repository as one pull request (refreshed, never duplicated, when the same
 * branch is written again) or one commit, as `paved.gitops.mode` says.
 * @public
 */
export class GitOpsWriter {
  static fromConfig(config: Config, git: GitProvider): GitOpsWriter {
    const gitops = config.getOptionalConfig('paved.gitops');
    const mode = gitops?.getOptionalString('mode') ?? 'pull-request';
    if (mode !== 'pull-request' && mode !== 'commit') {
      throw new Error(
        `paved.gitops.mode must be pull-request or commit, not ${mode}`,
      );
    }
    return new GitOpsWriter(
      gitops
        ? {
            repoUrl: gitops.getString('repoUrl'),
            basePath: (gitops.getOptionalString('basePath') ?? '').replace(
              /^\/+|\/+$/g,
              '',
            ),
            mode,
            baseBranch: gitops.getOptionalString('baseBranch'),
          }
        : undefined,
      git,
    );
  }

  constructor(
    private readonly target: GitOpsTarget | undefined,
    private readonly git: GitProvider,
  ) {}

  /** The configured target; an InputError telling the operator what to set when there is none. */
  get config(): GitOpsTarget {
    if (!this.target) {
      throw new InputError(
        'GitOps is not configured: set paved.gitops.repoUrl (and optionally basePath, mode, baseBranch)',
      );
    }
    return this.target;
  }

  /** Repository path of a file given relative to the base folder. */
  pathOf(file: string): string {
    return underBase(this.config.basePath, file);
  }

  /** Whether `paved.gitops` is configured at all. */
  get configured(): boolean {
    return this.target !== undefined;
  }

  /** A file's content on the base branch (or on `branch`, e.g. an open pull request's), or undefined. */
  async read(file: string, branch?: string): Promise<string | undefined> {
    const { repoUrl, baseBranch } = this.config;
    return this.git.readFile(repoUrl, this.pathOf(file), branch ?? baseBranch);
  }

  /**
   * Open pull requests of branches starting with `branchPrefix` into the base branch; none in commit mode (changes
   * land on the base at once) or on hosts without pull requests.
   */
  async openChanges(branchPrefix: string): Promise<OpenPullRequest[]> {
    const { repoUrl, baseBranch, mode } = this.config;
    if (mode === 'commit') return [];
    return this.git.listOpenPullRequests(repoUrl, { branchPrefix, baseBranch });
  }

  /**
   * Every file an open pull request changes, with its content on the pull request's branch (null: it deletes it);
   * paths relative to the base folder. A file outside the base folder is an InputError: Paved's branches hold none.
   */
  async changeFiles(
    pull: OpenPullRequest,
  ): Promise<Array<{ path: string; content: string | null }>> {
    const { repoUrl, basePath } = this.config;
    const files = await this.git.listPullRequestFiles(repoUrl, pull.number);
    return Promise.all(
      files.map(async f => {
        let relative: string | undefined = f.path;
        if (basePath)
          relative = f.path.startsWith(`${basePath}/`)
            ? f.path.slice(basePath.length + 1)
            : undefined;
        if (relative === undefined) {
          throw new InputError(
            `Pull request ${pull.url} changes ${f.path}, outside the GitOps folder ${basePath}: Paved does not rewrite it`,
          );
        }
        return {
          path: relative,
          content:
            f.status === 'removed'
              ? null
              : (await this.git.readFile(repoUrl, f.path, pull.branch)) ?? null,
        };
      }),
    );
  }

  /** Lands the files (paths relative to the base folder) as one change on `branch`. */
  async write(change: {
    files: Array<{ path: string; content: string | null }>;
    branch: string;
    message: string;
    title: string;
    body: string;
  }): Promise<ChangeResult> {
    const { repoUrl, baseBranch, mode } = this.config;
    return this.git.applyChange({
      repoUrl,
      baseBranch,
      mode,
      branch: change.branch,
      message: change.message,
      files: change.files.map(f => ({
        path: this.pathOf(f.path),
        content: f.content,
      })),
      pullRequest: { title: change.title, body: change.body },
    });
  }
}
