import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { GitOpsWriter } from './GitOpsWriter';
import type {
  ChangeRequest,
  GitProvider,
  OpenPullRequest,
  PullRequestFile,
  RepositoryRead,
} from './types';
import type { JsonObject } from '@backstage/types';

function writer(gitops?: JsonObject) {
  const git: jest.Mocked<GitProvider> = {
    readFile: jest.fn(
      async (
        _url: string,
        _path: string,
        _ref?: string,
      ): Promise<string | undefined> => undefined,
    ),
    applyChange: jest.fn(async (_request: ChangeRequest) => ({
      changed: true,
      branch: 'b',
    })),
    readBatch: jest.fn(async (_reads: RepositoryRead[]) => []),
    repository: jest.fn(async (_url: string) => ({ exists: true })),
    listOpenPullRequests: jest.fn(
      async (
        _url: string,
        _options: { branchPrefix: string; baseBranch?: string },
      ): Promise<OpenPullRequest[]> => [],
    ),
    listPullRequestFiles: jest.fn(
      async (_url: string, _number: number): Promise<PullRequestFile[]> => [],
    ),
  };
  return {
    git,
    writer: GitOpsWriter.fromConfig(
      new ConfigReader(gitops ? { paved: { gitops } } : {}),
      git,
    ),
  };
}

describe('GitOpsWriter', () => {
  it('writes below the base folder, in the configured mode and branch', async () => {
    const { writer: w, git } = writer({
      repoUrl: 'https://github.com/acme/gitops',
      basePath: '/clusters/',
      mode: 'commit',
      baseBranch: 'trunk',
    });
    await w.write({
      files: [{ path: 'dev/ns.yaml', content: 'x' }],
      branch: 'paved/x',
      message: 'm',
      title: 't',
      body: 'b',
    });
    expect(git.applyChange).toHaveBeenCalledWith({
      repoUrl: 'https://github.com/acme/gitops',
      baseBranch: 'trunk',
      mode: 'commit',
      branch: 'paved/x',
      message: 'm',
      files: [{ path: 'clusters/dev/ns.yaml', content: 'x' }],
      pullRequest: { title: 't', body: 'b' },
    });
    await w.read('dev/ns.yaml');
    expect(git.readFile).toHaveBeenCalledWith(
      'https://github.com/acme/gitops',
      'clusters/dev/ns.yaml',
      'trunk',
    );
  });

  it.each(['../secrets.yaml', 'a/../../b', '/etc/passwd', '', 'x/.git/config'])(
    'refuses the path %p',
    async file => {
      const { writer: w, git } = writer({
        repoUrl: 'https://github.com/acme/gitops',
      });
      expect(() => w.pathOf(file)).toThrow(InputError);
      await expect(w.read(file)).rejects.toThrow(
        /not a path inside the GitOps folder/,
      );
      expect(git.readFile).not.toHaveBeenCalled();
    },
  );

  it('tells the operator what to configure when GitOps is not set up', () => {
    expect(() => writer().writer.config).toThrow(
      'GitOps is not configured: set paved.gitops.repoUrl (and optionally basePath, mode, baseBranch)',
    );
  });

  it('refuses an unknown mode at startup', () => {
    expect(() =>
      writer({ repoUrl: 'https://github.com/acme/gitops', mode: 'merge' }),
    ).toThrow(/paved.gitops.mode must be pull-request or commit/);
  });

  describe('open changes', () => {
    const pull = {
      number: 7,
      url: 'https://github.com/acme/gitops/pull/7',
      title: 't',
      body: 'b',
      branch: 'paved/argocd/main/orders-team/orders',
      draft: false,
    };

    it('lists open pull requests by branch prefix into the base branch, and none in commit mode', async () => {
      const { writer: w, git } = writer({
        repoUrl: 'https://github.com/acme/gitops',
        baseBranch: 'trunk',
      });
      git.listOpenPullRequests.mockResolvedValue([pull]);
      await expect(w.openChanges('paved/argocd/')).resolves.toEqual([pull]);
      expect(git.listOpenPullRequests).toHaveBeenCalledWith(
        'https://github.com/acme/gitops',
        { branchPrefix: 'paved/argocd/', baseBranch: 'trunk' },
      );
      const commit = writer({
        repoUrl: 'https://github.com/acme/gitops',
        mode: 'commit',
      });
      await expect(commit.writer.openChanges('paved/')).resolves.toEqual([]);
      expect(commit.git.listOpenPullRequests).not.toHaveBeenCalled();
    });

    it("reads a pull request's files from its branch, relative to the base folder, and refuses files outside it", async () => {
      const { writer: w, git } = writer({
        repoUrl: 'https://github.com/acme/gitops',
        basePath: 'platform',
      });
      git.listPullRequestFiles.mockResolvedValue([
        { path: 'platform/argocd/a.yaml', status: 'added' },
        { path: 'platform/argocd/old.yaml', status: 'removed' },
      ]);
      git.readFile.mockImplementation(async (_u, p, ref) => `${p}@${ref}`);
      await expect(w.changeFiles(pull)).resolves.toEqual([
        {
          path: 'argocd/a.yaml',
          content: `platform/argocd/a.yaml@${pull.branch}`,
        },
        { path: 'argocd/old.yaml', content: null },
      ]);
      git.listPullRequestFiles.mockResolvedValue([
        { path: 'README.md', status: 'modified' },
      ]);
      await expect(w.changeFiles(pull)).rejects.toThrow(
        'Pull request https://github.com/acme/gitops/pull/7 changes README.md, outside the GitOps folder platform: Paved does not rewrite it',
      );
    });
  });
});
