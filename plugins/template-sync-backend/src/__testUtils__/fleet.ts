import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import {
  GitProviders,
  TemplateSync,
  writeProvenance,
} from '@paved/plugin-paved-node';
import {
  defaultSeed,
  type Sandbox,
  sandboxConfig,
  serviceTemplateFixture,
  startSandbox,
} from '@paved/sandbox';
import { Octokit } from '@octokit/rest';

export const ORG = defaultSeed.github.org;

/** A sandbox holding the fixture template (v1.0.0, v2.0.0) and the config a backend needs to sync from it. */
export async function startFleetSandbox() {
  // The default seed holds the fixture template (v1.0.0, v2.0.0).
  const sandbox = await startSandbox();
  const base = sandboxConfig(sandbox);
  const configData = {
    ...base,
    paved: {
      ...base.paved,
      templateSync: { allowedSources: [`${sandbox.url}/${ORG}`] },
    },
  };
  const config = new ConfigReader(configData);
  const git = GitProviders.fromConfig(config, mockServices.logger.mock(), {
    writeMinTimeMs: 0,
  });
  const templates = TemplateSync.fromConfig(config, {
    git,
    logger: mockServices.logger.mock(),
  });
  const octokit = new Octokit({
    baseUrl: sandbox.github.apiUrl,
    auth: sandbox.github.token,
  });
  const source = `${sandbox.url}/${ORG}/service-template.git`;
  return {
    sandbox,
    configData,
    config,
    git,
    templates,
    octokit,
    source,
    /**
     * Scaffolds a repository at v1.0.0 with one instance per entry (monorepos: several folders) and answers the
     * catalog entities for them, as the scaffolder and catalog would.
     */
    async scaffold(
      repo: string,
      instances: Array<{ name: string; folder?: string }>,
    ): Promise<Entity[]> {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-fleet-'));
      try {
        for (const instance of instances) {
          const target = path.join(dir, instance.folder ?? '.');
          await templates.render({
            source,
            version: 'v1.0.0',
            values: { name: instance.name },
            targetDir: target,
          });
          // What paved:template:fetch records on the entity.
          await writeProvenance(
            path.join(target, 'catalog-info.yaml'),
            {
              source,
              version: 'v1.0.0',
              answersFile: path.posix.join(
                instance.folder ?? '.',
                '.copier-answers.yml',
              ),
            },
            'set',
          );
        }
        await sandbox.github.publish(repo, dir);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
      return instances.map(instance => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: instance.name,
          namespace: 'default',
          annotations: {
            'backstage.io/source-location': `url:${
              sandbox.url
            }/${ORG}/${repo}/tree/main/${instance.folder ?? ''}`,
            'paved.dev/template-source': source,
            'paved.dev/template-version': 'v1.0.0',
            'paved.dev/answers-file': path.posix.join(
              instance.folder ?? '.',
              '.copier-answers.yml',
            ),
          },
        },
        spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
      }));
    },
    pulls: async (repo: string) =>
      (await octokit.pulls.list({ owner: ORG, repo, state: 'all' })).data,
    read: async (repo: string, file: string, ref?: string) =>
      (await sandbox.github.readFile(repo, file, ref)) ?? '',
    release: () =>
      sandbox.github.commit(
        'service-template',
        serviceTemplateFixture.next.files,
        {
          tag: serviceTemplateFixture.next.tag,
        },
      ),
  };
}

export type FleetSandbox = Awaited<ReturnType<typeof startFleetSandbox>>;
export type { Sandbox };
