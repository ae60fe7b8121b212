import fs from 'node:fs';
import path from 'node:path';
import { buildClientSchema, GraphQLError, type GraphQLSchema } from 'graphql';
import { executeGraphql } from '../graphql';
import type { SandboxRequest, SandboxResponse } from '../http';
import { json } from '../http';
import { git, type RepoStore } from './repos';

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

function repository(
  store: RepoStore,
  web: string,
  owner: string,
  name: string,
) {
  const full = `${owner}/${name}`;
  const dir = store.dir(owner, name);
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
      const branch = await store.defaultBranch(owner, name);
      const oid = await resolve(`refs/heads/${branch}`);
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
    object: async ({
      expression,
      oid,
    }: {
      expression?: string;
      oid?: string;
    }) => {
      const sha = await resolve(oid ?? expression ?? '');
      return sha ? gitObject(dir, web, full, sha) : null;
    },
  };
}

/**
 * GitHub's GraphQL endpoint for the sandbox's repositories: documents are parsed and validated against GitHub's real
 * schema (so a query that GitHub would refuse is refused here), then executed over a subset of it — `repository`
 * (with `object(expression)` for blobs, trees and commits, `defaultBranchRef`, `ref`), `viewer` and `rateLimit`.
 * Aliased `repository` fields batch many repositories in one request, as the fleet job does. Fields outside the subset
 * resolve to null.
 */
export async function serveGraphql(
  req: SandboxRequest,
  store: RepoStore,
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
      repository: ({ owner, name }: { owner: string; name: string }) => {
        nodes++;
        if (!store.exists(owner, name))
          throw notFound(
            `Could not resolve to a Repository with the name '${owner}/${name}'.`,
          );
        return repository(store, web, owner, name);
      },
    },
  });
}
