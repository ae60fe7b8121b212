import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  GithubCredentialsProvider,
  GithubIntegrationConfig,
} from '@backstage/integration';
import type {
  ChangeRequest,
  ChangeResult,
  FileChange,
  GitProvider,
  OpenPullRequest,
  PullRequestFile,
  RepositoryInfo,
  PullRequestState,
  RepositoryRead,
  RepositorySnapshot,
} from './types';

/** Repositories per GraphQL request in batch reads (GitHub's node limits allow far more; 100 keeps answers small). */
const BATCH_SIZE = 100;

interface OpenPull {
  number: number;
  url: string;
  nodeId: string;
  draft: boolean;
  labels: string[];
  title: string;
  body: string;
}

const PavedOctokit = Octokit.plugin(throttling, retry);
type Client = InstanceType<typeof PavedOctokit>;

/** Owner and name of a GitHub repository URL (`https://host/owner/repo[.git][/...]`). */
export function parseGithubRepoUrl(repoUrl: string): {
  host: string;
  owner: string;
  repo: string;
} {
  let url: URL;
  try {
    url = new URL(repoUrl);
  } catch {
    throw new InputError(`"${repoUrl}" is not a repository URL`);
  }
  const [owner, repo] = url.pathname.split('/').filter(Boolean);
  if (!owner || !repo) {
    throw new InputError(
      `"${repoUrl}" does not name a repository (expected https://${url.host}/<owner>/<repo>)`,
    );
  }
  return { host: url.host, owner, repo: repo.replace(/\.git$/, '') };
}

/** Tuning for tests and unusual GitHub installations. @public */
export interface GithubGitProviderOptions {
  /** Retries after a 5xx or network error (plugin-retry); default 3. */
  retries?: number;
  /** Base of plugin-retry's quadratic backoff in ms; default 1000. */
  retryAfterBaseValue?: number;
  /** Retries after a primary rate limit (plugin-throttling waits for the reset); default 2. */
  rateLimitRetries?: number;
  /**
   * Minimum gap between writes (POST/PATCH/PUT/DELETE), and between writes that notify people (pull requests,
   * comments). GitHub asks for one and three seconds, plugin-throttling's defaults; only tests should lower them.
   */
  writeMinTimeMs?: number;
  /** Time budget of one request (each retry gets its own); default 30 s. A request that outlives it is retried, then an error. */
  requestTimeoutMs?: number;
}

/** `fetch` that gives up after `ms` (a GitHub that accepts connections and never answers must not hang a task). */
const timedFetch =
  (ms: number): typeof fetch =>
  (input, init) =>
    fetch(input, {
      ...init,
      signal: init?.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(ms)])
        : AbortSignal.timeout(ms),
    });

const status = (error: unknown) => (error as { status?: number }).status;

const missing = (read: RepositoryRead, error: string): RepositorySnapshot => ({
  repoUrl: read.repoUrl,
  found: false,
  files: {},
  pullRequests: {},
  error,
});

/** The response, or undefined when GitHub answers 404. */
async function unlessMissing<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (status(error) === 404) return undefined;
    throw error;
  }
}

/**
 * GitHub through Octokit with `@octokit/plugin-throttling` (waits out primary and secondary rate limits) and
 * `@octokit/plugin-retry` (5xx and network errors). Tokens come from Backstage's GitHub integrations (a token or a
 * GitHub App), fetched per request so app tokens rotate; one Octokit per host, so throttling state is shared.
 * A change is written through the git data API as one commit whose tree is compared before anything moves:
 * the same files twice is one commit and one pull request.
 * @public
 */
export class GithubGitProvider implements GitProvider {
  private readonly clients = new Map<string, Client>();

  constructor(
    private readonly integrations: {
      byHost(host: string): { config: GithubIntegrationConfig } | undefined;
    },
    private readonly credentials: GithubCredentialsProvider,
    private readonly logger: LoggerService,
    private readonly options: GithubGitProviderOptions = {},
  ) {}

  /** Whether a GitHub integration is configured for this URL's host. */
  handles(repoUrl: string): boolean {
    try {
      return Boolean(this.integrations.byHost(new URL(repoUrl).host));
    } catch {
      return false;
    }
  }

