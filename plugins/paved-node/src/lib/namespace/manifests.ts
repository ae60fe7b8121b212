import {
  LimitRange,
  Namespace,
  ResourceQuota,
  ServiceAccount,
} from 'kubernetes-models/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import {
  ANNOTATION_OWNER_REF,
  isDnsLabel,
  isLabelValue,
} from '@paved/plugin-paved-common';
import type { TierPreset } from './presets';

/**
 * A Kubernetes object as Paved applies or commits it.
 *
 * @public
 */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

/**
 * Everything a team namespace is built from.
 *
 * @public
 */
export interface NamespaceRequest {
  /** RFC 1123 label, at most 63 characters. */
  name: string;
  /** Owning group's entity ref, e.g. group:default/payments. */
  ownerRef: string;
  tier: string;
  preset: TierPreset;
  /** Kubernetes group the owning team's members are in (EKS access entries / aws-auth), bound to `edit`. */
  teamGroup: string;
  /** Kubernetes groups bound to `view`. */
  viewerGroups: string[];
  /** Namespaces whose pods may reach this namespace (ingress controllers). */
  ingressNamespaces: string[];
  /** Addresses load balancers reach pods from (ALB target type ip: the load balancer subnets' CIDRs). */
  ingressCidrs?: string[];
  /** IAM role for the workload service account (IRSA `eks.amazonaws.com/role-arn`). */
  workloadRoleArn?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * Why a request cannot become manifests: each message says what to change.
 *
 * @public
 */
export class ManifestError extends Error {
  readonly name = 'ManifestError';
}

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'paved' };

/**
 * A label-safe form of an entity ref: `group:default/payments` → `group.default.payments`.
 *
 * @public
 */
export function refLabel(ref: string): string {
  return ref
    .toLocaleLowerCase('en-US')
    .replace(/[:/]/g, '.')
    .replace(/[^a-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/[^a-z0-9]+$/, '');
}

function validate<T extends { validate(): void }>(model: T, what: string): T {
  try {
    model.validate();
  } catch (error) {
    throw new ManifestError(
      `${what} is not a valid Kubernetes object: ${(error as Error).message}`,
    );
  }
  return model;
}

/**
 * The objects of a team namespace: Namespace (ownership labels), ResourceQuota and LimitRange from the tier,
 * NetworkPolicies (default-deny ingress, allow from the same namespace, allow from ingress controllers), RoleBindings
 * (team → edit, viewers → view) and the workload ServiceAccount. Every object is validated with kubernetes-models;
 * nothing is returned unless all are valid.
 *
 * @public
 */
export function namespaceManifests(request: NamespaceRequest): Manifest[] {
  const { name } = request;
  if (!isDnsLabel(name)) {
    throw new ManifestError(
      `Namespace name "${name}" must be at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit`,
    );
  }
  if (!request.teamGroup.trim()) {
    throw new ManifestError(
      'The owning team needs a Kubernetes group to bind to edit (paved.namespaces.teamGroupPattern)',
    );
  }
  if (request.viewerGroups.some(g => !g.trim())) {
    throw new ManifestError('Viewer groups must not be empty');
  }
  for (const [key, value] of Object.entries(request.labels ?? {})) {
    if (!isLabelValue(value)) {
      throw new ManifestError(
        `Label ${key}="${value}" has an invalid value: at most 63 letters, digits, "-", "_" or "."`,
      );
    }
  }
  const ownership = {
    'paved.dev/owner': refLabel(request.ownerRef),
    'paved.dev/tier': request.tier,
  };
  const labels = { ...request.labels, ...ownership, ...MANAGED_BY };
  const meta = (objectName: string) => ({
    name: objectName,
    namespace: name,
    labels: { ...ownership, ...MANAGED_BY },
  });

  const objects = [
    validate(
      new Namespace({
        metadata: {
          name,
          labels,
          annotations: {
            ...request.annotations,
            [ANNOTATION_OWNER_REF]: request.ownerRef,
          },
        },
      }),
      `Namespace ${name}`,
    ),
    validate(
      new ResourceQuota({
        metadata: meta('paved-quota'),
        spec: { hard: request.preset.quota },
      }),
      'ResourceQuota paved-quota',
    ),
    validate(
      new LimitRange({
        metadata: meta('paved-limits'),
        spec: { limits: [{ type: 'Container', ...request.preset.limits }] },
      }),
      'LimitRange paved-limits',
    ),
    validate(
      new NetworkPolicy({
        metadata: meta('default-deny-ingress'),
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      }),
      'NetworkPolicy default-deny-ingress',
    ),
    validate(
      new NetworkPolicy({
        metadata: meta('allow-same-namespace'),
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: {} }] }],
        },
      }),
      'NetworkPolicy allow-same-namespace',
    ),
    validate(
      new NetworkPolicy({
        metadata: meta('allow-from-ingress'),
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                ...request.ingressNamespaces.map(ns => ({
                  namespaceSelector: {
                    matchLabels: { 'kubernetes.io/metadata.name': ns },
                  },
                })),
                // An ALB with IP targets sends traffic and health checks from its subnets' addresses, not a pod.
                ...(request.ingressCidrs ?? []).map(cidr => ({
                  ipBlock: { cidr },
                })),
              ],
            },
          ],
        },
      }),
      'NetworkPolicy allow-from-ingress',
    ),
    validate(
      new RoleBinding({
        metadata: meta('paved-team-edit'),
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'edit',
        },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Group',
            name: request.teamGroup,
          },
        ],
      }),
      'RoleBinding paved-team-edit',
    ),
    ...(request.viewerGroups.length
      ? [
          validate(
            new RoleBinding({
              metadata: meta('paved-viewers'),
              roleRef: {
                apiGroup: 'rbac.authorization.k8s.io',
                kind: 'ClusterRole',
                name: 'view',
              },
              subjects: request.viewerGroups.map(g => ({
                apiGroup: 'rbac.authorization.k8s.io',
                kind: 'Group',
                name: g,
              })),
            }),
            'RoleBinding paved-viewers',
          ),
        ]
      : []),
    validate(
      new ServiceAccount({
        metadata: {
          ...meta('workload'),
          ...(request.workloadRoleArn
            ? {
                annotations: {
                  'eks.amazonaws.com/role-arn': request.workloadRoleArn,
                },
              }
            : {}),
        },
      }),
      'ServiceAccount workload',
    ),
  ];
  return objects.map(o => JSON.parse(JSON.stringify(o.toJSON())) as Manifest);
}
