import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eksStandIn } from './eks';
import { argoCdStandIn } from './argocd';
import { Faults } from './faults';
import { readTree } from './fixtures';
import { newRelicStandIn } from './newrelic';
import { githubStandIn } from './github';
import { GitOpsSync } from './gitopsSync';
import { Handler, json, readRequest, writeResponse } from './http';
import { kubernetesStandIn } from './kubernetes/apiServer';
import { startOidcProvider } from './oidc';
import { defaultSeed, SandboxSeed } from './seed';
import { createCertificate } from './tls';
import { git as gitInRepo } from './github/repos';

/**
 * A running sandbox.
 *
 * @public
 */
export interface Sandbox {
  /** Base URL of every stand-in over plain HTTP, e.g. http://127.0.0.1:7440 */
  url: string;
  /** The same stand-ins over TLS: cluster endpoints use it, since Kubernetes clients send tokens only over TLS. */
  tlsUrl: string;
  /** PEM of the certificate (its own CA) that `tlsUrl` presents. */
  caPem: string;
  seed: SandboxSeed;
  faults: Faults;
  /** Requests served (method and path, fault control excluded; the latest 50–100k), for tests and benchmarks that count calls. */
  requests: Array<{ method: string; path: string }>;
  /** The identity provider, when started (`oidc` option): the issuer and its metadata URL. */
  oidc?: { issuer: string; metadataUrl: string };
  /** Where repositories and pull requests live (kept across restarts unless it was a temporary folder). */
  stateDir: string;
  /** Git and GitHub: clone URL of a seeded repository, e.g. `${url}/paved-demo/gitops`. */
  github: {
    token: string;
    org: string;
    apiUrl: string;
    /**
     * Commits files (null deletes) on a repository's default branch of the sandbox's org, as a person pushing would;
     * with `tag`, a template release. Also `POST /__sandbox/github/commits` with `{ repo, files, message?, tag? }`.
     */
    commit(
      repo: string,
      files: Record<string, string | Buffer | null>,
      options?: { message?: string; tag?: string },
    ): Promise<string>;
    /** Creates a repository holding every file of a local folder in one commit, as `publish:github` would. */
    publish(repo: string, dir: string): Promise<void>;
    /** A file's text on a branch (default: the default branch), or undefined. */
    readFile(
      repo: string,
      path: string,
      ref?: string,
    ): Promise<string | undefined>;
  };
  /**
   * Everything the stand-ins hold, as plain data: each repository's refs, every pull request, each Argo CD instance's
   * projects and applications, each cluster's objects (with resource versions). Two equal snapshots mean no write
   * happened in between — what idempotency and "nothing written" checks compare.
   */
  snapshot(): Promise<SandboxSnapshot>;
  close(): Promise<void>;
}

/**
 * See {@link Sandbox.snapshot}.
 *
 * @public
 */
export interface SandboxSnapshot {
  github: Record<string, { refs: string[]; pulls: unknown[] }>;
  argocd: Record<string, { projects: unknown[]; applications: unknown[] }>;
  kubernetes: Record<string, unknown[]>;
}

/**
 * Starts the sandbox on loopback: one HTTP server for every stand-in, each under its own prefix
 * (`/aws/eks`, `/k8s/<cluster>`, GitHub at the root as GitHub Enterprise lays it out: `/api/v3`, `/<owner>/<repo>.git`),
 * plus `/__sandbox/faults` for fault injection. State lives in `stateDir` (a temporary folder, removed on close, when
 * not given). Development and tests only.
 *
 * @public
 */
