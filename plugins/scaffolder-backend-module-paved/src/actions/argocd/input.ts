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
          "Values files relative to the chart; {cluster} stands for each Application's cluster, e.g. [values.yaml, values-{cluster}.yaml]",
      })
      .max(20)
      .optional(),
  targetRevision: (zod: Z) =>
    zod
      .string({ description: 'Branch, tag or commit to deploy; default HEAD' })
      .min(1)
      .optional(),
  clusters: (zod: Z) =>
    zod
      .array(zod.string().min(1), {
        description:
          'Destination clusters (of paved.eks.clusters): one Application each, named <appName>-<cluster>, all in one pull request',
      })
      .min(1)
      .max(20)
      .optional(),
  cluster: (zod: Z) =>
    zod
      .string({
        description:
          'One destination cluster, the Application named <appName> (the single-cluster form of clusters)',
      })
      .min(1)
      .optional(),
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
      .string({
        description:
          'Application name (cluster) or name stem (clusters); default the entity name',
      })
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

const change = (zod: Z) => zod.enum(['created', 'updated', 'unchanged']);

export const argoCdOutput = {
  appName: (zod: Z) =>
    zod.string({ description: 'Name of the (first) Argo CD application' }),
  appNames: (zod: Z) =>
    zod.array(zod.string(), {
      description: 'Argo CD application names, in the order of clusters',
    }),
  instance: (zod: Z) => zod.string({ description: 'Argo CD instance' }),
  project: (zod: Z) => zod.string({ description: 'Argo CD project' }),
  url: (zod: Z) =>
    zod.string({ description: '(First) application in the Argo CD UI' }),
  urls: (zod: Z) =>
    zod.array(zod.string(), {
      description:
        'Each application in the Argo CD UI, in the order of clusters',
    }),
  applications: (zod: Z) =>
    zod.array(
      zod.object({
        cluster: zod.string(),
        appName: zod.string(),
        url: zod.string(),
      }),
      { description: 'Each cluster with its application and Argo CD link' },
    ),
  mode: (zod: Z) =>
    zod.enum(['gitops', 'api'], { description: 'How it was registered' }),
  pullRequestUrl: (zod: Z) =>
    zod
      .string({
        description:
          'GitOps pull request holding every application and the project (gitops mode)',
      })
      .optional(),
  rebuiltPullRequests: (zod: Z) =>
    zod
      .array(zod.string(), {
        description:
          "The team's other open Argo CD pull requests rebuilt so that all carry the same project (gitops mode)",
      })
      .optional(),
  applicationChanges: (zod: Z) =>
    zod
      .record(change(zod), {
        description: 'What happened to each Application, by name (api mode)',
      })
      .optional(),
  projectChange: (zod: Z) =>
    change(zod)
      .describe('What happened to the AppProject (api mode)')
      .optional(),
  manifests: (zod: Z) =>
    zod.string({ description: 'AppProject and Applications as YAML' }),
};

export const parseArgoCdInput = strictParser(
  'paved:argocd:register',
  argoCdInput,
);
