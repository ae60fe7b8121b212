import fs from 'node:fs';
import path from 'node:path';
import { buildClientSchema, GraphQLError, type GraphQLSchema } from 'graphql';
import { executeGraphql } from '../graphql';
import type { SandboxRequest, SandboxResponse } from '../http';
import { json } from '../http';
import type { PullStore, StoredPull } from './pulls';
import { git, gitBytes, type RepoStore } from './repos';

let schema: GraphQLSchema | undefined;

/**
 * GitHub's real GraphQL schema, from `@octokit/graphql-schema` (introspection JSON; the package is ESM-only and its
 * SDL repeats fields, so the file is read directly). Loaded on the first GraphQL request (~150 ms).
 */
function githubSchema(): GraphQLSchema {
  if (!schema) {
    const file = (require.resolve.paths('@octokit/graphql-schema') ?? [])
      .map(p => path.join(p, '@octokit', 'graphql-schema', 'schema.json'))
      .find(f => fs.existsSync(f));
    if (!file) throw new Error('@octokit/graphql-schema is not installed');
    const introspection = JSON.parse(fs.readFileSync(file, 'utf8'));
    schema = buildClientSchema(introspection.data ?? introspection);
  }
  return schema;
}

const notFound = (message: string) =>
  new GraphQLError(message, { extensions: { type: 'NOT_FOUND' } });

/** A git object as GitHub's `GitObject` interface resolves it (`Blob`, `Tree`, `Commit`). */
async function gitObject(dir: string, web: string, full: string, oid: string) {
  const type = (await git(dir, ['cat-file', '-t', oid])).trim();
  const base = {
    oid,
    abbreviatedOid: oid.slice(0, 7),
    id: Buffer.from(`${type}:${full}:${oid}`).toString('base64'),
  };
  if (type === 'blob') {
    const content = await git(dir, ['cat-file', 'blob', oid]);
    const isBinary = content.includes('\0');
    return {
      __typename: 'Blob',
      ...base,
      byteSize: Buffer.byteLength(content),
      isBinary,
      isTruncated: false,
      text: isBinary ? null : content,
    };
  }
  if (type === 'tree') {
    return {
      __typename: 'Tree',
      ...base,
      entries: async () =>
        (await git(dir, ['ls-tree', oid]))
          .split('\n')
          .filter(Boolean)
          .map(line => {
            const [meta, name] = line.split('\t');
            const [mode, entryType, entryOid] = meta.split(/\s+/);
            return {
              name,
              path: name,
              type: entryType,
              mode: parseInt(mode, 8),
              oid: entryOid,
              object: () => gitObject(dir, web, full, entryOid),
            };
          }),
    };
  }
  if (type === 'commit') {
    const raw = await git(dir, ['cat-file', 'commit', oid]);
    const [head, ...message] = raw.split('\n\n');
    const committer = /^committer .* (\d+) [+-]\d{4}$/m.exec(head);
    return {
      __typename: 'Commit',
      ...base,
      message: message.join('\n\n').trim(),
      committedDate: new Date(Number(committer?.[1] ?? 0) * 1000).toISOString(),
      url: `${web}/${full}/commit/${oid}`,
      tree: async () =>
        gitObject(dir, web, full, /^tree (\w+)$/m.exec(head)![1]),
    };
  }
  return null;
}

const pullState = (pull: StoredPull) => {
  if (pull.merged) return 'MERGED';
  return pull.state === 'open' ? 'OPEN' : 'CLOSED';
};

/** A page of a GraphQL connection (`first`/`last`, `after`), with GitHub's opaque cursors. */
function connection<T>(
  all: T[],
  args: { first?: number; last?: number; after?: string },
  node: (item: T) => unknown,
) {
  const start = args.after
    ? Number(
        Buffer.from(args.after, 'base64')
          .toString('utf8')
          .replace(/^cursor:/, ''),
      )
    : 0;
  const size = Math.min(args.first ?? args.last ?? 100, 100);
  const page = all.slice(start, start + size);
  const cursor = (i: number) => Buffer.from(`cursor:${i}`).toString('base64');
  return {
    totalCount: all.length,
    nodes: page.map(node),
    edges: page.map((item, i) => ({
      cursor: cursor(start + i + 1),
      node: node(item),
    })),
    pageInfo: {
      hasNextPage: start + size < all.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursor(start + 1) : null,
      endCursor: page.length ? cursor(start + page.length) : null,
    },
  };
}

