import { InputError } from '@backstage/errors';
import type { z } from 'zod/v3';
import { PAVED_ACTION_IDS } from '@paved/plugin-paved-common';
import { strictParser } from '../shared/parse';

type Z = typeof z;

const relativePath = (zod: Z, description: string) =>
  zod
    .string({ description })
    .min(1)
    .max(500)
    .refine(
      p =>
        !p.startsWith('/') &&
        !p.includes('\\') &&
        !p.includes('\0') &&
        !p.split('/').includes('..'),
      'must be a relative path without ".."',
    );

const version = (zod: Z) =>
  zod
    .string({
      description:
        'Template version: a tag (v1.4.0) or another ref; default the newest version tag',
    })
    .min(1)
    .max(200)
    .regex(/^[\w./+-]+$/, 'must be a tag or ref name')
    .refine(v => !v.startsWith('-'), 'must not start with "-"')
    .optional();

const answersFile = (zod: Z) =>
  relativePath(
    zod,
    "Answers file, relative to the instance folder; default the template's _answers_file or .copier-answers.yml",
  )
    .refine(p => /\.ya?ml$/.test(p), 'must name a .yml or .yaml file')
    .optional();

/** `paved:template:fetch` inputs. */
export const fetchInput = {
  source: (zod: Z) =>
    zod
      .string({
        description:
          'Template source: Git URL of the template repository, with //folder for one template of several (must be under paved.templateSync.allowedSources). Or give template',
      })
      .min(1)
      .max(1000)
      .optional(),
  template: (zod: Z) =>
    zod
      .string({
        description:
          'Name of a template source configured under paved.templateSync.templates, so one Template entity works in every environment. Or give source',
      })
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a template name')
      .optional(),
  version,
  values: (zod: Z) =>
    zod
      .record(zod.unknown(), {
        description:
          "Answers to the template's questions (copier.yml), usually ${{ parameters }}",
      })
      .default({}),
  targetPath: (zod: Z) =>
    relativePath(
      zod,
      'Workspace folder to render into (the instance folder); default the workspace root',
    ).optional(),
  repositoryRoot: (zod: Z) =>
    relativePath(
      zod,
      'Workspace folder that becomes the repository root when published (publish sourcePath); default the workspace root. Makes the recorded answers-file path repository-relative',
    ).optional(),
  answersFile,
  catalogInfoPath: (zod: Z) =>
    relativePath(
      zod,
      'catalog-info.yaml (relative to targetPath) to annotate with the template source, version and answers file; default catalog-info.yaml when the template renders one',
    ).optional(),
  overwrite: (zod: Z) =>
    zod
      .boolean({
        description:
          'Replace files already in the workspace that differ from the render; default false (such files stop the step)',
      })
      .optional(),
};

export const fetchOutput = {
  version: (zod: Z) =>
    zod.string({ description: 'Version rendered (recorded as _commit)' }),
  commit: (zod: Z) => zod.string({ description: 'Template commit rendered' }),
  answersFile: (zod: Z) =>
    zod.string({
      description:
        'Answers file path relative to the repository root (the paved.dev/answers-file annotation)',
    }),
  targetPath: (zod: Z) =>
    zod.string({ description: 'Workspace folder rendered into' }),
  files: (zod: Z) =>
    zod.array(zod.string(), {
      description: 'Files written, relative to targetPath',
    }),
  annotations: (zod: Z) =>
    zod.record(zod.string(), {
      description: 'paved.dev/template-* annotations for the entity',
    }),
};

/** `paved:template:update` inputs. */
export const updateInput = {
  repoUrl: (zod: Z) =>
    zod
      .string({
        description:
          'Repository holding the instance: https://github.com/acme/orders or the RepoUrlPicker form github.com?owner=acme&repo=orders',
      })
      .min(1)
      .max(500),
  answersFile: (zod: Z) =>
    relativePath(
      zod,
      'Answers file, relative to the repository root (monorepos: services/api/.copier-answers.yml); default .copier-answers.yml',
    )
      .refine(p => /\.ya?ml$/.test(p), 'must name a .yml or .yaml file')
      .optional(),
  version,
  baseBranch: (zod: Z) =>
    zod
      .string({
        description: "Base branch; default the repository's default branch",
      })
      .min(1)
      .max(200)
      .regex(/^[\w./-]+$/, 'must be a branch name')
      .refine(v => !v.startsWith('-'), 'must not start with "-"')
      .optional(),
};

