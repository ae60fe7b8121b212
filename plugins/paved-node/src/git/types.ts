/** One file of a change: its repository path and new content, or `null` to delete it. @public */
export interface FileChange {
  path: string;
  content: string | null;
}

/** A set of files to land in a repository as one commit, on a pull-request branch or straight on the base. @public */
export interface ChangeRequest {
  /** Repository URL as a browser shows it, e.g. https://github.com/acme/gitops. */
  repoUrl: string;
  files: FileChange[];
  /** Commit message. */
  message: string;
  /** `pull-request`: commit on `branch` and open (or refresh) one pull request; `commit`: commit on the base branch. */
  mode: 'pull-request' | 'commit';
  /** Head branch of the pull request; the same branch on every run keeps it one pull request. */
  branch: string;
  /** Base branch; the repository's default branch when omitted. */
  baseBranch?: string;
  pullRequest?: { title: string; body: string; draft?: boolean };
}

/** What landing a change did. @public */
export interface ChangeResult {
  /** False when the repository already held these files (nothing was committed). */
  changed: boolean;
  /** The commit that holds the files (head of the branch, or of the base in commit mode). */
  commitSha?: string;
  /** The branch that holds the change. */
  branch: string;
  pullRequest?: { number: number; url: string; created: boolean };
}

/**
 * Reads and writes repositories: GitHub through Octokit, or any git remote through the git CLI.
 * @public
 */
export interface GitProvider {
  /** A file's content at `ref` (default branch when omitted), or undefined when it does not exist. */
  readFile(
    repoUrl: string,
    path: string,
    ref?: string,
  ): Promise<string | undefined>;
  /** Lands a change; running it again with the same files changes nothing and opens no second pull request. */
  applyChange(request: ChangeRequest): Promise<ChangeResult>;
}
