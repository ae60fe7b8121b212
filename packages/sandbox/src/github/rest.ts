import type { SandboxRequest, SandboxResponse } from '../http';
import { json } from '../http';
import fs from 'node:fs';
import { join as joinPath } from 'node:path';
import type { PullStore, StoredPull } from './pulls';
import { git, gitBytes, GitCommandError, RepoStore } from './repos';
import {
  type AccountType,
  labelJson,
  nodeId,
  privateUser,
  publicUser,
  type PullFacts,
  pullRequestJson,
  pullRequestSimple,
  type PullStats,
  repositoryJson,
  simpleUser,
  teamJson,
} from './shapes';

const DOCS = 'https://docs.github.com/rest';

export const notFound = () =>
  json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });

export const validationFailed = (
  message: string,
  errors: Array<Record<string, string>> = [],
) =>
  json(422, {
    message,
    errors,
    documentation_url: DOCS,
    status: '422',
  });

/** Everything a REST route needs: where it is served from and the stores behind it. */
export interface RestContext {
  /** Base URL of the sandbox, e.g. http://127.0.0.1:7440 (html and clone URLs). */
  web: string;
  /** REST base, `${web}/api/v3`. */
  api: string;
  store: RepoStore;
  pulls: PullStore;
  user: string;
  /** The seeded organisation. */
  org: string;
  /** Branch protections by `owner/repo#branch`. */
  protections: Map<string, unknown>;
}

type Body = Record<string, any>;

