import { ANNOTATION_OWNER_REF } from '@paved/plugin-paved-common';
import { parseAllDocuments } from 'yaml';
import type { GitOpsWriter } from '../git/GitOpsWriter';
import type { ClusterRegistry } from '../kubernetes/ClusterRegistry';
import type { KubernetesApplier } from '../kubernetes/KubernetesApplier';

/** The file a cluster's copy of the namespace lives in, relative to the GitOps base folder. @public */
export function namespaceFile(cluster: string, name: string): string {
  return `clusters/${cluster}/namespaces/${name}.yaml`;
}

/** The branch of the pull request that provisions a namespace. @public */
export function namespaceBranch(name: string): string {
  return `paved/namespace/${name}`;
}

/** One place that knows a namespace, and the owner it records there (undefined: exists, but not Paved's). @public */
export interface NamespaceRecord {
  where: string;
  owner: string | undefined;
}

/**
 * Who owns a namespace on a cluster, as everything that knows it records: the live cluster (`paved.dev/owner-ref`
 * on the Namespace), the GitOps repository's base branch, and the open pull request that provisions it. Read only;
 * shared by namespace provisioning (another owner's namespace is never re-owned) and Argo CD registration (an
 * application may only deploy into its owner's namespaces).
 * @public
 */
export class NamespaceOwnership {
  constructor(
    private readonly deps: {
      clusters: ClusterRegistry;
      applier: KubernetesApplier;
      gitops: GitOpsWriter;
    },
  ) {}

  /** Every record of `name` on `cluster`; empty when nothing knows it. */
  async records(cluster: string, name: string): Promise<NamespaceRecord[]> {
    const { clusters, applier, gitops } = this.deps;
    const live = (async (): Promise<NamespaceRecord[]> => {
      const existing = await applier.get(await clusters.connection(cluster), {
        apiVersion: 'v1',
        kind: 'Namespace',
        name,
      });
      return existing
        ? [
            {
              where: `cluster ${cluster}`,
              owner: existing.metadata.annotations?.[ANNOTATION_OWNER_REF],
            },
          ]
        : [];
    })();
    const inGit = async (
      branch: string | undefined,
      where: string,
    ): Promise<NamespaceRecord[]> => {
      const text = await gitops
        .read(namespaceFile(cluster, name), branch)
        .catch(error => {
          // A pull request branch that does not exist (yet, or any more) knows nothing.
          if (branch && /not found|404|does not exist/i.test(String(error)))
            return undefined;
          throw error;
        });
      if (text === undefined) return [];
      const namespace = parseAllDocuments(text)
        .map(d => d.toJS() as { kind?: string; metadata?: any } | null)
        .find(d => d?.kind === 'Namespace');
      return [
        {
          where,
          owner: namespace?.metadata?.annotations?.[ANNOTATION_OWNER_REF],
        },
      ];
    };
    const git = gitops.configured
      ? [
          inGit(undefined, `${cluster} in the GitOps repository`),
          inGit(
            namespaceBranch(name),
            `${cluster} in the GitOps pull request ${namespaceBranch(name)}`,
          ),
        ]
      : [];
    return (await Promise.all([live, ...git])).flat();
  }
}
