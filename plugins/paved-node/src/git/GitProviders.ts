import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import {
  GithubGitProvider,
  type GithubGitProviderOptions,
} from './GithubGitProvider';
import { PlainGitProvider } from './PlainGitProvider';
import type {
  ChangeRequest,
  ChangeResult,
  GitProvider,
  OpenPullRequest,
  PullRequestFile,
  RepositoryInfo,
  RepositoryRead,
  RepositorySnapshot,
} from './types';

/**
 * The Git provider for a repository URL: GitHub (Octokit) when `integrations.github` has the URL's host, otherwise
 * the plain git remote.
 * @public
 */
export class GitProviders implements GitProvider {
  static fromConfig(
    config: Config,
    logger: LoggerService,
    options?: GithubGitProviderOptions,
  ): GitProviders {
    const integrations = ScmIntegrations.fromConfig(config);
    return new GitProviders(
      new GithubGitProvider(
        integrations.github,
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
        logger,
        {
          requestTimeoutMs: config.getOptionalNumber('paved.git.timeoutMs'),
          ...options,
        },
      ),
      new PlainGitProvider({
        commandTimeoutMs: config.getOptionalNumber(
          'paved.git.commandTimeoutMs',
        ),
        author: config.has('paved.git.author')
          ? {
              name: config.getString('paved.git.author.name'),
              email: config.getString('paved.git.author.email'),
            }
          : undefined,
      }),
    );
  }

  constructor(
    private readonly github: GithubGitProvider,
    private readonly plain: GitProvider,
  ) {}

  private pick(repoUrl: string): GitProvider {
    return this.github.handles(repoUrl) ? this.github : this.plain;
  }

  readFile(repoUrl: string, path: string, ref?: string) {
    return this.pick(repoUrl).readFile(repoUrl, path, ref);
  }

  applyChange(request: ChangeRequest): Promise<ChangeResult> {
    return this.pick(request.repoUrl).applyChange(request);
  }

  repository(repoUrl: string): Promise<RepositoryInfo> {
    return this.pick(repoUrl).repository(repoUrl);
  }

  listOpenPullRequests(
    repoUrl: string,
    options: { branchPrefix: string; baseBranch?: string },
  ): Promise<OpenPullRequest[]> {
    return this.pick(repoUrl).listOpenPullRequests(repoUrl, options);
  }

  listPullRequestFiles(
    repoUrl: string,
    pullNumber: number,
  ): Promise<PullRequestFile[]> {
    return this.pick(repoUrl).listPullRequestFiles(repoUrl, pullNumber);
  }

  async readBatch(reads: RepositoryRead[]): Promise<RepositorySnapshot[]> {
    const github: number[] = [];
    const plain: number[] = [];
    reads.forEach((r, i) =>
      (this.github.handles(r.repoUrl) ? github : plain).push(i),
    );
    const results: RepositorySnapshot[] = new Array(reads.length);
    const [fromGithub, fromPlain] = await Promise.all([
      github.length
        ? this.github.readBatch(github.map(i => reads[i]))
        : Promise.resolve([]),
      plain.length
        ? this.plain.readBatch(plain.map(i => reads[i]))
        : Promise.resolve([]),
    ]);
    github.forEach((i, j) => {
      results[i] = fromGithub[j];
    });
    plain.forEach((i, j) => {
      results[i] = fromPlain[j];
    });
    return results;
  }
}