function body(req: SandboxRequest): Body | undefined {
  if (req.body.length === 0) return {};
  try {
    const parsed = JSON.parse(req.body.toString('utf8'));
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const SHA = /^[0-9a-f]{40}$/;

/** When this sandbox started: the creation time of the accounts it knows (they exist as long as it runs). */
const STARTED = new Date().toISOString();

const accountType = (ctx: RestContext, login: string): AccountType =>
  login === ctx.org ? 'Organization' : 'User';

/** The newest modification time of a bare repository's branch refs: when it was last pushed to. */
function pushedAt(dir: string): string {
  const heads = joinPath(dir, 'refs', 'heads');
  const mtime = (p: string) =>
    fs.statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const times = [
    mtime(joinPath(dir, 'packed-refs')),
    mtime(heads),
    ...fs
      .readdirSync(heads, { recursive: true })
      .map(f => mtime(joinPath(heads, String(f)))),
  ];
  return new Date(Math.max(...times)).toISOString();
}

async function repoJson(ctx: RestContext, owner: string, name: string) {
  const dir = ctx.store.dir(owner, name);
  const stat = fs.statSync(dir);
  // GitHub's `size` is the repository's KiB: `git count-objects -v` gives loose (size) and packed (size-pack) KiB.
  const counts = await git(dir, ['count-objects', '-v']);
  const kib = (key: string) =>
    Number(new RegExp(`^${key}: (\\d+)$`, 'm').exec(counts)?.[1] ?? 0);
  return repositoryJson(ctx, {
    owner,
    ownerType: accountType(ctx, owner),
    name,
    defaultBranch: await ctx.store.defaultBranch(owner, name),
    createdAt: (stat.birthtimeMs ? stat.birthtime : stat.ctime).toISOString(),
    pushedAt: pushedAt(dir),
    sizeKb: kib('size') + kib('size-pack'),
    openIssues: ctx.pulls.list(owner, name).filter(p => p.state === 'open')
      .length,
  });
}

function commitUrls(ctx: RestContext, full: string, sha: string) {
  return {
    url: `${ctx.api}/repos/${full}/git/commits/${sha}`,
    html_url: `${ctx.web}/${full}/commit/${sha}`,
  };
}

async function commitJson(
  ctx: RestContext,
  dir: string,
  full: string,
  sha: string,
) {
  const raw = await git(dir, ['cat-file', 'commit', sha]);
  const [head, ...message] = raw.split('\n\n');
  const lines = head.split('\n');
  const person = (kind: string) => {
    const line = lines.find(l => l.startsWith(`${kind} `)) ?? '';
    const m = /^\w+ (.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(line);
    return m
      ? {
          name: m[1],
          email: m[2],
          date: new Date(Number(m[3]) * 1000).toISOString(),
        }
      : undefined;
  };
  const tree = lines.find(l => l.startsWith('tree '))!.slice(5);
  return {
    sha,
    node_id: nodeId('Commit', sha),
    ...commitUrls(ctx, full, sha),
    author: person('author'),
    committer: person('committer'),
    message: message.join('\n\n').replace(/\n$/, ''),
    tree: { sha: tree, url: `${ctx.api}/repos/${full}/git/trees/${tree}` },
    parents: lines
      .filter(l => l.startsWith('parent '))
      .map(l => ({ sha: l.slice(7), ...commitUrls(ctx, full, l.slice(7)) })),
    verification: {
      verified: false,
      reason: 'unsigned',
      signature: null,
      payload: null,
      verified_at: null,
    },
  };
}

async function treeJson(
  ctx: RestContext,
  dir: string,
  full: string,
  sha: string,
  recursive: boolean,
) {
  const out = await git(dir, [
    'ls-tree',
    '-l',
    ...(recursive ? ['-r', '-t'] : []),
    sha,
  ]);
  return {
    sha,
    url: `${ctx.api}/repos/${full}/git/trees/${sha}`,
    truncated: false,
    tree: out
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [meta, entryPath] = line.split('\t');
        const [mode, type, entrySha, size] = meta.split(/\s+/);
        return {
          path: entryPath,
          mode,
          type,
          sha: entrySha,
          ...(type === 'blob' ? { size: Number(size) } : {}),
          url: `${ctx.api}/repos/${full}/git/${type}s/${entrySha}`,
        };
      }),
  };
}

function refJson(ctx: RestContext, full: string, ref: string, sha: string) {
  return {
    ref,
    node_id: nodeId('Ref', `${full}:${ref}`),
    url: `${ctx.api}/repos/${full}/git/${ref}`,
    object: {
      sha,
      type: 'commit',
      url: `${ctx.api}/repos/${full}/git/commits/${sha}`,
    },
  };
}

async function pullFacts(
  ctx: RestContext,
  dir: string,
  pull: StoredPull,
  // A list reads its repository once for all its pull requests.
  repo?: Awaited<ReturnType<typeof repoJson>>,
): Promise<PullFacts> {
  const sha = async (branch: string) =>
    (await ctx.store.resolve(dir, `refs/heads/${branch}`)) ?? null;
  return {
    full: `${pull.owner}/${pull.repo}`,
    number: pull.number,
    state: pull.state,
    title: pull.title,
    body: pull.body,
    draft: pull.draft,
    merged: pull.merged,
    // The sandbox's one token merges (PUT …/merge).
    mergedBy: pull.merged ? ctx.user : null,
    author: pull.user,
    // Paved opens pull requests as an app: the author is a Bot (as the GraphQL side's `author` says).
    authorType: 'Bot',
    labels: pull.labels,
    reviewers: pull.reviewers ?? { users: [], teams: [] },
    createdAt: pull.createdAt,
    updatedAt: pull.updatedAt,
    closedAt: pull.closedAt,
    mergeCommitSha: pull.mergeCommitSha ?? null,
    head: { ref: pull.head, sha: await sha(pull.head) },
    base: { ref: pull.base, sha: await sha(pull.base) },
    repo: repo ?? (await repoJson(ctx, pull.owner, pull.repo)),
  };
}

/** A pull request as lists and review requests answer it (pull-request-simple). */
async function pullSimpleJson(
  ctx: RestContext,
  dir: string,
  pull: StoredPull,
  repo?: Awaited<ReturnType<typeof repoJson>>,
) {
  return pullRequestSimple(ctx, await pullFacts(ctx, dir, pull, repo));
}

/** A pull request as `GET/POST/PATCH …/pulls` answer it, with counts and mergeability from git (pull-request). */
async function pullJson(ctx: RestContext, dir: string, pull: StoredPull) {
  const facts = await pullFacts(ctx, dir, pull);
  const range = await pullRange(ctx, dir, pull);
  const stats: PullStats = {
    commits: 0,
    additions: 0,
    deletions: 0,
    changedFiles: 0,
    mergeable: null,
  };
  if (range) {
    const rows = (await git(dir, ['diff', '--numstat', range.from, range.to]))
      .split('\n')
      .filter(Boolean)
      .map(l => l.split('\t'));
    stats.commits = Number(
      (
        await git(dir, ['rev-list', '--count', `${range.from}..${range.to}`])
      ).trim(),
    );
    stats.additions = rows.reduce((n, r) => n + (Number(r[0]) || 0), 0);
    stats.deletions = rows.reduce((n, r) => n + (Number(r[1]) || 0), 0);
    stats.changedFiles = rows.length;
  }
  // GitHub computes mergeability for open pull requests only; `git merge-tree` exits 1 on a conflict.
  if (pull.state === 'open' && facts.base.sha && facts.head.sha)
    stats.mergeable = await git(dir, [
      'merge-tree',
      '--write-tree',
      facts.base.sha,
      facts.head.sha,
    ]).then(
      () => true,
      () => false,
    );
  return pullRequestJson(ctx, facts, stats);
}

/** The commits a pull request's diff is between: where its head left the base, and head (as they were when merged). */
export async function pullRange(
  ctx: RestContext,
  dir: string,
  pull: StoredPull,
): Promise<{ from: string; to: string } | undefined> {
  if (pull.mergedRange) return pull.mergedRange;
  const base = await ctx.store.resolve(dir, `refs/heads/${pull.base}`);
  const head = await ctx.store.resolve(dir, `refs/heads/${pull.head}`);
  if (!base || !head) return undefined;
  const from = (await git(dir, ['merge-base', base, head])).trim();
  return { from, to: head };
}

const FILE_STATUS: Record<string, string> = {
  A: 'added',
  D: 'removed',
  M: 'modified',
  T: 'changed',
  R: 'renamed',
  C: 'copied',
};

/** GitHub's diff entries (`pulls/{n}/files`, `compare`): status, counts, blob sha and the unified patch per file. */
export async function changedFiles(
  ctx: RestContext,
  dir: string,
  owner: string,
  repo: string,
  range: { from: string; to: string },
) {
  const full = `${owner}/${repo}`;
  const [status, numstat] = await Promise.all([
    git(dir, ['diff', '--name-status', '-M', '-z', range.from, range.to]),
    git(dir, ['diff', '--numstat', '-M', '-z', range.from, range.to]),
  ]);
  const counts = new Map<string, { additions: number; deletions: number }>();
  // -z numstat: "<add>\t<del>\t<path>\0" or, for renames, "<add>\t<del>\t\0<from>\0<to>\0".
  const numParts = numstat.split('\0');
  for (let i = 0; i < numParts.length - 1; i++) {
    const [add, del, file] = numParts[i].split('\t');
    const target = file === '' ? numParts[(i += 2)] : file;
    counts.set(target, {
      additions: Number(add) || 0,
      deletions: Number(del) || 0,
    });
  }
  const entries: Array<{ status: string; path: string; previous?: string }> =
    [];
  const parts = status.split('\0');
  for (let i = 0; i < parts.length - 1; ) {
    const code = parts[i++];
    if (code.startsWith('R') || code.startsWith('C')) {
      entries.push({ status: code[0], previous: parts[i++], path: parts[i++] });
    } else {
      entries.push({ status: code[0], path: parts[i++] });
    }
  }
  return Promise.all(
    entries.map(async e => {
      const side = e.status === 'D' ? range.from : range.to;
      const sha = (
        await git(dir, ['rev-parse', `${side}:${e.path}`]).catch(() => '')
      ).trim();
      const patch = await git(dir, [
        'diff',
        '-M',
        range.from,
        range.to,
        '--',
        ...(e.previous ? [e.previous] : []),
        e.path,
      ]);
      const { additions, deletions } = counts.get(e.path) ?? {
        additions: 0,
        deletions: 0,
      };
      const hunks = patch.indexOf('\n@@');
      return {
        sha,
        filename: e.path,
        status: FILE_STATUS[e.status] ?? 'modified',
        additions,
        deletions,
        changes: additions + deletions,
        blob_url: `${ctx.web}/${full}/blob/${range.to}/${e.path}`,
        raw_url: `${ctx.web}/${full}/raw/${range.to}/${e.path}`,
        contents_url: `${ctx.api}/repos/${full}/contents/${e.path}?ref=${range.to}`,
        ...(hunks >= 0 ? { patch: patch.slice(hunks + 1).trimEnd() } : {}),
        ...(e.previous ? { previous_filename: e.previous } : {}),
      };
    }),
  );
}

type Route = (
  ctx: RestContext,
  req: SandboxRequest,
  params: { owner: string; repo: string; rest: string; dir: string },
) => Promise<SandboxResponse | undefined>;

const gitRefs: Route = async (ctx, req, { owner, repo, rest, dir }) => {
  const full = `${owner}/${repo}`;
  let m = /^git\/ref\/(.+)$/.exec(rest);
  if (m && req.method === 'GET') {
    const ref = `refs/${m[1]}`;
    const sha = await ctx.store.resolve(dir, ref);
    return sha ? json(200, refJson(ctx, full, ref, sha)) : notFound();
  }
  if (rest === 'git/refs' && req.method === 'POST') {
    const b = body(req);
    if (
      !b ||
      typeof b.ref !== 'string' ||
      !/^refs\/.+/.test(b.ref) ||
      !SHA.test(String(b.sha))
    )
      return validationFailed(
        'Reference name must start with refs/ and sha must be a full commit sha',
      );
    if (await ctx.store.resolve(dir, b.ref))
      return validationFailed('Reference already exists');
    try {
      await git(dir, ['update-ref', b.ref, b.sha, '0'.repeat(40)]);
    } catch (error) {
      return validationFailed(
        `Object does not exist (${(error as Error).message})`,
      );
    }
    return json(201, refJson(ctx, full, b.ref, b.sha));
  }
  m = /^git\/refs\/(.+)$/.exec(rest);
  if (m && req.method === 'PATCH') {
    const ref = `refs/${m[1]}`;
    const b = body(req);
    if (!b || !SHA.test(String(b.sha)))
      return validationFailed('sha must be a full commit sha');
    const old = await ctx.store.resolve(dir, ref);
    if (!old) return validationFailed('Reference does not exist');
    if (!(await ctx.store.resolve(dir, b.sha)))
      return validationFailed('Object does not exist');
    if (!b.force) {
      try {
        await git(dir, ['merge-base', '--is-ancestor', old, b.sha]);
      } catch {
        return validationFailed('Update is not a fast forward');
      }
    }
    await git(dir, ['update-ref', ref, b.sha, old]);
    return json(200, refJson(ctx, full, ref, b.sha));
  }
  if (m && req.method === 'DELETE') {
    const ref = `refs/${m[1]}`;
    if (!(await ctx.store.resolve(dir, ref)))
      return validationFailed('Reference does not exist');
    await git(dir, ['update-ref', '-d', ref]);
    return { status: 204 };
  }
  return undefined;
};

const gitObjects: Route = async (ctx, req, { owner, repo, rest, dir }) => {
  const full = `${owner}/${repo}`;
  let m = /^git\/commits\/([0-9a-f]{40})$/.exec(rest);
  if (m && req.method === 'GET') {
    try {
      return json(200, await commitJson(ctx, dir, full, m[1]));
    } catch {
      return notFound();
    }
  }
  if (rest === 'git/commits' && req.method === 'POST') {
    const b = body(req);
    if (
      !b ||
      typeof b.message !== 'string' ||
      !SHA.test(String(b.tree)) ||
      !(b.parents ?? []).every((p: unknown) => SHA.test(String(p)))
    )
      return validationFailed(
        'message, tree and parents[] (shas) are required',
      );
    try {
      const sha = await ctx.store.commit(
        dir,
        b.tree,
        b.parents ?? [],
        b.message,
        b.author,
      );
      return json(201, await commitJson(ctx, dir, full, sha));
    } catch (error) {
      if (error instanceof GitCommandError)
        return validationFailed('Tree SHA does not exist');
      throw error;
    }
  }
  m = /^git\/trees\/([0-9a-f]{40}|[^/]+)$/.exec(rest);
  if (m && req.method === 'GET') {
    try {
      return json(
        200,
        await treeJson(
          ctx,
          dir,
          full,
          (
            await git(dir, ['rev-parse', `${decodeURIComponent(m[1])}^{tree}`])
          ).trim(),
          Boolean(req.url.searchParams.get('recursive')),
        ),
      );
    } catch {
      return notFound();
    }
  }
  if (rest === 'git/blobs' && req.method === 'POST') {
    const b = body(req);
    const encoding = b?.encoding ?? 'utf-8';
    if (
      !b ||
      typeof b.content !== 'string' ||
      !['utf-8', 'base64'].includes(encoding)
    )
      return validationFailed(
        'content is required; encoding is utf-8 or base64',
      );
    const sha = (
      await git(dir, ['hash-object', '-w', '--stdin'], {
        input: Buffer.from(
          b.content,
          encoding === 'base64' ? 'base64' : 'utf8',
        ),
      })
    ).trim();
    return json(201, { sha, url: `${ctx.api}/repos/${full}/git/blobs/${sha}` });
  }
  if (rest === 'git/trees' && req.method === 'POST') {
    const b = body(req);
    const entries = b?.tree;
    const valid =
      Array.isArray(entries) &&
      entries.every(
        (e: any) =>
          typeof e?.path === 'string' &&
          e.path &&
          !e.path.startsWith('/') &&
          ['100644', '100755', '040000', '160000', '120000'].includes(e.mode) &&
          (typeof e.content === 'string' ||
            e.sha === null ||
            SHA.test(String(e.sha))),
      );
    if (
      !valid ||
      (b!.base_tree !== undefined && !SHA.test(String(b!.base_tree)))
    )
      return validationFailed(
        'tree[] entries need path, mode and content or sha (null deletes); base_tree must be a sha',
      );
    try {
      const sha = await ctx.store.writeTree(dir, b!.base_tree, entries);
      return json(201, await treeJson(ctx, dir, full, sha, false));
    } catch (error) {
      if (error instanceof GitCommandError)
        return validationFailed(`Invalid tree: ${error.stderr.trim()}`);
      throw error;
    }
  }
  return undefined;
};

const contents: Route = async (ctx, req, { owner, repo, rest, dir }) => {
  const m = /^contents(?:\/(.*))?$/.exec(rest);
  if (!m || req.method !== 'GET') return undefined;
  const full = `${owner}/${repo}`;
  const filePath = (m[1] ?? '').replace(/\/$/, '');
  const ref =
    req.url.searchParams.get('ref') ??
    (await ctx.store.defaultBranch(owner, repo));
  const commit = await ctx.store.resolve(dir, ref);
  if (!commit) return notFound();
  let type: string;
  let sha: string;
  try {
    const spec = `${commit}:${filePath}`;
    sha = (await git(dir, ['rev-parse', spec])).trim();
    type = (await git(dir, ['cat-file', '-t', sha])).trim();
  } catch {
    return notFound();
  }
  const entry = (p: string, t: string, s: string, size: number) => ({
    type: t === 'tree' ? 'dir' : 'file',
    name: p.split('/').pop(),
    path: p,
    sha: s,
    size,
    url: `${ctx.api}/repos/${full}/contents/${p}?ref=${encodeURIComponent(
      ref,
    )}`,
    html_url: `${ctx.web}/${full}/blob/${ref}/${p}`,
    git_url: `${ctx.api}/repos/${full}/git/${t}s/${s}`,
    download_url: t === 'tree' ? null : `${ctx.web}/${full}/raw/${ref}/${p}`,
    _links: {
      self: `${ctx.api}/repos/${full}/contents/${p}?ref=${encodeURIComponent(
        ref,
      )}`,
      git: `${ctx.api}/repos/${full}/git/${t}s/${s}`,
      html: `${ctx.web}/${full}/blob/${ref}/${p}`,
    },
  });
  if (type === 'tree') {
    const listing = await treeJson(ctx, dir, full, sha, false);
    return json(
      200,
      listing.tree.map(e =>
        entry(
          filePath ? `${filePath}/${e.path}` : e.path,
          e.type,
          e.sha,
          e.size ?? 0,
        ),
      ),
    );
  }
  const content = await gitBytes(dir, ['cat-file', 'blob', sha]);
  // GitHub's raw media type (Backstage's GitHub URL reader asks for it): the bytes themselves.
  if (
    /application\/vnd\.github(\.v3)?\.raw/.test(
      String(req.headers.accept ?? ''),
    )
  ) {
    return {
      status: 200,
      headers: {
        'content-type': 'application/vnd.github.raw; charset=utf-8',
        etag: `"${sha}"`,
      },
      body: content,
    };
  }
  return json(200, {
    ...entry(filePath, 'blob', sha, content.length),
    encoding: 'base64',
    content: content.toString('base64'),
  });
};

const pulls: Route = async (ctx, req, { owner, repo, rest, dir }) => {
  if (rest === 'pulls' && req.method === 'GET') {
    const state = req.url.searchParams.get('state') ?? 'open';
    const head = req.url.searchParams.get('head');
    const base = req.url.searchParams.get('base');
    const list = ctx.pulls
      .list(owner, repo)
      .filter(p => state === 'all' || p.state === state)
      .filter(p => !head || `${p.owner}:${p.head}` === head)
      .filter(p => !base || p.base === base)
      .sort((a, b) => b.number - a.number);
    const repoObject = await repoJson(ctx, owner, repo);
    return json(
      200,
      await Promise.all(list.map(p => pullSimpleJson(ctx, dir, p, repoObject))),
    );
  }
  if (rest === 'pulls' && req.method === 'POST') {
    const b = body(req);
    if (!b || typeof b.head !== 'string' || typeof b.base !== 'string')
      return validationFailed('head and base are required');
    if (typeof b.title !== 'string' || !b.title)
      return validationFailed('Validation Failed', [
        { resource: 'PullRequest', code: 'missing_field', field: 'title' },
      ]);
    const head = b.head.includes(':') ? b.head.split(':')[1] : b.head;
    const headSha = await ctx.store.resolve(dir, `refs/heads/${head}`);
    const baseSha = await ctx.store.resolve(dir, `refs/heads/${b.base}`);
    if (!headSha || !baseSha)
      return validationFailed('Validation Failed', [
        {
          resource: 'PullRequest',
          code: 'invalid',
          field: headSha ? 'base' : 'head',
        },
      ]);
    if (
      ctx.pulls
        .list(owner, repo)
        .some(p => p.state === 'open' && p.head === head && p.base === b.base)
    )
      return validationFailed('Validation Failed', [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${owner}:${head}.`,
        },
      ]);
    if (headSha === baseSha)
      return validationFailed('Validation Failed', [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `No commits between ${b.base} and ${head}`,
        },
      ]);
    const created = ctx.pulls.create({
      owner,
      repo,
      title: b.title,
      body: typeof b.body === 'string' ? b.body : null,
      head,
      base: b.base,
      draft: Boolean(b.draft),
      labels: [],
      user: ctx.user,
    });
    return json(201, await pullJson(ctx, dir, created));
  }
  const labels = /^issues\/(\d+)\/labels(?:\/(.+))?$/.exec(rest);
  if (labels) {
    // Pull requests are issues: their labels are managed through the issues API.
    const pull = ctx.pulls.get(owner, repo, Number(labels[1]));
    if (!pull) return notFound();
    const listing = (names: string[]) =>
      names.map(name => labelJson(ctx, `${owner}/${repo}`, name));
    if (req.method === 'POST' && !labels[2]) {
      const b = body(req);
      const names = Array.isArray(b) ? b : b?.labels;
      if (
        !Array.isArray(names) ||
        names.some(n => typeof n !== 'string' || !n || n.length > 50)
      )
        return validationFailed('labels must be an array of label names');
      ctx.pulls.update(pull, {
        labels: [...new Set([...pull.labels, ...names])],
      });
      return json(200, listing(pull.labels));
    }
    if (req.method === 'DELETE' && labels[2]) {
      if (!pull.labels.includes(labels[2]))
        return json(404, {
          message: 'Label does not exist',
          documentation_url: DOCS,
        });
      ctx.pulls.update(pull, {
        labels: pull.labels.filter(l => l !== labels[2]),
      });
      return json(200, listing(pull.labels));
    }
    if (req.method === 'GET' && !labels[2])
      return json(200, listing(pull.labels));
    return undefined;
  }
  const reviewers = /^pulls\/(\d+)\/requested_reviewers$/.exec(rest);
  if (reviewers) {
    const pull = ctx.pulls.get(owner, repo, Number(reviewers[1]));
    if (!pull) return notFound();
    const current = pull.reviewers ?? { users: [], teams: [] };
    if (req.method === 'GET')
      return json(200, {
        users: current.users.map(login => simpleUser(ctx, login)),
        teams: current.teams.map(slug => teamJson(ctx, owner, slug)),
      });
    const b = body(req);
    const users = b?.reviewers ?? [];
    const teams = b?.team_reviewers ?? [];
    const names = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
    if (
      !Array.isArray(users) ||
      !Array.isArray(teams) ||
      ![...users, ...teams].every(n => typeof n === 'string' && names.test(n))
    )
      return validationFailed(
        'reviewers and team_reviewers must be lists of logins and team slugs',
      );
    if (req.method === 'POST') {
      if (users.includes(pull.user))
        return validationFailed(
          'Review cannot be requested from pull request author.',
        );
      ctx.pulls.update(pull, {
        reviewers: {
          users: [...new Set([...current.users, ...users])],
          teams: [...new Set([...current.teams, ...teams])],
        },
      });
      return json(201, await pullSimpleJson(ctx, dir, pull));
    }
    if (req.method === 'DELETE') {
      ctx.pulls.update(pull, {
        reviewers: {
          users: current.users.filter(u => !users.includes(u)),
          teams: current.teams.filter(t => !teams.includes(t)),
        },
      });
      return json(200, await pullSimpleJson(ctx, dir, pull));
    }
    return undefined;
  }
  const files = /^pulls\/(\d+)\/files$/.exec(rest);
  if (files && req.method === 'GET') {
    const pull = ctx.pulls.get(owner, repo, Number(files[1]));
    if (!pull) return notFound();
    const range = await pullRange(ctx, dir, pull);
    if (!range) return json(200, []);
    return json(200, await changedFiles(ctx, dir, owner, repo, range));
  }
  const merge = /^pulls\/(\d+)\/merge$/.exec(rest);
  if (merge && req.method === 'PUT') {
    // A person merging in the UI: Paved never calls this, the sandbox offers it for journeys and tests.
    const pull = ctx.pulls.get(owner, repo, Number(merge[1]));
    if (!pull) return notFound();
    if (pull.state !== 'open')
      return json(405, {
        message: 'Pull Request is not mergeable',
        documentation_url: DOCS,
      });
    const base = await ctx.store.resolve(dir, `refs/heads/${pull.base}`);
    const head = await ctx.store.resolve(dir, `refs/heads/${pull.head}`);
    if (!base || !head)
      return validationFailed('Head or base branch is missing');
    let tree: string;
    try {
      tree = (await git(dir, ['merge-tree', '--write-tree', base, head]))
        .split('\n')[0]
        .trim();
    } catch {
      return json(405, {
        message: 'Pull Request is not mergeable',
        documentation_url: DOCS,
      });
    }
    const sha = await ctx.store.commit(
      dir,
      tree,
      [base, head],
      `Merge pull request #${pull.number} from ${owner}/${pull.head}\n\n${pull.title}`,
    );
    await git(dir, ['update-ref', `refs/heads/${pull.base}`, sha, base]);
    ctx.pulls.update(pull, {
      state: 'closed',
      merged: true,
      mergeCommitSha: sha,
      mergedRange: {
        from: (await git(dir, ['merge-base', base, head])).trim(),
        to: head,
      },
    });
    return json(200, {
      sha,
      merged: true,
      message: 'Pull Request successfully merged',
    });
  }
  const m = /^pulls\/(\d+)$/.exec(rest);
  if (m && (req.method === 'GET' || req.method === 'PATCH')) {
    const pull = ctx.pulls.get(owner, repo, Number(m[1]));
    if (!pull) return notFound();
    if (req.method === 'PATCH') {
      const b = body(req);
      if (!b || (b.state && !['open', 'closed'].includes(b.state)))
        return validationFailed('state must be open or closed');
      ctx.pulls.update(pull, {
        ...(typeof b.title === 'string' ? { title: b.title } : {}),
        ...(typeof b.body === 'string' ? { body: b.body } : {}),
        ...(b.state ? { state: b.state } : {}),
        ...(typeof b.base === 'string' ? { base: b.base } : {}),
      });
    }
    return json(200, await pullJson(ctx, dir, pull));
  }
  return undefined;
};

/** Branch protection as `publish:github` sets it on the default branch; kept per repository, enforced nowhere. */
const branches: Route = async (ctx, req, { owner, repo, rest }) => {
  const m = /^branches\/(.+)\/protection$/.exec(rest);
  if (!m) return undefined;
  const key = `${owner}/${repo}#${m[1]}`;
  const url = `${ctx.api}/repos/${owner}/${repo}/branches/${m[1]}/protection`;
  if (req.method === 'PUT') {
    const b = body(req);
    if (!b || !('required_status_checks' in b) || !('enforce_admins' in b))
      return validationFailed(
        'required_status_checks, enforce_admins, required_pull_request_reviews and restrictions are required',
      );
    // GitHub answers the protection it keeps: a section set to null is absent, the others filled in.
    const checks = b.required_status_checks;
    const reviews = b.required_pull_request_reviews;
    const restrictions = b.restrictions;
    const enabled = (flag: unknown) => ({ enabled: Boolean(flag) });
    const stored = {
      url,
      ...(checks
        ? {
            required_status_checks: {
              url: `${url}/required_status_checks`,
              strict: Boolean(checks.strict),
              contexts: Array.isArray(checks.contexts) ? checks.contexts : [],
              contexts_url: `${url}/required_status_checks/contexts`,
              checks: (Array.isArray(checks.checks) ? checks.checks : []).map(
                (c: any) => ({
                  context: String(c?.context),
                  app_id: c?.app_id ?? null,
                }),
              ),
            },
          }
        : {}),
      enforce_admins: {
        url: `${url}/enforce_admins`,
        enabled: Boolean(b.enforce_admins),
      },
      ...(reviews
        ? {
            required_pull_request_reviews: {
              url: `${url}/required_pull_request_reviews`,
              dismiss_stale_reviews: Boolean(reviews.dismiss_stale_reviews),
              require_code_owner_reviews: Boolean(
                reviews.require_code_owner_reviews,
              ),
              required_approving_review_count: Number(
                reviews.required_approving_review_count ?? 0,
              ),
              require_last_push_approval: Boolean(
                reviews.require_last_push_approval,
              ),
            },
          }
        : {}),
      ...(restrictions
        ? {
            restrictions: {
              url: `${url}/restrictions`,
              users_url: `${url}/restrictions/users`,
              teams_url: `${url}/restrictions/teams`,
              apps_url: `${url}/restrictions/apps`,
              users: (restrictions.users ?? []).map((login: string) =>
                simpleUser(ctx, String(login)),
              ),
              teams: (restrictions.teams ?? []).map((slug: string) =>
                teamJson(ctx, owner, String(slug)),
              ),
              apps: [],
            },
          }
        : {}),
      required_linear_history: enabled(b.required_linear_history),
      allow_force_pushes: enabled(b.allow_force_pushes),
      allow_deletions: enabled(b.allow_deletions),
      block_creations: enabled(b.block_creations),
      required_conversation_resolution: enabled(
        b.required_conversation_resolution,
      ),
      lock_branch: enabled(b.lock_branch),
      allow_fork_syncing: enabled(b.allow_fork_syncing),
      required_signatures: {
        url: `${url}/required_signatures`,
        enabled: false,
      },
    };
    ctx.protections.set(key, stored);
    return json(200, stored);
  }
  if (req.method === 'GET') {
    const stored = ctx.protections.get(key);
    return stored
      ? json(200, stored)
      : json(404, { message: 'Branch not protected', documentation_url: DOCS });
  }
  return undefined;
};

const ROUTES: Route[] = [gitRefs, gitObjects, contents, pulls, branches];

/** Creates a repository for `POST /orgs/{org}/repos` and `POST /user/repos`. */
async function createRepo(
  ctx: RestContext,
  req: SandboxRequest,
  owner: string,
): Promise<SandboxResponse> {
  const b = body(req);
  if (
    !b ||
    typeof b.name !== 'string' ||
    !/^[A-Za-z0-9_.-]{1,100}$/.test(b.name)
  )
    return validationFailed('Repository creation failed.', [
      {
        resource: 'Repository',
        code: 'custom',
        field: 'name',
        message: 'name is invalid',
      },
    ]);
  if (ctx.store.exists(owner, b.name))
    return validationFailed('Repository creation failed.', [
      {
        resource: 'Repository',
        code: 'custom',
        field: 'name',
        message: 'name already exists on this account',
      },
    ]);
  if (b.auto_init)
    await ctx.store.seed(owner, b.name, [
      { path: 'README.md', content: `# ${b.name}\n` },
    ]);
  else await ctx.store.create(owner, b.name);
  return json(201, await repoJson(ctx, owner, b.name));
}

/** The REST subset Paved's clients call, on the sandbox's repositories; undefined when no route matches. */
export async function serveRest(
  ctx: RestContext,
  req: SandboxRequest,
  encodedPath: string,
): Promise<SandboxResponse | undefined> {
  // Octokit encodes `/` inside refs and paths (heads%2Fmain); GitHub accepts both forms.
  const path = decodeURIComponent(encodedPath);
  const user = /^\/users\/([^/]+)$/.exec(path);
  if (user && req.method === 'GET') {
    // The sandbox's organisation, and its one user (the token's).
    if (user[1] !== ctx.org && user[1] !== ctx.user) return notFound();
    const owned = ctx.store.list().filter(r => r.owner === user[1]).length;
    return json(
      200,
      publicUser(ctx, user[1], accountType(ctx, user[1]), STARTED, owned),
    );
  }
  if (path === '/user' && req.method === 'GET')
    return json(
      200,
      privateUser(
        ctx,
        ctx.user,
        STARTED,
        ctx.store.list().filter(r => r.owner === ctx.user).length,
      ),
    );
  let m = /^\/orgs\/([^/]+)\/repos$/.exec(path);
  if (m && req.method === 'POST') return createRepo(ctx, req, m[1]);
  if (path === '/user/repos' && req.method === 'POST')
    return createRepo(ctx, req, ctx.user);
  m = /^\/repos\/([^/]+)\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (!m) return undefined;
  const [, owner, repo, rest] = m;
  if (!ctx.store.exists(owner, repo)) return notFound();
  if (!rest)
    return req.method === 'GET'
      ? json(200, await repoJson(ctx, owner, repo))
      : undefined;
  const params = { owner, repo, rest, dir: ctx.store.dir(owner, repo) };
  for (const route of ROUTES) {
    const response = await route(ctx, req, params);
    if (response) return response;
  }
  return undefined;
}
