import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import {
  isDnsLabel,
  isLabelKey,
  isLabelValue,
} from '@paved/plugin-paved-common';
import { toYamlDocuments } from '../lib/yaml';
import type { ChangeResult } from '../git/types';
import type { GitOpsWriter } from '../git/GitOpsWriter';
import type { ClusterRegistry } from '../kubernetes/ClusterRegistry';
import type {
  AppliedObject,
  KubernetesApplier,
} from '../kubernetes/KubernetesApplier';
import {
  ManifestError,
  namespaceManifests,
  type Manifest,
} from '../lib/namespace/manifests';
import type { NamespacePolicy } from './NamespacePolicy';
import {
  namespaceBranch,
  namespaceFile,
  NamespaceOwnership,
} from './NamespaceOwnership';

/** What a team asks for. @public */
export interface NamespaceProvisionRequest {
  name: string;
  /** Owning Group, as an entity ref (`group:default/payments` or `payments`). */
  owner: string;
  /** Target clusters by name; or `environment` picks every configured cluster of that environment. */
  clusters?: string[];
  environment?: string;
  tier?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  workloadRoleArn?: string;
  viewerGroups?: string[];
}

/** A validated request: the objects every target cluster gets. @public */
export interface NamespacePlan {
  name: string;
  ownerRef: string;
  tier: string;
  clusters: string[];
  manifests: Manifest[];
}

/** Label and annotation keys a template may not set: they carry ownership, or belong to Kubernetes itself. */
const RESERVED_KEY =
  /^(paved\.dev\/|app\.kubernetes\.io\/managed-by$|([a-z0-9.-]*\.)?(kubernetes\.io|k8s\.io)\/|eks\.amazonaws\.com\/)/;

const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

function checkMetadata(
  kind: 'label' | 'annotation',
  entries: Record<string, string>,
  problems: string[],
) {
  for (const [key, value] of Object.entries(entries)) {
    if (!isLabelKey(key))
      problems.push(`${kind} key "${key}" is not a valid Kubernetes key`);
    else if (RESERVED_KEY.test(key))
      problems.push(
        `${kind} key "${key}" is reserved (Paved sets ownership and Kubernetes its own keys)`,
      );
    if (kind === 'label' && !isLabelValue(value))
      problems.push(
        `label ${key}="${value}" has an invalid value: at most 63 letters, digits, "-", "_" or "."`,
      );
  }
}

/**
 * Provisions team namespaces: validates a request against the policy, builds the objects, checks nobody else
 * owns the namespace, then applies them (server-side apply) or commits them to the GitOps repository. Each step is
 * separate so the scaffolder action can checkpoint it.
 * @public
 */
export class NamespaceProvisioner {
  private readonly ownership: NamespaceOwnership;

  constructor(
    private readonly deps: {
      policy: NamespacePolicy;
      clusters: ClusterRegistry;
      applier: KubernetesApplier;
      gitops: GitOpsWriter;
    },
  ) {
    this.ownership = new NamespaceOwnership(deps);
  }

  /** Names no team may claim (`paved.namespaces.reservedNames` plus the built-in ones): the pattern matched, if any. */
  reservedBy(name: string): string | undefined {
    return this.deps.policy.reservedBy(name);
  }

  /** Who owns a namespace, as the live cluster, the GitOps repository and its open pull request record it. */
  namespaceRecords(cluster: string, name: string) {
    return this.ownership.records(cluster, name);
  }

  get defaultMode(): 'gitops' | 'apply' {
    return this.deps.policy.options.defaultMode;
  }