export const updateOutput = {
  from: (zod: Z) => zod.string({ description: 'Version before' }),
  to: (zod: Z) => zod.string({ description: 'Version after' }),
  upToDate: (zod: Z) =>
    zod.boolean({ description: 'True when there was nothing to update' }),
  branch: (zod: Z) => zod.string({ description: 'Pull request branch' }),
  conflicts: (zod: Z) =>
    zod.number({ description: 'Files with conflict markers' }),
  changedFiles: (zod: Z) =>
    zod.array(zod.string(), { description: 'Files the update changes' }),
  pullRequestUrl: (zod: Z) =>
    zod.string({ description: 'The pull request' }).optional(),
  pullRequestNumber: (zod: Z) =>
    zod.number({ description: 'The pull request number' }).optional(),
};

/** `paved:template:adopt` inputs. */
export const adoptInput = {
  repoUrl: updateInput.repoUrl,
  source: fetchInput.source,
  template: fetchInput.template,
  version: (zod: Z) =>
    zod
      .string({
        description:
          'The template version the repository was copied from (a tag, e.g. v1.2.0)',
      })
      .min(1)
      .max(200)
      .regex(/^[\w./+-]+$/, 'must be a tag or ref name')
      .refine(v => !v.startsWith('-'), 'must not start with "-"'),
  values: (zod: Z) =>
    zod
      .record(zod.unknown(), {
        description:
          'The answers the repository was made with (checked by the template’s own questions)',
      })
      .default({}),
  answersFile: updateInput.answersFile,
  baseBranch: updateInput.baseBranch,
};

export const adoptOutput = {
  version: (zod: Z) => zod.string({ description: 'Version recorded' }),
  answersFile: (zod: Z) => zod.string({ description: 'Answers file written' }),
  branch: (zod: Z) => zod.string({ description: 'Pull request branch' }),
  files: (zod: Z) =>
    zod.array(zod.string(), {
      description: 'Files the pull request adds or changes',
    }),
  pullRequestUrl: (zod: Z) =>
    zod.string({ description: 'The pull request' }).optional(),
};

export const parseAdoptInput = strictParser(
  PAVED_ACTION_IDS.templateAdopt,
  adoptInput,
);

export const parseFetchInput = strictParser(
  PAVED_ACTION_IDS.templateFetch,
  fetchInput,
);
export const parseUpdateInput = strictParser(
  PAVED_ACTION_IDS.templateUpdate,
  updateInput,
);

/** The template source an input names: `source` itself, or `template` looked up in configuration; never both. */
export function sourceFrom(
  input: { source?: string; template?: string },
  templates: { sourceOf(name: string): string },
  actionId: string,
): string {
  if (Boolean(input.source) === Boolean(input.template)) {
    throw new InputError(
      `Invalid input to ${actionId}: give either source (a Git URL) or template (a name under paved.templateSync.templates)`,
    );
  }
  return input.source ?? templates.sourceOf(input.template!);
}

/** `https://host/owner/repo`, from either a URL or the RepoUrlPicker's `host?owner=…&repo=…`. */
export function normaliseRepoUrl(value: string): string {
  const picker = /^([\w.-]+(?::\d+)?)\?(.+)$/.exec(value);
  if (picker) {
    const params = new URLSearchParams(picker[2]);
    const owner = params.get('owner') ?? params.get('organization');
    const repo = params.get('repo');
    if (owner && repo) return `https://${picker[1]}/${owner}/${repo}`;
  }
  return value.replace(/\.git$/, '').replace(/\/+$/, '');
}
