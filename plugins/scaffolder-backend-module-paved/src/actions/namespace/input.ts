import type { z } from 'zod/v3';
import { strictParser } from '../shared/parse';

type Z = typeof z;

/**
 * Input fields of `paved:namespace:provision`, written once: the scaffolder renders them as the action's JSON
 * schema, and the handler parses with them again (strictly) so a bad value is an InputError before anything runs.
 */
export const namespaceInput = {
  name: (zod: Z) =>
    zod
      .string({
        description:
          'Namespace name: an RFC 1123 label (lower-case letters, digits, "-"), at most 63 characters',
      })
      .min(1)
      .max(63),
  owner: (zod: Z) =>
    zod
      .string({
        description:
          'Owning team: a Group entity ref, e.g. group:default/payments (OwnerPicker output)',
      })
      .min(1),
  clusters: (zod: Z) =>
    zod
      .array(zod.string().min(1), {
        description:
          'Clusters to provision into, by name (paved.eks.clusters); or give environment',
      })
      .min(1)
      .max(50)
      .optional(),
  environment: (zod: Z) =>
    zod
      .string({
        description:
          'Provision into every configured cluster of this environment (dev, staging, prod); or give clusters',
      })
      .min(1)
      .optional(),
  tier: (zod: Z) =>
    zod
      .string({
        description:
          'Quota and limit preset (small, medium, large, or those in paved.namespaces.tiers); default small',
      })
      .min(1)
      .optional(),
  labels: (zod: Z) =>
    zod
      .record(zod.string(), {
        description: 'Extra labels on the Namespace (not paved.dev/*)',
      })
      .optional(),
  annotations: (zod: Z) =>
    zod
      .record(zod.string(), {
        description: 'Extra annotations on the Namespace (not paved.dev/*)',
      })
      .optional(),
  workloadRoleArn: (zod: Z) =>
    zod
      .string({
        description:
          'IAM role for the namespace\'s "workload" ServiceAccount (eks.amazonaws.com/role-arn)',
      })
      .optional(),
  viewerGroups: (zod: Z) =>
    zod
      .array(zod.string(), {
        description:
          'Extra Kubernetes groups bound to the view role (besides paved.namespaces.viewerGroups)',
      })
      .max(20)
      .optional(),
  mode: (zod: Z) =>
    zod
      .enum(['gitops', 'apply'], {
        description:
          'gitops: one pull request to the GitOps repository; apply: server-side apply with an EKS IAM token. Default from paved.namespaces.defaultMode',
      })
      .optional(),
};

export const namespaceOutput = {
  namespace: (zod: Z) => zod.string({ description: 'The namespace' }),
  ownerRef: (zod: Z) => zod.string({ description: 'Owning Group entity ref' }),
  clusters: (zod: Z) =>
    zod.array(zod.string(), { description: 'Clusters provisioned into' }),
  mode: (zod: Z) =>
    zod.enum(['gitops', 'apply'], {
      description: 'How the namespace was provisioned',
    }),
  pullRequestUrl: (zod: Z) =>
    zod.string({ description: 'GitOps pull request (gitops mode)' }).optional(),
  branch: (zod: Z) =>
    zod.string({ description: 'Branch holding the change' }).optional(),
  commitSha: (zod: Z) =>
    zod.string({ description: 'Commit holding the change' }).optional(),
  objects: (zod: Z) =>
    zod
      .array(
        zod.object({
          cluster: zod.string(),
          kind: zod.string(),
          name: zod.string(),
          changed: zod.boolean(),
        }),
        { description: 'Objects applied (apply mode)' },
      )
      .optional(),
  manifests: (zod: Z) =>
    zod.string({
      description: 'The objects as YAML (every mode, and dry runs)',
    }),
};

export const parseNamespaceInput = strictParser(
  'paved:namespace:provision',
  namespaceInput,
);