  /** Validates everything (no network) and builds the objects; an InputError lists every problem at once. */
  plan(request: NamespaceProvisionRequest): NamespacePlan {
    const { policy, clusters } = this.deps;
    const problems: string[] = [];
    if (!isDnsLabel(request.name)) {
      problems.push(
        `namespace "${request.name}" must be at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit`,
      );
    } else {
      const reserved = policy.reservedBy(request.name);
      if (reserved)
        problems.push(`namespace "${request.name}" is reserved (${reserved})`);
    }
    let owner: { kind: string; namespace: string; name: string } | undefined;
    try {
      owner = parseEntityRef(request.owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
      if (owner.kind.toLocaleLowerCase('en-US') !== 'group') {
        problems.push(`owner must be a Group, not ${request.owner}`);
        owner = undefined;
      }
    } catch (error) {
      problems.push(
        `owner "${request.owner}" is not an entity ref: ${
          (error as Error).message
        }`,
      );
    }
    const tierName = request.tier ?? 'small';
    const preset = policy.tier(tierName);
    if (!preset)
      problems.push(
        `tier "${tierName}" is not one of ${policy.tierNames().join(', ')}`,
      );
    checkMetadata('label', request.labels ?? {}, problems);
    checkMetadata('annotation', request.annotations ?? {}, problems);
    if (
      request.workloadRoleArn !== undefined &&
      !ROLE_ARN.test(request.workloadRoleArn)
    )
      problems.push(
        `workloadRoleArn "${request.workloadRoleArn}" is not an IAM role ARN`,
      );
    for (const group of request.viewerGroups ?? []) {
      if (!group.trim() || /\s/.test(group))
        problems.push(
          `viewer group "${group}" must be a non-empty name without spaces`,
        );
    }

    let targets: string[] = [];
    if (request.clusters?.length && request.environment) {
      problems.push('give either clusters or environment, not both');
    } else if (request.clusters?.length) {
      if (new Set(request.clusters).size !== request.clusters.length)
        problems.push(
          `clusters lists a cluster twice: ${request.clusters.join(', ')}`,
        );
      for (const name of request.clusters) {
        try {
          clusters.get(name);
        } catch (error) {
          problems.push((error as Error).message);
        }
      }
      targets = [...new Set(request.clusters)];
    } else if (request.environment) {
      targets = clusters.list(request.environment).map(c => c.name);
      if (!targets.length)
        problems.push(
          `no configured cluster serves environment "${request.environment}"`,
        );
    } else {
      problems.push('give clusters or an environment to provision into');
    }

    let manifests: Manifest[] = [];
    if (!problems.length && owner && preset) {
      try {
        manifests = namespaceManifests({
          name: request.name,
          ownerRef: stringifyEntityRef(owner),
          tier: tierName,
          preset,
          teamGroup: policy.teamGroup(owner),
          viewerGroups: [
            ...new Set([
              ...policy.options.viewerGroups,
              ...(request.viewerGroups ?? []),
            ]),
          ],
          ingressNamespaces: policy.options.ingressNamespaces,
          ingressCidrs: policy.options.ingressCidrs,
          workloadRoleArn: request.workloadRoleArn,
          labels: request.labels,
          annotations: request.annotations,
        });
      } catch (error) {
        if (error instanceof ManifestError) problems.push(error.message);
        else throw error;
      }
    }
    if (problems.length) {
      throw new InputError(
        `Cannot provision namespace "${request.name}": ${problems.join('; ')}`,
      );
    }
    return {
      name: request.name,
      ownerRef: stringifyEntityRef(owner!),
      tier: tierName,
      clusters: targets,
      manifests,
    };
  }

  private refuseForeign(
    plan: NamespacePlan,
    where: string,
    ownerRef: string | undefined,
  ) {
    if (ownerRef !== plan.ownerRef) {
      throw new ConflictError(
        `Namespace ${plan.name} already exists on ${where} and belongs to ${
          ownerRef ?? 'someone outside Paved'
        }, not ${plan.ownerRef}`,
      );
    }
  }

  /**
   * Refuses (ConflictError) when anything that knows the namespace on a target cluster records another owner: the
   * live cluster, the GitOps repository, or an open pull request for it. Reads only; both modes check both, since a
   * namespace made one way is still someone's when the next request comes the other way.
   */
  async checkOwnership(plan: NamespacePlan): Promise<void> {
    for (const cluster of plan.clusters) {
      for (const record of await this.ownership.records(cluster, plan.name)) {
        this.refuseForeign(plan, record.where, record.owner);
      }
    }
  }

  /** Server-side applies the plan to one cluster. */
  async apply(plan: NamespacePlan, cluster: string): Promise<AppliedObject[]> {
    const connection = await this.deps.clusters.connection(cluster);
    return this.deps.applier.apply(connection, plan.manifests);
  }

  /** The GitOps files of a plan: one multi-document YAML per cluster. */
  files(plan: NamespacePlan): Array<{ path: string; content: string }> {
    const content = toYamlDocuments(plan.manifests);
    return plan.clusters.map(cluster => ({
      path: namespaceFile(cluster, plan.name),
      content: `# Managed by Paved (paved:namespace:provision) for ${plan.ownerRef}; change it through a pull request.\n${content}`,
    }));
  }

  /** Commits the plan to the GitOps repository: one pull request (refreshed on re-runs) or one commit. */
  write(plan: NamespacePlan): Promise<ChangeResult> {
    const objects = plan.manifests
      .map(m => `- ${m.kind} ${m.metadata.name}`)
      .join('\n');
    return this.deps.gitops.write({
      files: this.files(plan),
      branch: namespaceBranch(plan.name),
      message: `feat(namespaces): ${plan.name} for ${plan.ownerRef}`,
      title: `Namespace ${plan.name} for ${
        plan.ownerRef
      } on ${plan.clusters.join(', ')}`,
      body: [
        `Provisioned by Paved (\`paved:namespace:provision\`).`,
        '',
        `- Owner: \`${plan.ownerRef}\``,
        `- Tier: \`${plan.tier}\``,
        `- Clusters: ${plan.clusters.map(c => `\`${c}\``).join(', ')}`,
        '',
        'Objects on each cluster:',
        objects,
      ].join('\n'),
    });
  }
}
