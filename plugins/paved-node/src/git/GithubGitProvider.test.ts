import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { GitProviders } from './GitProviders';
import { parseGithubRepoUrl } from './GithubGitProvider';

const API = 'https://api.github.com';
const TOKEN = 'ghp_canary_0123456789';
const REPO = 'https://github.com/acme/gitops';

function providers(token: string | undefined = TOKEN) {
  const logger = mockServices.logger.mock();
  const config = new ConfigReader({
    integrations: {
      github: [{ host: 'github.com', ...(token ? { token } : {}) }],
    },
  });
  return {
    logger,
    git: GitProviders.fromConfig(config, logger, {
      retryAfterBaseValue: 1,
      writeMinTimeMs: 0,
    }),
  };
}

const sha = (c: string) => c.repeat(40);

describe('GithubGitProvider (msw)', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const calls: string[] = [];
  beforeEach(() => {
    calls.length = 0;
  });

  /** A repository whose main holds tree `base`, with no PR branch yet. */
  function repository(options: { failFirstTree?: number } = {}) {
    let treeFailures = options.failFirstTree ?? 0;
    let pulls: Array<{ number: number; html_url: string }> = [];
    const branches: Record<string, string> = { main: sha('a') };
    server.use(
      http.all(`${API}/*`, ({ request }) => {
        calls.push(
          `${request.method} ${
            new URL(request.url).pathname
          } ${request.headers.get('authorization')}`,
        );
        return undefined;
      }),
      http.get(`${API}/repos/acme/gitops`, () =>
        HttpResponse.json({ default_branch: 'main' }),
      ),
      http.get(`${API}/repos/acme/gitops/git/ref/:ref+`, ({ params }) => {
        const branch = (params.ref as string[])
          .join('/')
          .replace(/^heads\//, '');
        return branches[branch]
          ? HttpResponse.json({ object: { sha: branches[branch] } })
          : HttpResponse.json({ message: 'Not Found' }, { status: 404 });
      }),
      http.get(`${API}/repos/acme/gitops/git/commits/:sha`, ({ params }) =>
        HttpResponse.json({
          sha: params.sha,
          tree: { sha: params.sha === sha('a') ? sha('b') : sha('t') },
        }),
      ),
      http.post(`${API}/repos/acme/gitops/git/trees`, () => {
        if (treeFailures-- > 0)
          return HttpResponse.json(
            { message: 'Server Error' },
            { status: 502 },
          );
        return HttpResponse.json({ sha: sha('t') }, { status: 201 });
      }),
      http.post(`${API}/repos/acme/gitops/git/commits`, () =>
        HttpResponse.json({ sha: sha('c') }, { status: 201 }),
      ),
      http.post(`${API}/repos/acme/gitops/git/refs`, async ({ request }) => {
        const body = (await request.json()) as { ref: string; sha: string };
        branches[body.ref.replace('refs/heads/', '')] = body.sha;
        return HttpResponse.json({}, { status: 201 });
      }),
      http.get(`${API}/repos/acme/gitops/pulls`, () =>
        HttpResponse.json(pulls),
      ),
      http.post(`${API}/repos/acme/gitops/pulls`, () => {
        pulls = [
          { number: 7, html_url: 'https://github.com/acme/gitops/pull/7' },
        ];
        return HttpResponse.json(pulls[0], { status: 201 });
      }),
      http.patch(`${API}/repos/acme/gitops/pulls/:n`, () =>
        HttpResponse.json(pulls[0]),
      ),
    );
  }

  const change = {
    repoUrl: REPO,
    mode: 'pull-request' as const,
    branch: 'paved/namespace/orders',
    message: 'Namespace orders',
    files: [{ path: 'clusters/dev/orders.yaml', content: 'a: 1\n' }],
  };

  it('commits through the git data API and opens one pull request, then only refreshes it', async () => {
    repository();
    const { git } = providers();
    const first = await git.applyChange(change);
    expect(first).toEqual({
      changed: true,
      commitSha: sha('c'),
      branch: 'paved/namespace/orders',
      pullRequest: {
        number: 7,
        url: 'https://github.com/acme/gitops/pull/7',
        created: true,
        draft: false,
        labels: [],
      },
    });
    calls.length = 0;
    const second = await git.applyChange(change);
    expect(second).toMatchObject({
      changed: false,
      pullRequest: { number: 7, created: false },
    });
    expect(calls.filter(c => c.startsWith('POST'))).toEqual([
      expect.stringMatching(/^POST \/repos\/acme\/gitops\/git\/trees /),
    ]);
  });

  it('authenticates every request with the integration token', async () => {
    repository();
    await providers().git.applyChange(change);
    expect(calls.length).toBeGreaterThan(5);
    expect(calls.every(c => c.endsWith(`token ${TOKEN}`))).toBe(true);
  });

  it('retries a 502 (plugin-retry) and succeeds', async () => {
    repository({ failFirstTree: 2 });
    const result = await providers().git.applyChange(change);
    expect(result.changed).toBe(true);
    expect(
      calls.filter(c => c.startsWith('POST /repos/acme/gitops/git/trees')),
    ).toHaveLength(3);
  });

  it('waits out a secondary rate limit once (plugin-throttling), without logging the token', async () => {
    repository();
    let limited = false;
    server.use(
      http.get(`${API}/repos/acme/gitops`, () => {
        if (limited) return HttpResponse.json({ default_branch: 'main' });
        limited = true;
        return HttpResponse.json(
          { message: 'You have exceeded a secondary rate limit.' },
          { status: 403, headers: { 'retry-after': '1' } },
        );
      }),
    );
    const { git, logger } = providers();
    await expect(git.applyChange(change)).resolves.toMatchObject({
      changed: true,
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/secondary rate limit on GET/),
    );
    const logged = JSON.stringify((logger.warn as jest.Mock).mock.calls);
    expect(logged).not.toContain(TOKEN);
  });

  it('says which repository is missing', async () => {
    server.use(
      http.get(`${API}/repos/acme/gitops`, () =>
        HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
      ),
    );
    await expect(providers().git.applyChange(change)).rejects.toThrow(
      new NotFoundError(
        `Repository ${REPO} does not exist or the GitHub credentials cannot see it`,
      ),
    );
  });

  it('tells a free repository name from an owner that does not exist', async () => {
    server.use(
      http.get(`${API}/repos/:owner/:repo`, () =>
        HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
      ),
      http.get(`${API}/users/:name`, ({ params }) =>
        params.name === 'acme'
          ? HttpResponse.json({ login: 'acme', type: 'Organization' })
          : HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
      ),
    );
    const { git } = providers();
    await expect(
      git.repository('https://github.com/acme/new'),
    ).resolves.toEqual({ exists: false, ownerExists: true });
    await expect(
      git.repository('https://github.com/acmee/new'),
    ).resolves.toEqual({ exists: false, ownerExists: false });
  });

  it('refuses to call GitHub without credentials', async () => {
    repository();
    await expect(providers('').git.applyChange(change)).rejects.toBeInstanceOf(
      InputError,
    );
    expect(calls).toEqual([]);
  });

  it.each([
    ['not a url', /is not a repository URL/],
    ['https://github.com/acme', /does not name a repository/],
  ])('rejects the repository URL %p', (url, message) => {
    expect(() => parseGithubRepoUrl(url)).toThrow(message);
  });

  describe('open pull requests and their files', () => {
    const pull = (number: number, ref: string, fullName: string) => ({
      number,
      html_url: `https://github.com/acme/gitops/pull/${number}`,
      title: `PR ${number}`,
      body: number === 1 ? null : 'body',
      draft: number === 2,
      head: { ref, repo: { full_name: fullName } },
    });

    it('lists open pull requests into the base by branch prefix, page after page, leaving forks out', async () => {
      const seen: string[] = [];
      server.use(
        http.get(`${API}/repos/acme/gitops/pulls`, ({ request }) => {
          const url = new URL(request.url);
          seen.push(url.search);
          const page = Number(url.searchParams.get('page') ?? '1');
          if (page === 1)
            return HttpResponse.json(
              [
                pull(1, 'paved/argocd/main/orders-team/orders', 'acme/gitops'),
                pull(2, 'feature/x', 'acme/gitops'),
              ],
              {
                headers: {
                  link: `<${API}/repos/acme/gitops/pulls?state=open&base=main&per_page=100&page=2>; rel="next"`,
                },
              },
            );
          return HttpResponse.json([
            pull(3, 'paved/argocd/main/orders-team/cart', 'Acme/GitOps'),
            pull(4, 'paved/argocd/main/orders-team/evil', 'mallory/gitops'),
          ]);
        }),
      );
      const { git } = providers();
      await expect(
        git.listOpenPullRequests(REPO, {
          branchPrefix: 'paved/argocd/main/orders-team/',
          baseBranch: 'main',
        }),
      ).resolves.toEqual([
        {
          number: 1,
          url: 'https://github.com/acme/gitops/pull/1',
          title: 'PR 1',
          body: '',
          branch: 'paved/argocd/main/orders-team/orders',
          draft: false,
        },
        {
          number: 3,
          url: 'https://github.com/acme/gitops/pull/3',
          title: 'PR 3',
          body: 'body',
          branch: 'paved/argocd/main/orders-team/cart',
          draft: false,
        },
      ]);
      expect(seen[0]).toBe('?state=open&base=main&per_page=100');
      expect(seen).toHaveLength(2);
    });

    it("lists a pull request's files, a rename as a removal and an addition", async () => {
      server.use(
        http.get(`${API}/repos/acme/gitops/pulls/7/files`, () =>
          HttpResponse.json([
            { filename: 'a.yaml', status: 'added' },
            { filename: 'b.yaml', status: 'modified' },
            { filename: 'c.yaml', status: 'removed' },
            {
              filename: 'e.yaml',
              status: 'renamed',
              previous_filename: 'd.yaml',
            },
            { filename: 'f.yaml', status: 'changed' },
          ]),
        ),
      );
      const { git } = providers();
      await expect(git.listPullRequestFiles(REPO, 7)).resolves.toEqual([
        { path: 'a.yaml', status: 'added' },
        { path: 'b.yaml', status: 'modified' },
        { path: 'c.yaml', status: 'removed' },
        { path: 'd.yaml', status: 'removed' },
        { path: 'e.yaml', status: 'added' },
        { path: 'f.yaml', status: 'modified' },
      ]);
    });
  });
});
