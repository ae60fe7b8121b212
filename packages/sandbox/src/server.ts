import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eksStandIn } from './eks';
import { argoCdStandIn } from './argocd';
import { Faults } from './faults';
import { newRelicStandIn } from './newrelic';
import { githubStandIn } from './github';
import { GitOpsSync } from './gitopsSync';
import { Handler, json, readRequest, writeResponse } from './http';
import { kubernetesStandIn } from './kubernetes/apiServer';
import { defaultSeed, SandboxSeed } from './seed';
import { createCertificate } from './tls';

/** A running sandbox. */
export interface Sandbox {
  /** Base URL of every stand-in over plain HTTP, e.g. http://127.0.0.1:7440 */
  url: string;
  /** The same stand-ins over TLS: cluster endpoints use it, since Kubernetes clients send tokens only over TLS. */
  tlsUrl: string;
  /** PEM of the certificate (its own CA) that `tlsUrl` presents. */
  caPem: string;
  seed: SandboxSeed;
  faults: Faults;
  /** Where repositories and pull requests live (kept across restarts unless it was a temporary folder). */
  stateDir: string;
  /** Git and GitHub: clone URL of a seeded repository, e.g. `${url}/paved-demo/gitops`. */
  github: { token: string; org: string; apiUrl: string };
  close(): Promise<void>;
}

/**
 * Starts the sandbox on loopback: one HTTP server for every stand-in, each under its own prefix
 * (`/aws/eks`, `/k8s/<cluster>`, GitHub at the root as GitHub Enterprise lays it out: `/api/v3`, `/<owner>/<repo>.git`),
 * plus `/__sandbox/faults` for fault injection. State lives in `stateDir` (a temporary folder, removed on close, when
 * not given). Development and tests only.
 */
export async function startSandbox(
  options: {
    port?: number;
    host?: string;
    seed?: SandboxSeed;
    stateDir?: string;
  } = {},
): Promise<Sandbox> {
  const seed = options.seed ?? defaultSeed;
  const host = options.host ?? '127.0.0.1';
  let url = '';
  let tlsUrl = '';
  const tls = createCertificate();
  const faults = new Faults();
  const temporary = !options.stateDir;
  const stateDir = path.resolve(
    options.stateDir ??
      fs.mkdtempSync(path.join(os.tmpdir(), 'paved-sandbox-')),
  );
  fs.mkdirSync(stateDir, { recursive: true });
  const github = await githubStandIn(seed, stateDir, () => url);
  const kubernetes = kubernetesStandIn(seed);
  const argocd = argoCdStandIn(seed, kubernetes.stores);
  const gitops = new GitOpsSync({
    seed,
    repos: github.store,
    argocd: argocd.instances,
    clusters: kubernetes.stores,
  });
  const handlers: Handler[] = [
    faults.control,
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
    newRelicStandIn(seed),
  ];

  const listener: http.RequestListener = async (req, res) => {
    try {
      const request = await readRequest(req, url || `http://${host}`);
      const fault = request.url.pathname.startsWith('/__sandbox/')
        ? undefined
        : await faults.apply(request);
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
  gitops.start();
  const port = await listen(server, options.port ?? 0);
  url = `http://${host}:${port}`;
  tlsUrl = `https://${host}:${await listen(
    tlsServer,
    options.port ? options.port + 1 : 0,
  )}`;
  const closeOne = (s: http.Server) =>
    new Promise<void>(resolve => {
      s.closeAllConnections();
      s.close(() => resolve());
    });
  return {
    url,
    tlsUrl,
    caPem: tls.cert,
    seed,
    faults,
    stateDir,
    github: {
      token: Object.keys(seed.github.tokens)[0],
      org: seed.github.org,
      apiUrl: `${url}/api/v3`,
    },
    close: async () => {
      gitops.stop();
      await Promise.all([closeOne(server), closeOne(tlsServer)]);
      if (temporary) fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
