import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
  type RootLoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import runtimeHealthPlugin from '@paved/plugin-runtime-health-backend';
import scaffolderModulePaved from '@paved/plugin-scaffolder-backend-module-paved';
import templateSyncPlugin from '@paved/plugin-template-sync-backend';
import { unthrottledGitProviderServiceFactory } from '@paved/plugin-paved-node/testUtils';
import {
  defaultSeed,
  type Sandbox,
  sandboxConfig,
  type SandboxSeed,
  startSandbox,
  withTemplates,
} from '@paved/sandbox';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';

const repoRoot = path.resolve(__dirname, '../../../../..');

/** Secrets made up for this run: if one of them shows up in a log line or a response, something leaked it. */
export function makeCanaries() {
  const tag = () => randomBytes(8).toString('hex');
  return {
    github: `ghp_CANARYgithub${tag()}`,
    argocd: `CANARYargocd${tag()}`,
    argocdPassword: `CANARYpassword${tag()}`,
    newrelic: `NRAK-CANARY${tag().toUpperCase()}`,
    awsSecret: `CANARYaws/${tag()}`,
  };
}
export type Canaries = ReturnType<typeof makeCanaries>;

/** The development seed (services, template fixtures, this repository's templates) with every secret a canary. */
function canarySeed(canaries: Canaries): SandboxSeed {
  const seed = withTemplates(defaultSeed, path.join(repoRoot, 'templates'));
  return {
    ...seed,
    aws: { ...seed.aws, secretAccessKey: canaries.awsSecret },
    github: { ...seed.github, tokens: { [canaries.github]: 'paved-bot' } },
    newrelic: { ...seed.newrelic, apiKey: canaries.newrelic },
    argocd: {
      ...seed.argocd,
      instances: seed.argocd.instances.map(i => ({
        ...i,
        token: `${canaries.argocd}-${i.name}`,
        password: canaries.argocdPassword,
      })),
    },
  };
}

/** Every log line of the backend (root logger and its children), as JSON with errors spelled out. */
class CapturingLogger implements RootLoggerService {
  constructor(
    readonly lines: string[],
    private readonly fields: Record<string, unknown> = {},
  ) {}

  private write(level: string, message: string, meta?: unknown) {
    this.lines.push(
      JSON.stringify({ level, message, ...this.fields, meta }, (_key, value) =>
        value instanceof Error
          ? { name: value.name, message: value.message, stack: value.stack }
          : value,
      ),
    );
  }
  error(message: string, meta?: Error | object) {
    this.write('error', message, meta);
  }
  warn(message: string, meta?: Error | object) {
    this.write('warn', message, meta);
  }
  info(message: string, meta?: Error | object) {
    this.write('info', message, meta);
  }
  debug(message: string, meta?: Error | object) {
    this.write('debug', message, meta);
  }
  child(meta: object) {
    return new CapturingLogger(this.lines, { ...this.fields, ...meta });
  }
}

/** The example catalog's entities, pointed at this sandbox (which listens on a random port). */
async function exampleEntities(sandbox: Sandbox): Promise<Entity[]> {
  const text = await fs.readFile(
    path.join(repoRoot, 'examples/catalog.yaml'),
    'utf8',
  );
  return (
    parseAllDocuments(text.replaceAll('http://127.0.0.1:7440', sandbox.url))
      .map(d => d.toJS() as Entity)
      .filter(e => e?.kind)
      // The relations the catalog would compute for Users (memberOf) and owned entities (ownedBy).
      .map(e => ({
        ...e,
        relations: [
          ...((e.spec?.memberOf as string[] | undefined) ?? []).map(g => ({
            type: 'memberOf',
            targetRef: `group:default/${g}`,
          })),
          ...(typeof e.spec?.owner === 'string'
            ? [
                {
                  type: 'ownedBy',
                  targetRef: (e.spec.owner as string).includes(':')
                    ? (e.spec.owner as string)
                    : `group:default/${e.spec.owner}`,
                },
              ]
            : []),
        ],
      }))
  );
}

/** Requests that change something upstream (reads, logins and git fetches excluded). */
export function isWrite(r: { method: string; path: string }) {
  if (r.method === 'GET' || r.method === 'HEAD') return false;
  return !(
    (
      /\/graphql$/.test(r.path) || // GitHub and NerdGraph queries (mutations only follow REST writes)
      /git-upload-pack$/.test(r.path) || // clone and fetch
      /\/api\/v1\/session$/.test(r.path)
    ) // Argo CD login
  );
}

