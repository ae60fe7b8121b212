import type { z } from 'zod/v3';
import { strictParser } from '../shared/parse';

type Z = typeof z;

/** Input fields of `paved:argocd:register`: the scaffolder's JSON schema and the handler's strict parse. */
export const argoCdInput = {
  entityRef: (zod: Z) =>
    zod
      .string({
        description:
          'The Component being deployed, e.g. component:default/orders (or just its name)',
      })
      .min(1),
  owner: (zod: Z) =>
    zod
      .string({
        description:
          "Owning team, a Group entity ref: the Argo CD project is the team's",
      })
      .min(1),
  repoUrl: (zod: Z) =>
    zod
      .string({
        description:
          'Repository holding the chart: https://github.com/acme/orders or the RepoUrlPicker form github.com?owner=acme&repo=orders (the project may deploy from the same organisation only)',
      })
      .min(1),
  path: (zod: Z) =>
    zod
      .string({
        description: 'Helm chart folder in the repository; default chart',
      })
      .min(1)
      .optional(),
  valueFiles: (zod: Z) =>
    zod
      .array(zod.string().min(1), {
        description:
          'Values files relative to the chart, e.g. [values.yaml, values-prod.yaml]',
      })
      .max(20)
      .optional(),
  targetRevision: (zod: Z) =>
    zod
      .string({ description: 'Branch, tag or commit to deploy; default HEAD' })
      .min(1)
      .optional(),
  cluster: (zod: Z) =>
    zod
      .string({
        description: 'Destination cluster name (one of paved.eks.clusters)',
      })
      .min(1),
  namespace: (zod: Z) =>
    zod.string({ description: 'Destination namespace' }).min(1),
  instance: (zod: Z) =>
    zod
      .string({
        description:
          'Argo CD instance (paved.argocd.instances); default paved.argocd.defaultInstance or the first',
      })
      .min(1)
      .optional(),
  appName: (zod: Z) =>
    zod
      .string({ description: 'Application name; default the entity name' })
      .min(1)
      .optional(),
  project: (zod: Z) =>
    zod
      .string({
        description: "Argo CD project; default the owning group's name",
      })
      .min(1)
      .optional(),
  syncPolicy: (zod: Z) =>
    zod
      .object(
        {
          automated: zod.boolean().optional(),
          prune: zod.boolean().optional(),
          selfHeal: zod.boolean().optional(),
        },
        {
          description:
            'Sync policy; defaults from paved.argocd.syncPolicy (automated, no prune, no self-heal)',
        },
      )
      .strict()
      .optional(),
  mode: (zod: Z) =>
    zod
      .enum(['gitops', 'api'], {
        description:
          'gitops: commit the Application and AppProject to the GitOps repository (one pull request); api: upsert through the Argo CD API. Default gitops',
      })
      .optional(),
  catalogInfoPath: (zod: Z) =>
    zod
      .string({
        description:
          'Before publish: add argocd/app-name and argocd/instance-name to this catalog-info.yaml in the workspace',
      })
      .min(1)
      .optional(),
};

export const argoCdOutput = {
  appName: (zod: Z) => zod.string({ description: 'Argo CD application name' }),
  instance: (zod: Z) => zod.string({ description: 'Argo CD instance' }),
  project: (zod: Z) => zod.string({ description: 'Argo CD project' }),
  url: (zod: Z) => zod.string({ description: 'Application in the Argo CD UI' }),
  mode: (zod: Z) =>
    zod.enum(['gitops', 'api'], { description: 'How it was registered' }),
  pullRequestUrl: (zod: Z) =>
    zod.string({ description: 'GitOps pull request (gitops mode)' }).optional(),
  applicationChange: (zod: Z) =>
    zod
      .enum(['created', 'updated', 'unchanged'], {
        description: 'What happened to the Application (api mode)',
      })
      .optional(),
  projectChange: (zod: Z) =>
    zod
      .enum(['created', 'updated', 'unchanged'], {
        description: 'What happened to the AppProject (api mode)',
      })
      .optional(),
  manifests: (zod: Z) =>
    zod.string({ description: 'AppProject and Application as YAML' }),
};

export const parseArgoCdInput = strictParser(
  'paved:argocd:register',
  argoCdInput,
);