/** The words of a search query; a quoted value (`label:"needs review"`) is one word. */
const searchWords = (query: string) =>
  (query.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []).map(w => w.replace(/"/g, ''));

/**
 * GitHub's issue search over the sandbox's pull requests (`search(type: ISSUE)`, what `gh pr list --label` and
 * `--search` ask): the qualifiers `repo:`, `is:`/`type:` (pr, open, closed, merged, draft), `state:`, `label:`
 * (repeated: all of them; comma-separated: any), `head:`, `base:`, `author:`, `sort:` (created/updated, asc/desc);
 * other words must appear in the title or body. The sandbox has no issues, so `is:issue` finds nothing.
 */
export function searchPulls(
  pulls: PullStore,
  repos: Array<{ owner: string; name: string }>,
  query: string,
): StoredPull[] {
  const words = searchWords(query);
  const values = (key: string) =>
    words
      .filter(w => w.startsWith(`${key}:`))
      .map(w => w.slice(key.length + 1));
  const is = [...values('is'), ...values('type'), ...values('state')];
  if (is.includes('issue')) return [];
  const wanted = values('repo');
  const text = words
    .filter(w => !/^[a-z-]+:/.test(w))
    .map(w => w.toLowerCase());
  const [sortField, sortDirection] = (
    values('sort')[0] ?? 'created-desc'
  ).split('-');
  const field = sortField === 'updated' ? 'updatedAt' : 'createdAt';
  const sign = sortDirection === 'asc' ? 1 : -1;
  return repos
    .filter(r => !wanted.length || wanted.includes(`${r.owner}/${r.name}`))
    .flatMap(r => pulls.list(r.owner, r.name))
    .filter(
      p =>
        (!is.includes('open') || p.state === 'open') &&
        (!is.includes('closed') || p.state === 'closed') &&
        (!is.includes('merged') || p.merged) &&
        (!is.includes('unmerged') || !p.merged) &&
        (!is.includes('draft') || p.draft) &&
        values('label').every(any =>
          any.split(',').some(l => p.labels.includes(l)),
        ) &&
        values('head').every(h => p.head === h) &&
        values('base').every(b => p.base === b) &&
        values('author').every(a => p.user === a || `app/${p.user}` === a) &&
        text.every(t =>
          `${p.title}\n${p.body ?? ''}`.toLowerCase().includes(t),
        ),
    )
    .sort(
      (a, b) =>
        sign * (a[field].localeCompare(b[field]) || a.number - b.number),
    );
}

/** A pull request as GitHub's `PullRequest` type resolves it. */
function pullRequestNode(web: string, pull: StoredPull) {
  const full = `${pull.owner}/${pull.repo}`;
  return {
    __typename: 'PullRequest',
    id: Buffer.from(`PullRequest:${full}#${pull.number}`).toString('base64'),
    number: pull.number,
    title: pull.title,
    body: pull.body ?? '',
    url: `${web}/${full}/pull/${pull.number}`,
    state: pullState(pull),
    merged: pull.merged,
    closed: pull.state === 'closed',
    isDraft: pull.draft,
    headRefName: pull.head,
    baseRefName: pull.base,
    createdAt: pull.createdAt,
    updatedAt: pull.updatedAt,
    closedAt: pull.closedAt,
    // Every pull request is opened from a branch of the repository itself.
    isCrossRepository: false,
    headRepositoryOwner: {
      __typename: 'Organization',
      id: Buffer.from(`Organization:${pull.owner}`).toString('base64'),
      login: pull.owner,
    },
    // Paved opens pull requests as an app: the author is a Bot, as the REST API's `user.type` says.
    author: {
      __typename: 'Bot',
      id: Buffer.from(`Bot:${pull.user}`).toString('base64'),
      login: pull.user,
      url: `${web}/apps/${pull.user}`,
    },
    labels: () => ({
      totalCount: pull.labels.length,
      nodes: pull.labels.map(name => ({
        __typename: 'Label',
        id: Buffer.from(`Label:${full}:${name}`).toString('base64'),
        name,
        description: null,
        color: 'ededed',
        url: `${web}/${full}/labels/${encodeURIComponent(name)}`,
      })),
    }),
  };
}

/** The stored pull request a `PullRequest` node id names. */
function pullById(pulls: PullStore, id: string): StoredPull {
  const m = /^PullRequest:([^/]+)\/([^#]+)#(\d+)$/.exec(
    Buffer.from(id, 'base64').toString('utf8'),
  );
  const pull = m && pulls.get(m[1], m[2], Number(m[3]));
  if (!pull)
    throw notFound(`Could not resolve to a node with the global id of '${id}'`);
  return pull;
}

/** A blob's fields as GitHub's `Blob` type has them. */
function blobNode(full: string, oid: string, content: Buffer) {
  const isBinary = content.includes(0);
  return {
    __typename: 'Blob',
    oid,
    abbreviatedOid: oid.slice(0, 7),
    id: Buffer.from(`blob:${full}:${oid}`).toString('base64'),
    byteSize: content.length,
    isBinary,
    isTruncated: false,
    text: isBinary ? null : content.toString('utf8'),
  };
}

type GitObjectBytes = { oid: string; type: string; content: Buffer };

/**
 * `<commit>:<path>` names the same object forever, so answers are kept (as GitHub's own caches would): a fleet run
 * that asks again for unchanged answers files starts no git process. Bounded; cleared when full.
 */
const objectCache = new Map<string, GitObjectBytes | undefined>();
const OBJECT_CACHE_LIMIT = 50_000;

/** The commit a bare repository's HEAD points at, read from its files (loose ref, else packed-refs). */
function headCommit(dir: string): string | undefined {
  try {
    const head = fs.readFileSync(path.join(dir, 'HEAD'), 'utf8').trim();
    const ref = /^ref: (refs\/heads\/\S+)$/.exec(head)?.[1];
    if (!ref) return /^[0-9a-f]{40}$/.test(head) ? head : undefined;
    const loose = path.join(dir, ref);
    if (fs.existsSync(loose)) return fs.readFileSync(loose, 'utf8').trim();
    const packed = fs.readFileSync(path.join(dir, 'packed-refs'), 'utf8');
    return new RegExp(`^([0-9a-f]{40}) ${ref}$`, 'm').exec(packed)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Resolves the `object(expression:)` fields a request asks of one repository with one `git cat-file --batch`: the
 * fleet job asks for many answers files at once, and a process per field would make the sandbox, not Paved, the
 * slow part of every measurement.
 */
function objectBatcher(dir: string) {
  let pending: Array<{
    expression: string;
    resolve: (
      v: { oid: string; type: string; content: Buffer } | undefined,
    ) => void;
    reject: (e: unknown) => void;
  }> = [];
  const flush = async () => {
    const batch = pending;
    pending = [];
    try {
      const out = await gitBytes(dir, ['cat-file', '--batch'], {
        input: `${batch.map(b => b.expression).join('\n')}\n`,
      });
      let at = 0;
      for (const item of batch) {
        const eol = out.indexOf(0x0a, at);
        const header = out.subarray(at, eol).toString('utf8');
        at = eol + 1;
        const m = /^([0-9a-f]{40}) (\w+) (\d+)$/.exec(header);
        if (!m) {
          item.resolve(undefined); // "<expression> missing" or ambiguous
          continue;
        }
        const size = Number(m[3]);
        item.resolve({
          oid: m[1],
          type: m[2],
          content: out.subarray(at, at + size),
        });
        at += size + 1;
      }
    } catch (error) {
      batch.forEach(b => b.reject(error));
    }
  };
  const batched = (expression: string) =>
    new Promise<GitObjectBytes | undefined>((resolve, reject) => {
      // Expressions with newlines would break the batch protocol; they name nothing anyway.
      if (/[\n\r]/.test(expression)) {
        resolve(undefined);
      } else {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ expression, resolve, reject });
      }
    });
  return async (expression: string): Promise<GitObjectBytes | undefined> => {
    const onHead = /^HEAD:(.+)$/.exec(expression);
    const commit = onHead && headCommit(dir);
    if (!commit) return batched(expression);
    const key = `${dir}\0${commit}\0${onHead![1]}`;
    if (objectCache.has(key)) return objectCache.get(key);
    const found = await batched(`${commit}:${onHead![1]}`);
    if (objectCache.size >= OBJECT_CACHE_LIMIT) objectCache.clear();
    objectCache.set(key, found);
    return found;
  };
}

function repository(
  store: RepoStore,
  pulls: PullStore,
  web: string,
  owner: string,
  name: string,
) {
  const full = `${owner}/${name}`;
  const dir = store.dir(owner, name);
  const lookup = objectBatcher(dir);
  const resolve = async (expression: string) => {
    try {
      return (
        await git(dir, ['rev-parse', '--verify', '--quiet', expression])
      ).trim();
    } catch {
      return undefined;
    }
  };
  return {
    __typename: 'Repository',
    id: Buffer.from(`Repository:${full}`).toString('base64'),
    name,
    nameWithOwner: full,
    url: `${web}/${full}`,
    isPrivate: true,
    isArchived: false,
    visibility: 'PRIVATE',
    owner: {
      __typename: 'Organization',
      login: owner,
      id: Buffer.from(`Organization:${owner}`).toString('base64'),
    },
    defaultBranchRef: async () => {
      // HEAD of a bare repository names the default branch; its commit comes from the batch.
      const head = fs.readFileSync(path.join(dir, 'HEAD'), 'utf8');
      const branch = /^ref: refs\/heads\/(.+)$/m.exec(head)?.[1];
      const oid =
        branch &&
        (headCommit(dir) ?? (await lookup(`refs/heads/${branch}`))?.oid);
      return oid
        ? {
            name: branch,
            prefix: 'refs/heads/',
            target: () => gitObject(dir, web, full, oid),
          }
        : null;
    },
    ref: async ({ qualifiedName }: { qualifiedName: string }) => {
      const ref = qualifiedName.startsWith('refs/')
        ? qualifiedName
        : `refs/heads/${qualifiedName}`;
      const oid = await resolve(ref);
      return oid
        ? {
            name: ref.replace(/^refs\/(heads|tags)\//, ''),
            prefix: ref.slice(0, ref.lastIndexOf('/') + 1),
            target: () => gitObject(dir, web, full, oid),
          }
        : null;
    },
    /**
     * GitHub's `pullRequests` connection (what `gh pr list` asks): filtered by states, head and base branch and
     * labels, ordered by creation or update time, paged by an opaque cursor.
     */
    pullRequests: (args: {
      states?: string[];
      headRefName?: string;
      baseRefName?: string;
      labels?: string[];
      first?: number;
      last?: number;
      after?: string;
      orderBy?: {
        field: 'CREATED_AT' | 'UPDATED_AT';
        direction: 'ASC' | 'DESC';
      };
    }) => {
      const field =
        args.orderBy?.field === 'UPDATED_AT' ? 'updatedAt' : 'createdAt';
      const sign = args.orderBy?.direction === 'DESC' ? -1 : 1;
      const all = pulls
        .list(owner, name)
        .filter(
          p =>
            (!args.states?.length || args.states.includes(pullState(p))) &&
            (!args.headRefName || p.head === args.headRefName) &&
            (!args.baseRefName || p.base === args.baseRefName) &&
            (!args.labels?.length ||
              args.labels.some(l => p.labels.includes(l))),
        )
        .sort(
          (a, b) =>
            sign * (a[field].localeCompare(b[field]) || a.number - b.number),
        );
      return connection(all, args, p => pullRequestNode(web, p));
    },
    pullRequest: ({ number }: { number: number }) => {
      const pull = pulls.get(owner, name, number);
      if (!pull)
        throw notFound(
          `Could not resolve to a PullRequest with the number of ${number}.`,
        );
      return pullRequestNode(web, pull);
    },
    object: async ({
      expression,
      oid,
    }: {
      expression?: string;
      oid?: string;
    }) => {
      const found = await lookup(oid ?? expression ?? '');
      if (!found) return null;
      return found.type === 'blob'
        ? blobNode(full, found.oid, found.content)
        : gitObject(dir, web, full, found.oid);
    },
  };
}

/**
 * GitHub's GraphQL endpoint for the sandbox's repositories: documents are parsed and validated against GitHub's real
 * schema (so a query that GitHub would refuse is refused here), then executed over a subset of it — `repository`
 * (with `object(expression)` for blobs, trees and commits, `defaultBranchRef`, `ref`, `pullRequest(number)`),
 * `viewer`, `rateLimit`, `search` over pull requests ({@link searchPulls}), and the mutations
 * `convertPullRequestToDraft` and `markPullRequestReadyForReview`.
 * Aliased `repository` fields batch many repositories in one request, as the fleet job does. Fields outside the subset
 * resolve to null.
 */
export async function serveGraphql(
  req: SandboxRequest,
  store: RepoStore,
  pulls: PullStore,
  web: string,
  user: string,
): Promise<SandboxResponse> {
  if (req.method !== 'POST') return json(404, { message: 'Not Found' });
  let nodes = 0;
  return executeGraphql({
    schema: githubSchema,
    body: req.body,
    invalidJson: json(400, { message: 'Problems parsing JSON' }),
    missingQuery: 'A query attribute must be specified and must be a string.',
    // GitHub puts the error type at the top level of each error.
    formatError: e => ({
      ...(e.extensions?.type ? { type: e.extensions.type } : {}),
      path: e.path,
      locations: e.locations,
      message: e.message,
    }),
    rootValue: {
      viewer: { __typename: 'User', login: user },
      rateLimit: () => ({
        cost: 1,
        limit: 5000,
        remaining: 4999,
        used: 1,
        nodeCount: nodes,
        resetAt: new Date(Date.now() + 3600_000).toISOString(),
      }),
      search: (args: {
        query: string;
        type: string;
        first?: number;
        last?: number;
        after?: string;
      }) => {
        const found =
          args.type === 'ISSUE'
            ? searchPulls(pulls, store.list(), args.query)
            : [];
        const page = connection(found, args, p => pullRequestNode(web, p));
        return {
          ...page,
          issueCount: args.type === 'ISSUE' ? found.length : 0,
          codeCount: 0,
          commitCount: 0,
          discussionCount: 0,
          repositoryCount: 0,
          userCount: 0,
          wikiCount: 0,
        };
      },
      repository: ({ owner, name }: { owner: string; name: string }) => {
        nodes++;
        if (!store.exists(owner, name))
          throw notFound(
            `Could not resolve to a Repository with the name '${owner}/${name}'.`,
          );
        return repository(store, pulls, web, owner, name);
      },
      // Mutations share the root: GitHub's draft switches, which REST does not offer.
      convertPullRequestToDraft: ({
        input,
      }: {
        input: { pullRequestId: string };
      }) => {
        const pull = pullById(pulls, input.pullRequestId);
        pulls.update(pull, { draft: true });
        return { pullRequest: pullRequestNode(web, pull) };
      },
      markPullRequestReadyForReview: ({
        input,
      }: {
        input: { pullRequestId: string };
      }) => {
        const pull = pullById(pulls, input.pullRequestId);
        pulls.update(pull, { draft: false });
        return { pullRequest: pullRequestNode(web, pull) };
      },
    },
  });
}