export async function startSandbox(
  options: {
    port?: number;
    host?: string;
    seed?: SandboxSeed;
    stateDir?: string;
    /** Poll the GitOps repository every 2 s (default true); `POST /__sandbox/gitops/sync` works either way. */
    gitopsPolling?: boolean;
    /** Also start the identity provider (an OpenID Provider with the seed's users), on `port` (default: any free one). */
    oidc?: boolean | { port?: number };
  } = {},
): Promise<Sandbox> {
  const seed = options.seed ?? defaultSeed;
  const host = options.host ?? '127.0.0.1';
  let url = '';
  let tlsUrl = '';
  const tls = createCertificate();
  const faults = new Faults();
  const requests: Array<{ method: string; path: string }> = [];
  const temporary = !options.stateDir;
  const stateDir = path.resolve(
    options.stateDir ??
      fs.mkdtempSync(path.join(os.tmpdir(), 'paved-sandbox-')),
  );
  fs.mkdirSync(stateDir, { recursive: true });
  const github = await githubStandIn(seed, stateDir, () => url);
  const kubernetes = kubernetesStandIn(seed);
  const argocd = argoCdStandIn(
    seed,
    kubernetes.stores,
    name => `${tlsUrl}/k8s/${name}`,
  );
  // Services Argo CD deployed from the GitOps repository: their New Relic agents report as the seeded ones do.
  const deployed: SandboxSeed['services'] = [];
  const gitops = new GitOpsSync({
    seed,
    deployed,
    repos: github.store,
    hosts: () => [url, tlsUrl].filter(Boolean).map(u => new URL(u).host),
    argocd: argocd.instances,
    clusters: kubernetes.stores,
  });
  const commit = (
    repo: string,
    files: Record<string, string | Buffer | null>,
    how: { message?: string; tag?: string } = {},
  ) => {
    if (!github.store.exists(seed.github.org, repo))
      throw new Error(`No repository ${seed.github.org}/${repo}`);
    return github.store.commitFiles(
      seed.github.org,
      repo,
      files,
      how.message ?? (how.tag ? `release ${how.tag}` : 'Update'),
      how.tag,
    );
  };
  const publish = async (repo: string, dir: string) => {
    if (github.store.exists(seed.github.org, repo))
      throw new Error(`${seed.github.org}/${repo} exists`);
    await github.store.create(seed.github.org, repo);
    await commit(repo, readTree(dir), { message: 'Initial commit' });
  };
  const readFile = async (repo: string, file: string, ref?: string) => {
    if (!github.store.exists(seed.github.org, repo)) return undefined;
    const dir = github.store.dir(seed.github.org, repo);
    const at = ref ?? (await github.store.defaultBranch(seed.github.org, repo));
    return gitInRepo(dir, ['show', `refs/heads/${at}:${file}`]).catch(
      () => undefined,
    );
  };
  const handlers: Handler[] = [
    faults.control,
    async req => {
      if (req.url.pathname !== '/__sandbox/github/commits') return undefined;
      if (req.method !== 'POST') return json(405, { message: 'POST' });
      let b: any;
      try {
        b = JSON.parse(req.body.toString('utf8'));
      } catch {
        b = undefined;
      }
      if (
        typeof b?.repo !== 'string' ||
        typeof b.files !== 'object' ||
        !b.files ||
        Object.values(b.files).some(v => v !== null && typeof v !== 'string')
      )
        return json(400, {
          message:
            'Body must be { repo, files: { path: content | null }, message?, tag? }',
        });
      try {
        const sha = await commit(b.repo, b.files, {
          message: b.message,
          tag: b.tag,
        });
        return json(201, { sha });
      } catch (error) {
        return json(404, { message: (error as Error).message });
      }
    },
    req =>
      req.url.pathname === '/'
        ? json(200, {
            sandbox: 'paved',
            clusters: seed.clusters.map(c => c.name),
          })
        : undefined,
    eksStandIn(seed, () => tlsUrl, Buffer.from(tls.cert).toString('base64')),
    gitops.control,
    kubernetes.handler,
    github.handler,
    argocd.handler,
    newRelicStandIn(seed, deployed),
  ];

  const listener: http.RequestListener = async (req, res) => {
    try {
      const request = await readRequest(req, url || `http://${host}`);
      const control = request.url.pathname.startsWith('/__sandbox/');
      if (!control) {
        // Bounded, so a long `yarn dev` does not grow without end.
        if (requests.length >= 100_000) requests.splice(0, 50_000);
        requests.push({ method: request.method, path: request.url.pathname });
      }
      const fault = control ? undefined : await faults.apply(request);
      if (fault === 'hang') return; // the client's timeout is what is being tested
      if (fault) {
        writeResponse(res, fault);
        return;
      }
      for (const handler of handlers) {
        const response = await handler(request);
        if (response) {
          writeResponse(res, response);
          return;
        }
      }
      writeResponse(
        res,
        json(404, {
          message: `The sandbox serves nothing at ${request.url.pathname}`,
        }),
      );
    } catch (error) {
      writeResponse(
        res,
        json(500, { message: `Sandbox error: ${(error as Error).message}` }),
      );
    }
  };
  const server = http.createServer(listener);
  const tlsServer = https.createServer(
    { key: tls.key, cert: tls.cert },
    listener,
  );
  const listen = (s: http.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => resolve((s.address() as AddressInfo).port));
    });
  if (options.gitopsPolling !== false) gitops.start();
  const port = await listen(server, options.port ?? 0);
  url = `http://${host}:${port}`;
  tlsUrl = `https://${host}:${await listen(
    tlsServer,
    options.port ? options.port + 1 : 0,
  )}`;
  const oidc = options.oidc
    ? await startOidcProvider({
        host,
        port: typeof options.oidc === 'object' ? options.oidc.port : undefined,
        ...seed.oidc,
      })
    : undefined;
  const closeOne = (s: http.Server) =>
    new Promise<void>(resolve => {
      s.closeAllConnections();
      s.close(() => resolve());
    });
  const snapshot = async (): Promise<SandboxSnapshot> => {
    const repos: SandboxSnapshot['github'] = {};
    for (const { owner, name } of github.store
      .list()
      .sort((a, b) =>
        `${a.owner}/${a.name}`.localeCompare(`${b.owner}/${b.name}`),
      )) {
      const refs = await gitInRepo(github.store.dir(owner, name), [
        'for-each-ref',
        '--format=%(refname) %(objectname)',
      ]);
      repos[`${owner}/${name}`] = {
        refs: refs.split('\n').filter(Boolean).sort(),
        pulls: github.pulls.list(owner, name),
      };
    }
    const specs = (objects: Map<string, any>) =>
      [...objects.values()]
        .map(o => ({
          name: o.metadata.name,
          labels: o.metadata.labels,
          annotations: o.metadata.annotations,
          spec: o.spec,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    return JSON.parse(
      JSON.stringify({
        github: repos,
        argocd: Object.fromEntries(
          [...argocd.instances].map(([name, instance]) => [
            name,
            {
              projects: specs(instance.projects),
              applications: specs(instance.apps),
            },
          ]),
        ),
        kubernetes: Object.fromEntries(
          [...kubernetes.stores].map(([cluster, store]) => [
            cluster,
            store.all(),
          ]),
        ),
      }),
    );
  };
  return {
    url,
    tlsUrl,
    caPem: tls.cert,
    snapshot,
    seed,
    faults,
    requests,
    stateDir,
    oidc: oidc && {
      issuer: oidc.issuer,
      metadataUrl: `${oidc.issuer}/.well-known/openid-configuration`,
    },
    github: {
      token: Object.keys(seed.github.tokens)[0],
      org: seed.github.org,
      apiUrl: `${url}/api/v3`,
      commit,
      publish,
      readFile,
    },
    close: async () => {
      gitops.stop();
      await Promise.all([closeOne(server), closeOne(tlsServer), oidc?.close()]);
      if (temporary) fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
