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
});
