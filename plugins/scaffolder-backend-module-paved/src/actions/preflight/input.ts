import type { z } from 'zod/v3';
import { strictParser } from '../shared/parse';

type Z = typeof z;

/** Input fields of `paved:preflight`: the scaffolder's JSON schema and the handler's strict parse. */
export const preflightInput = {
  entityRef: (zod: Z) =>
    zod
      .string({
        description:
          'The Component the run creates, e.g. component:default/orders-api: its name must be free in the catalog',
      })
      .min(1),
  owner: (zod: Z) =>
    zod
      .string({
        description:
          'Owning team, a Group entity ref: the user must be allowed to act for it',
      })
      .min(1),
  repoUrl: (zod: Z) =>
    zod
      .string({
        description:
          'Repository the run creates (https://github.com/acme/orders-api or the RepoUrlPicker form): it must not exist, unless an earlier, unfinished run of the same service for the same owner created it',
      })
      .min(1),
  namespace: (zod: Z) =>
    zod
      .string({
        description:
          "Team namespace the service deploys into: neither reserved nor another owner's on any of clusters",
      })
      .min(1)
      .optional(),
  clusters: (zod: Z) =>
    zod
      .array(zod.string().min(1), {
        description:
          'Clusters the namespace and the Argo CD applications go to',
      })
      .min(1)
      .max(20)
      .optional(),
  appName: (zod: Z) =>
    zod
      .string({
        description:
          'Argo CD application name stem (applications <appName>-<cluster>); with clusters and namespace, applications and the project another entity or team owns are refused',
      })
      .min(1)
      .optional(),
  instance: (zod: Z) =>
    zod
      .string({
        description: 'Argo CD instance; default paved.argocd.defaultInstance',
      })
      .min(1)
      .optional(),
  answers: (zod: Z) =>
    zod
      .record(zod.unknown(), {
        description:
          "The template answers of this run: when the repository exists from an earlier run, its recorded answers must be the same (the run resumes with them); the template's answers file is read from the repository",
      })
      .optional(),
  answersFile: (zod: Z) =>
    zod
      .string({
        description:
          'Answers file in the repository (default .copier-answers.yml)',
      })
      .min(1)
      .optional(),
};

export const preflightOutput = {
  resume: (zod: Z) =>
    zod.boolean({
      description:
        'True when the repository exists from an earlier, unfinished run of this service: skip publishing it',
    }),
  remoteUrl: (zod: Z) =>
    zod
      .string({ description: 'The existing repository (when resuming)' })
      .optional(),
  repoContentsUrl: (zod: Z) =>
    zod
      .string({
        description:
          "The existing repository's default branch contents, for catalog:register (when resuming)",
      })
      .optional(),
  checked: (zod: Z) =>
    zod.array(zod.string(), { description: 'What was checked, in order' }),
};

export const parsePreflightInput = strictParser(
  'paved:preflight',
  preflightInput,
);