  private client(repoUrl: string): {
    octokit: Client;
    owner: string;
    repo: string;
  } {
    const { host, owner, repo } = parseGithubRepoUrl(repoUrl);
    const integration = this.integrations.byHost(host);
    if (!integration) {
      throw new InputError(
        `No GitHub integration is configured for ${host} (integrations.github)`,
      );
    }
    let octokit = this.clients.get(host);
    if (!octokit) {
      const logger = this.logger;
      const rateLimitRetries = this.options.rateLimitRetries ?? 2;
      octokit = new PavedOctokit({
        baseUrl: integration.config.apiBaseUrl ?? 'https://api.github.com',
        userAgent: 'paved',
        request: { fetch: timedFetch(this.options.requestTimeoutMs ?? 30_000) },
        retry: {
          retries: this.options.retries ?? 3,
          ...(this.options.retryAfterBaseValue !== undefined
            ? { retryAfterBaseValue: this.options.retryAfterBaseValue }
            : {}),
        },
        throttle: {
          id: host,
          ...(this.options.writeMinTimeMs !== undefined
            ? {
                write: new Bottleneck.Group({
                  id: 'paved-write',
                  maxConcurrent: 1,
                  minTime: this.options.writeMinTimeMs,
                }),
                notifications: new Bottleneck.Group({
                  id: 'paved-notifications',
                  maxConcurrent: 1,
                  minTime: this.options.writeMinTimeMs,
                }),
              }
            : {}),
          onRateLimit: (retryAfter, options, _octokit, retryCount) => {
            logger.warn(
              `GitHub rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`,
            );
            return retryCount < rateLimitRetries;
          },
          onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
            logger.warn(
              `GitHub secondary rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`,
            );
            return retryCount < 1;
          },
        },
      });
      const credentials = this.credentials;
      octokit.hook.before('request', async request => {
        // Batch reads (GraphQL) bring the token of the owner they read.
        if (request.headers.authorization) return;
        const url = `https://${host}/${request.owner ?? owner}/${
          request.repo ?? ''
        }`.replace(/\/$/, '');
        const { token } = await credentials.getCredentials({ url });
        if (!token) {
          throw new InputError(
            `No GitHub credentials for ${url}: configure a token or GitHub App under integrations.github`,
          );
        }
        request.headers.authorization = `token ${token}`;
      });
      this.clients.set(host, octokit);
    }
    return { octokit, owner, repo };
  }

  async readFile(
    repoUrl: string,
    path: string,
    ref?: string,
  ): Promise<string | undefined> {
    const { octokit, owner, repo } = this.client(repoUrl);
    const response = await unlessMissing(
      octokit.repos.getContent({ owner, repo, path, ...(ref ? { ref } : {}) }),
    );
    if (!response) return undefined;
    const data = response.data;
    if (Array.isArray(data) || data.type !== 'file') {
      throw new InputError(`${path} in ${repoUrl} is not a file`);
    }
    return Buffer.from(
      (data as { content: string }).content,
      'base64',
    ).toString('utf8');
  }

  private async headOf(
    octokit: Client,
    owner: string,
    repo: string,
    branch: string,
  ): Promise<string | undefined> {
    const response = await unlessMissing(
      octokit.git.getRef({ owner, repo, ref: `heads/${branch}` }),
    );
    return response?.data.object.sha;
  }

  private async treeOf(
    octokit: Client,
    owner: string,
    repo: string,
    commit: string,
  ): Promise<string> {
    const { data } = await octokit.git.getCommit({
      owner,
      repo,
      commit_sha: commit,
    });
    return data.tree.sha;
  }

  async applyChange(request: ChangeRequest): Promise<ChangeResult> {
    const { octokit, owner, repo } = this.client(request.repoUrl);
    let baseBranch = request.baseBranch;
    if (!baseBranch) {
      try {
        baseBranch = (await octokit.repos.get({ owner, repo })).data
          .default_branch;
      } catch (error) {
        if (status(error) === 404)
          throw new NotFoundError(
            `Repository ${request.repoUrl} does not exist or the GitHub credentials cannot see it`,
          );
        throw error;
      }
    }
    const baseSha = await this.headOf(octokit, owner, repo, baseBranch);
    if (!baseSha) {
      throw new NotFoundError(
        `Branch ${baseBranch} does not exist in ${request.repoUrl}`,
      );
    }
    const baseTree = await this.treeOf(octokit, owner, repo, baseSha);
    const tree = await this.writeTree(
      octokit,
      owner,
      repo,
      baseTree,
      request.files,
    );

    if (request.mode === 'commit') {
      if (tree === baseTree)
        return { changed: false, commitSha: baseSha, branch: baseBranch };
      const sha = await this.commit(
        octokit,
        owner,
        repo,
        request,
        tree,
        baseSha,
      );
      try {
        await octokit.git.updateRef({
          owner,
          repo,
          ref: `heads/${baseBranch}`,
          sha,
          force: false,
        });
      } catch (error) {
        if (status(error) === 422)
          throw new ConflictError(
            `${baseBranch} of ${request.repoUrl} moved while Paved was committing; run again`,
          );
        throw error;
      }
      return { changed: true, commitSha: sha, branch: baseBranch };
    }

    const existing = await this.openPull(octokit, owner, repo, request.branch);
    if (tree === baseTree) {
      // The base already holds these files: nothing to propose.
      return {
        changed: false,
        commitSha: baseSha,
        branch: baseBranch,
        ...(existing
          ? {
              pullRequest: {
                number: existing.number,
                url: existing.url,
                created: false,
                draft: existing.draft,
                labels: existing.labels,
              },
            }
          : {}),
      };
    }
    const headSha = await this.headOf(octokit, owner, repo, request.branch);
    let changed = false;
    let commitSha = headSha;
    if (
      !headSha ||
      (await this.treeOf(octokit, owner, repo, headSha)) !== tree
    ) {
      commitSha = await this.commit(
        octokit,
        owner,
        repo,
        request,
        tree,
        baseSha,
      );
      if (headSha) {
        // Our branch: rebuilt on the current base, so it is replaced rather than merged into.
        await octokit.git.updateRef({
          owner,
          repo,
          ref: `heads/${request.branch}`,
          sha: commitSha,
          force: true,
        });
      } else {
        await octokit.git.createRef({
          owner,
          repo,
          ref: `refs/heads/${request.branch}`,
          sha: commitSha,
        });
      }
      changed = true;
    }
    const title = request.pullRequest?.title ?? request.message.split('\n')[0];
    const body = request.pullRequest?.body ?? request.message;
    if (existing) {
      // Re-running with the same change writes nothing (no edit, no notification).
      if (existing.title !== title || existing.body !== body) {
        await octokit.pulls.update({
          owner,
          repo,
          pull_number: existing.number,
          title,
          body,
        });
      }
      const draft = request.pullRequest?.draft;
      if (draft !== undefined && draft !== existing.draft) {
        await this.setDraft(octokit, existing.nodeId, draft);
      }
      const labels = await this.setLabels(
        octokit,
        owner,
        repo,
        existing.number,
        existing.labels,
        request,
      );
      return {
        changed,
        commitSha,
        branch: request.branch,
        pullRequest: {
          number: existing.number,
          url: existing.url,
          created: false,
          draft: draft ?? existing.draft,
          labels,
        },
      };
    }
    const { data } = await octokit.pulls.create({
      owner,
      repo,
      head: request.branch,
      base: baseBranch,
      title,
      body,
      draft: request.pullRequest?.draft ?? false,
    });
    const labels = await this.setLabels(
      octokit,
      owner,
      repo,
      data.number,
      [],
      request,
    );
    return {
      changed,
      commitSha,
      branch: request.branch,
      pullRequest: {
        number: data.number,
        url: data.html_url,
        created: true,
        draft: Boolean(data.draft),
        labels,
      },
    };
  }

  async repository(repoUrl: string): Promise<RepositoryInfo> {
    const { octokit, owner, repo } = this.client(repoUrl);
    const response = await unlessMissing(octokit.repos.get({ owner, repo }));
    if (!response) {
      // GET /users/:name answers for organisations and users alike.
      const account = await unlessMissing(
        octokit.users.getByUsername({ username: owner }),
      );
      return { exists: false, ownerExists: Boolean(account) };
    }
    return {
      exists: true,
      htmlUrl: response.data.html_url,
      cloneUrl: response.data.clone_url,
      defaultBranch: response.data.default_branch,
    };
  }

  async listOpenPullRequests(
    repoUrl: string,
    options: { branchPrefix: string; baseBranch?: string },
  ): Promise<OpenPullRequest[]> {
    const { octokit, owner, repo } = this.client(repoUrl);
    const pulls = await octokit.paginate(octokit.pulls.list, {
      owner,
      repo,
      state: 'open',
      ...(options.baseBranch ? { base: options.baseBranch } : {}),
      per_page: 100,
    });
    return pulls
      .filter(
        p =>
          p.head.ref.startsWith(options.branchPrefix) &&
          // A fork's branch of the same name is not Paved's.
          p.head.repo?.full_name?.toLocaleLowerCase('en-US') ===
            `${owner}/${repo}`.toLocaleLowerCase('en-US'),
      )
      .map(p => ({
        number: p.number,
        url: p.html_url,
        title: p.title,
        body: p.body ?? '',
        branch: p.head.ref,
        draft: Boolean(p.draft),
      }));
  }

  async listPullRequestFiles(
    repoUrl: string,
    pullNumber: number,
  ): Promise<PullRequestFile[]> {
    const { octokit, owner, repo } = this.client(repoUrl);
    const files = await octokit.paginate(octokit.pulls.listFiles, {
      owner,
      repo,
      pull_number: pullNumber,
      per_page: 100,
    });
    return files.flatMap((f): PullRequestFile[] => {
      if (f.status === 'removed')
        return [{ path: f.filename, status: 'removed' }];
      if (f.status === 'renamed' && f.previous_filename)
        return [
          { path: f.previous_filename, status: 'removed' },
          { path: f.filename, status: 'added' },
        ];
      return [
        {
          path: f.filename,
          status: f.status === 'added' ? 'added' : 'modified',
        },
      ];
    });
  }

  async readBatch(reads: RepositoryRead[]): Promise<RepositorySnapshot[]> {
    // One GraphQL request per owner and 100 repositories: tokens are per owner (GitHub App installations).
    const groups = new Map<
      string,
      Array<{ index: number; read: RepositoryRead }>
    >();
    const results: RepositorySnapshot[] = new Array(reads.length);
    reads.forEach((read, index) => {
      let key: string;
      try {
        const { host, owner } = parseGithubRepoUrl(read.repoUrl);
        key = `${host}/${owner}`;
      } catch (error) {
        results[index] = missing(read, (error as Error).message);
        return;
      }
      const group = groups.get(key) ?? [];
      group.push({ index, read });
      groups.set(key, group);
    });
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i += BATCH_SIZE) {
        const chunk = group.slice(i, i + BATCH_SIZE);
        const answers = await this.readChunk(chunk.map(c => c.read));
        chunk.forEach((c, j) => {
          results[c.index] = answers[j];
        });
      }
    }
    return results;
  }

  private async readChunk(
    reads: RepositoryRead[],
  ): Promise<RepositorySnapshot[]> {
    const { octokit, owner } = this.client(reads[0].repoUrl);
    const { host } = parseGithubRepoUrl(reads[0].repoUrl);
    const { token } = await this.credentials.getCredentials({
      url: `https://${host}/${owner}`,
    });
    if (!token) {
      const message = `No GitHub credentials for https://${host}/${owner}: configure a token or GitHub App under integrations.github`;
      return reads.map(read => missing(read, message));
    }
    // Every value travels as a variable, never spliced into the document.
    const declarations: string[] = [];
    const fields: string[] = [];
    const variables: Record<string, unknown> = {};
    reads.forEach((read, r) => {
      const { owner: o, repo } = parseGithubRepoUrl(read.repoUrl);
      declarations.push(`$o${r}: String!`, `$n${r}: String!`);
      variables[`o${r}`] = o;
      variables[`n${r}`] = repo;
      const inner = ['defaultBranchRef { name }'];
      read.paths.forEach((p, f) => {
        declarations.push(`$e${r}_${f}: String!`);
        variables[`e${r}_${f}`] = `HEAD:${p}`;
        inner.push(
          `f${f}: object(expression: $e${r}_${f}) { ... on Blob { text isBinary } }`,
        );
      });
      (read.pullRequests ?? []).forEach((n, k) => {
        declarations.push(`$p${r}_${k}: Int!`);
        variables[`p${r}_${k}`] = n;
        inner.push(
          `p${k}: pullRequest(number: $p${r}_${k}) { number url state isDraft labels(first: 50) { nodes { name } } }`,
        );
      });
      fields.push(
        `r${r}: repository(owner: $o${r}, name: $n${r}) { ${inner.join(' ')} }`,
      );
    });
    const query = `query(${declarations.join(', ')}) { ${fields.join(' ')} }`;
    let data: Record<string, any> | undefined;
    let errors: Array<{ path?: Array<string | number>; message: string }> = [];
    try {
      data = await octokit.graphql<Record<string, any>>(query, {
        ...variables,
        headers: { authorization: `token ${token}` },
      });
    } catch (error) {
      const e = error as {
        data?: Record<string, any>;
        errors?: typeof errors;
        message: string;
      };
      if (!e.data) {
        return reads.map(read => missing(read, e.message));
      }
      // Partial answers: a repository or pull request that does not exist is an error beside the others' data.
      data = e.data;
      errors = e.errors ?? [];
    }
    return reads.map((read, r) => {
      const repository = data?.[`r${r}`];
      if (!repository) {
        const error = errors.find(
          x => x.path?.[0] === `r${r}` && x.path.length === 1,
        );
        return missing(
          read,
          error?.message ??
            `${read.repoUrl} does not exist or the GitHub credentials cannot see it`,
        );
      }
      const files: Record<string, string | undefined> = {};
      read.paths.forEach((p, f) => {
        const blob = repository[`f${f}`];
        files[p] = blob && !blob.isBinary ? blob.text ?? undefined : undefined;
      });
      const pullRequests: Record<number, PullRequestState | undefined> = {};
      (read.pullRequests ?? []).forEach((n, k) => {
        const pull = repository[`p${k}`];
        pullRequests[n] = pull
          ? {
              number: pull.number,
              url: pull.url,
              state: String(
                pull.state,
              ).toLowerCase() as PullRequestState['state'],
              draft: Boolean(pull.isDraft),
              labels: (pull.labels?.nodes ?? []).map(
                (l: { name: string }) => l.name,
              ),
            }
          : undefined;
      });
      return {
        repoUrl: read.repoUrl,
        found: true,
        defaultBranch: repository.defaultBranchRef?.name,
        files,
        pullRequests,
      };
    });
  }

  /** Adds and removes labels so the pull request carries what the request asks; returns its labels. */
  private async setLabels(
    octokit: Client,
    owner: string,
    repo: string,
    number: number,
    current: string[],
    request: ChangeRequest,
  ): Promise<string[]> {
    const wanted = request.pullRequest?.labels;
    let labels = current;
    const add = (wanted?.add ?? []).filter(l => !labels.includes(l));
    if (add.length) {
      const { data } = await octokit.issues.addLabels({
        owner,
        repo,
        issue_number: number,
        labels: add,
      });
      labels = data.map(l => l.name);
    }
    for (const name of (wanted?.remove ?? []).filter(l => labels.includes(l))) {
      await unlessMissing(
        octokit.issues.removeLabel({ owner, repo, issue_number: number, name }),
      );
      labels = labels.filter(l => l !== name);
    }
    return labels;
  }

  /** GitHub switches draft state through GraphQL only. */
  private async setDraft(octokit: Client, nodeId: string, draft: boolean) {
    const mutation = draft
      ? 'mutation($id: ID!) { convertPullRequestToDraft(input: { pullRequestId: $id }) { pullRequest { isDraft } } }'
      : 'mutation($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } } }';
    await octokit.graphql(mutation, { id: nodeId });
  }

  private async openPull(
    octokit: Client,
    owner: string,
    repo: string,
    branch: string,
  ): Promise<OpenPull | undefined> {
    const { data } = await octokit.pulls.list({
      owner,
      repo,
      state: 'open',
      head: `${owner}:${branch}`,
      per_page: 1,
    });
    const pull = data[0];
    return pull
      ? {
          number: pull.number,
          url: pull.html_url,
          nodeId: pull.node_id,
          draft: Boolean(pull.draft),
          labels: (pull.labels ?? []).map(l => l.name),
          title: pull.title,
          body: pull.body ?? '',
        }
      : undefined;
  }

  private async writeTree(
    octokit: Client,
    owner: string,
    repo: string,
    baseTree: string,
    files: FileChange[],
  ): Promise<string> {
    if (files.length === 0) return baseTree;
    const tree = [];
    for (const f of files) {
      const mode = f.executable ? ('100755' as const) : ('100644' as const);
      if (f.content === null) {
        tree.push({ path: f.path, mode, type: 'blob' as const, sha: null });
      } else if (f.encoding === 'base64') {
        // Tree entries carry text only: binary content goes in as a blob first.
        const { data } = await octokit.git.createBlob({
          owner,
          repo,
          content: f.content,
          encoding: 'base64',
        });
        tree.push({ path: f.path, mode, type: 'blob' as const, sha: data.sha });
      } else {
        tree.push({
          path: f.path,
          mode,
          type: 'blob' as const,
          content: f.content,
        });
      }
    }
    const { data } = await octokit.git.createTree({
      owner,
      repo,
      base_tree: baseTree,
      tree,
    });
    return data.sha;
  }

  private async commit(
    octokit: Client,
    owner: string,
    repo: string,
    request: ChangeRequest,
    tree: string,
    parent: string,
  ): Promise<string> {
    const { data } = await octokit.git.createCommit({
      owner,
      repo,
      message: request.message,
      tree,
      parents: [parent],
    });
    return data.sha;
  }
}
