import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  scaffolderActionsExtensionPoint,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { unthrottledGitProviderServiceFactory } from '@paved/plugin-paved-node/testUtils';
import {
  type Sandbox,
  sandboxConfig,
  type SandboxSeed,
  startSandbox,
} from '@paved/sandbox';
import { Octokit } from '@octokit/rest';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderModulePaved } from '../module';

/** A running sandbox and the module's actions as the backend wires them to it. */
export interface SandboxBackend {
  sandbox: Sandbox;
  config: ConfigReader;
  octokit: Octokit;
  /** Every log line any run wrote, for secret checks. */
  logs: string[];
  /** Checkpoint keys of the last run. */
  checkpoints: string[];
  /** Runs an action; resolves to its outputs. */
  run(
    actionId: string,
    input: Record<string, unknown>,
    context?: { workspacePath?: string; isDryRun?: boolean },
  ): Promise<Record<string, any>>;
  stop(): Promise<void>;
}

/**
 * Starts the sandbox and a test backend holding this module with the real paved-node service refs, configured
 * through `sandboxConfig` (plus `extra` under `paved`). Tests talk to the sandbox over the wire with the real clients.
 */
export async function startSandboxBackend(
  extra:
    | Record<string, unknown>
    | ((sandbox: Sandbox) => Record<string, unknown>) = {},
  options: {
    seed?: SandboxSeed;
    /** The catalog's entities (paved:preflight reads it); none by default. */
    entities?: Entity[];
  } = {},
): Promise<SandboxBackend> {
  const sandbox = await startSandbox({ seed: options.seed });
  const env = { ...process.env };
  process.env.AWS_ACCESS_KEY_ID = sandbox.seed.aws.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = sandbox.seed.aws.secretAccessKey;
  const base = sandboxConfig(sandbox);
  const data = {
    ...base,
    paved: {
      ...base.paved,
      // The runs' user (createMockActionContext's user:default/mock) may act for every owner; the actions' own
      // owner checks are tested with OwnershipService directly.
      permissions: { platformAdmins: ['user:default/mock'] },
      ...(typeof extra === 'function' ? extra(sandbox) : extra),
    },
  };
  const actions: TemplateAction<any, any>[] = [];
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
      mockServices.rootConfig.factory({ data }),
      unthrottledGitProviderServiceFactory,
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
    ],
  });
  const logs: string[] = [];
  const checkpoints: string[] = [];
  return {
    sandbox,
    config: new ConfigReader(data),
    octokit: new Octokit({
      baseUrl: sandbox.github.apiUrl,
      auth: sandbox.github.token,
    }),
    logs,
    checkpoints,
    async run(actionId, input, context = {}) {
      const action = actions.find(a => a.id === actionId);
      if (!action) throw new Error(`${actionId} is not registered`);
      const logger = mockServices.logger.mock();
      const ctx = createMockActionContext({
        input: input as any,
        logger,
        ...context,
      });
      // createMockActionContext drops isDryRun.
      if (context.isDryRun) Object.assign(ctx, { isDryRun: true });
      const checkpoint = ctx.checkpoint.bind(ctx);
      checkpoints.length = 0;
      ctx.checkpoint = opts => {
        checkpoints.push(opts.key);
        return checkpoint(opts);
      };
      try {
        await action.handler(ctx);
      } finally {
        for (const level of ['debug', 'info', 'warn', 'error'] as const)
          for (const call of (logger[level] as jest.Mock).mock.calls)
            logs.push(JSON.stringify(call));
      }
      return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    },
    async stop() {
      await backend.stop();
      await sandbox.close();
      process.env = env;
    },
  };
}
