import path from 'node:path';
import type { Handler, SandboxRequest } from '../http';
import { json } from '../http';
import type { SandboxSeed } from '../seed';
import { serveGraphql } from './graphql';
import { servePage } from './pages';
import { PullStore } from './pulls';
import { RepoStore } from './repos';
import { notFound, serveRest } from './rest';
import { serveSmartHttp, smartHttpPath } from './smartHttp';

/** The user a request's token belongs to: `token X`/`Bearer X` (REST) or Basic with the token as password (git). */
function userOf(req: SandboxRequest, seed: SandboxSeed): string | undefined {
  const auth = String(req.headers.authorization ?? '');
  const m = /^(token|bearer|basic)\s+(.+)$/i.exec(auth);
  if (!m) return undefined;
  const token =
    m[1].toLowerCase() === 'basic'
      ? Buffer.from(m[2], 'base64')
          .toString('utf8')
          .split(':')
          .slice(1)
          .join(':')
      : m[2];
  return seed.github.tokens[token];
}

/**
 * GitHub as GitHub Enterprise Server lays it out, at the sandbox's root: git smart HTTP at `/<owner>/<repo>.git`,
 * REST at `/api/v3`, GraphQL at `/api/graphql`. Repositories are real bare repositories under `<stateDir>/github`, so git, Octokit and
 * Backstage's GitHub integration see the same commits.
 */
export async function githubStandIn(
  seed: SandboxSeed,
  stateDir: string,
  baseUrl: () => string,
): Promise<{ handler: Handler; store: RepoStore; pulls: PullStore }> {
  const store = new RepoStore(path.join(stateDir, 'github', 'repos'));
  const pulls = new PullStore(path.join(stateDir, 'github', 'pulls.json'));
  const protections = new Map<string, unknown>();
  for (const repo of seed.github.repos) {
    if (store.exists(seed.github.org, repo.name)) continue;
    await store.seed(seed.github.org, repo.name, repo.files);
    for (const version of repo.versions ?? []) {
      await store.commitFiles(
        seed.github.org,
        repo.name,
        version.files,
        `release ${[version.tag, ...(version.tags ?? [])].join(', ')}`,
        [version.tag, ...(version.tags ?? [])],
      );
    }
  }
  const handler: Handler = async req => {
    const pathname = req.url.pathname;
    const smart = smartHttpPath(pathname);
    const isApi = pathname === '/api/v3' || pathname.startsWith('/api/v3/');
    const isGraphql = pathname === '/api/graphql';
    const web = baseUrl();
    const ctx = (user: string) => ({
      web,
      api: `${web}/api/v3`,
      store,
      pulls,
      user,
      org: seed.github.org,
      protections,
    });
    if (!smart && !isApi && !isGraphql) {
      // Browser pages (development only): act as the sandbox's bot, as a person signed in to GitHub would.
      const bot = Object.values(seed.github.tokens)[0];
      return servePage(ctx(bot), pulls, store, req, (method, route) =>
        serveRest(ctx(bot), { ...req, method, body: Buffer.alloc(0) }, route),
      );
    }
    const user = userOf(req, seed);
    if (smart) {
      if (!user)
        return {
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="GitHub"' },
          text: 'Authentication required',
        };
      return serveSmartHttp(req, store, smart, user);
    }
    if (!user)
      return json(401, {
        message: 'Requires authentication',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    if (isGraphql) return serveGraphql(req, store, pulls, web, user);
    const response = await serveRest(
      ctx(user),
      req,
      pathname.slice('/api/v3'.length),
    );
    return response ?? notFound();
  };
  return { handler, store, pulls };
}
