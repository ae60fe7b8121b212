/** One file of a change: its repository path and new content, or `null` to delete it. @public */
export interface FileChange {
  path: string;
  content: string | null;
  /** How `content` is written: text (default) or base64 for binary files. */
  encoding?: 'utf-8' | 'base64';
  /** Marks the file executable (git mode 100755). */
  executable?: boolean;
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
  pullRequest?: {
    title: string;
    body: string;
    /**
     * Draft state: sets it on a new pull request and, when given, switches an existing one to match (GitHub's
     * convertPullRequestToDraft / markPullRequestReadyForReview).
     */
    draft?: boolean;
    /** Labels to make sure the pull request has, and labels to take off it (absent ones are ignored). */
    labels?: { add?: string[]; remove?: string[] };
  };
}

/** What landing a change did. @public */
export interface ChangeResult {
  /** False when the repository already held these files (nothing was committed). */
  changed: boolean;
  /** The commit that holds the files (head of the branch, or of the base in commit mode). */
  commitSha?: string;
  /** The branch that holds the change. */
  branch: string;
  pullRequest?: {
    number: number;
    url: string;
    created: boolean;
    draft?: boolean;
    labels?: string[];
  };
}

/** A pull request's state as a batch read sees it. @public */
export interface PullRequestState {
  number: number;
  url: string;
  state: 'open' | 'closed' | 'merged';
  draft: boolean;
  labels: string[];
}

/** Files (on the default branch) and pull requests to read from one repository in a batch. @public */
export interface RepositoryRead {
  repoUrl: string;
  paths: string[];
  pullRequests?: number[];
}

/** What a batch read found in one repository. @public */
export interface RepositorySnapshot {
  repoUrl: string;
  /** False when the repository does not exist or the credentials cannot see it. */
  found: boolean;
  defaultBranch?: string;
  /** Text of each requested path on the default branch; undefined when missing or binary. */
  files: Record<string, string | undefined>;
  /** Each requested pull request; undefined when it does not exist. */
  pullRequests: Record<number, PullRequestState | undefined>;
  /** Why the repository could not be read, when `found` is false. */
  error?: string;
}

/** An open pull request as a listing sees it. @public */
export interface OpenPullRequest {
  number: number;
  url: string;
  title: string;
  body: string;
  /** Head branch (in the same repository). */
  branch: string;
  draft: boolean;
}

/** One file a pull request changes, against the point where its branch left the base. @public */
export interface PullRequestFile {
  path: string;
  status: 'added' | 'modified' | 'removed';
}

/** Whether a repository exists, and where it is, as its host answers. @public */
export interface RepositoryInfo {
  exists: boolean;
  /** Its page (GitHub) or the remote URL (plain git). */
  htmlUrl?: string;
  cloneUrl?: string;
  defaultBranch?: string;
  /**
   * For a repository that does not exist: whether its owner (organisation or user) does, so a typo in the owner is
   * told apart from a free name. Undefined where the provider cannot tell (plain git).
   */
  ownerExists?: boolean;
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
  /**
   * Whether the repository exists (false only when the host says it does not, or the credentials cannot see it);
   * any other failure throws.
   */
  repository(repoUrl: string): Promise<RepositoryInfo>;
  /** Lands a change; running it again with the same files changes nothing and opens no second pull request. */
  applyChange(request: ChangeRequest): Promise<ChangeResult>;
  /**
   * Reads files and pull-request states from many repositories with as few requests as the host allows (GitHub:
   * GraphQL, up to 100 repositories per request). Never throws for one repository: it reports `found: false`.
   */
  readBatch(reads: RepositoryRead[]): Promise<RepositorySnapshot[]>;
  /**
   * Open pull requests into `baseBranch` (default branch when omitted) whose head branch, in the same repository,
   * starts with `branchPrefix`. Hosts without pull requests (plain git) answer an empty list.
   */
  listOpenPullRequests(
    repoUrl: string,
    options: { branchPrefix: string; baseBranch?: string },
  ): Promise<OpenPullRequest[]>;
  /** The files an open pull request changes (renames as a removal and an addition). */
  listPullRequestFiles(
    repoUrl: string,
    pullNumber: number,
  ): Promise<PullRequestFile[]>;
}