export interface Portal {
  sandbox: Sandbox;
  canaries: Canaries;
  /** Every backend log line and action log line so far. */
  logs: string[];
  /** Every response body the suite read, for the canary check. */
  responses: string[];
  /** Deny every permission while true. */
  policy: { deny: boolean };
  /** Runs an action as the scaffolder would, with a fresh workspace unless one is given. */
  run(
    actionId: string,
    input: unknown,
    context?: { workspacePath?: string; isDryRun?: boolean; user?: string },
  ): Promise<Record<string, any>>;
  actions: TemplateAction<any, any>[];
  /** An HTTP request to the backend as a signed-in user. */
  http(
    method: 'get' | 'post',
    url: string,
    body?: unknown,
  ): Promise<request.Response>;
  workspace(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The backend as a platform team installs it — Paved's scaffolder actions, runtime health and template sync with the
 * real paved-node clients, the example catalog — against a sandbox whose every secret is a canary.
 */
export async function startPortal(
  options: { health?: Record<string, unknown> } = {},
): Promise<Portal> {
  const canaries = makeCanaries();
  const sandbox = await startSandbox({ seed: canarySeed(canaries) });
  const env = { ...process.env };
  process.env.AWS_ACCESS_KEY_ID = sandbox.seed.aws.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = sandbox.seed.aws.secretAccessKey;
  const base = sandboxConfig(sandbox);
  const org = sandbox.github.org;
  const data = {
    ...base,
    paved: {
      ...base.paved,
      // The suites flip the permission policy between requests of the same user: remembered ALLOWs
      // (permissionCacheSeconds, 10 s by default) would keep a denial from applying at once. The router's own tests
      // cover remembering; here every request asks.
      health: {
        cacheTtlSeconds: 0,
        permissionCacheSeconds: 0,
        timeoutMs: 1_500,
        ...options.health,
      },
      // The suite's default user (createMockActionContext's user:default/mock) may act for every owner; the owner
      // checks run as the example catalog's guest (a member of payments-team) with `run(…, { user })`.
      permissions: { platformAdmins: ['user:default/mock'] },
      // Short budgets, so an upstream that never answers fails a step in seconds.
      git: { timeoutMs: 1_000 },
      namespaces: { timeoutMs: 1_000 },
      argocd: {
        ...base.paved.argocd,
        instances: base.paved.argocd.instances.map(i => ({
          ...i,
          timeoutMs: 1_000,
        })),
      },
      templateSync: {
        allowedSources: [`${sandbox.url}/${org}`],
        templates: {
          'typescript-service': {
            source: `${sandbox.url}/${org}/templates.git//typescript-service`,
          },
        },
        // Runs only when asked: the suite counts requests and compares state.
        enabled: false,
      },
    },
  };
  const lines: string[] = [];
  const policy = { deny: false };
  const decide = async (requests: unknown[]) =>
    requests.map(() => ({
      result: policy.deny ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
    }));
  const actions: TemplateAction<any, any>[] = [];
  const workspaces: string[] = [];
  const backend = await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        {
          addActions: (...a: TemplateAction<any, any>[]) => actions.push(...a),
        },
      ],
    ],
    features: [
      scaffolderModulePaved,
      runtimeHealthPlugin,
      templateSyncPlugin,
      unthrottledGitProviderServiceFactory,
      mockServices.rootConfig.factory({ data }),
      catalogServiceMock.factory({ entities: await exampleEntities(sandbox) }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => new CapturingLogger(lines),
      }),
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () => ({
          authorize: decide as any,
          authorizeConditional: decide as any,
        }),
      }),
    ],
  });
  const responses: string[] = [];
  const workspace = async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-reliability-'));
    workspaces.push(dir);
    return dir;
  };
  return {
    sandbox,
    canaries,
    logs: lines,
    responses,
    policy,
    actions,
    workspace,
    async run(actionId, input, context = {}) {
      const action = actions.find(a => a.id === actionId);
      if (!action) throw new Error(`${actionId} is not registered`);
      const logger = new CapturingLogger(lines, { action: actionId });
      const ctx = createMockActionContext({
        input: input as any,
        logger,
        workspacePath: context.workspacePath ?? (await workspace()),
        ...(context.user ? { user: { ref: context.user } } : {}),
      });
      // createMockActionContext drops isDryRun.
      if (context.isDryRun) Object.assign(ctx, { isDryRun: true });
      await action.handler(ctx);
      return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    },
    async http(method, url, body) {
      let r = request(backend.server)
        [method](url)
        .set('authorization', mockCredentials.user.header());
      if (typeof body === 'string')
        r = r.set('content-type', 'application/json').send(body);
      else if (body !== undefined) r = r.send(body as object);
      const response = await r;
      responses.push(response.text ?? '');
      return response;
    },
    async stop() {
      await backend.stop();
      await sandbox.close();
      await Promise.all(
        workspaces.map(w => fs.rm(w, { recursive: true, force: true })),
      );
      process.env = env;
    },
  };
}
