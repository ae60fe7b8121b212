import {
  AppProject,
  Application,
} from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import {
  ANNOTATION_ENTITY_REF,
  ANNOTATION_OWNER_REF,
} from '@paved/plugin-paved-common';
import type { ArgoCdObject } from '../../argocd/ArgoCdClient';
import { ManifestError, refLabel } from '../namespace/manifests';

/**
 * Sync behaviour of an Application.
 *
 * @public
 */
export interface SyncPolicy {
  automated: boolean;
  prune: boolean;
  selfHeal: boolean;
}

/**
 * Everything an Application and its team's AppProject are built from.
 *
 * @public
 */
export interface ArgoCdRegistration {
  appName: string;
  /** The Component the application deploys, e.g. component:default/orders. */
  entityRef: string;
  /** The owning Group, e.g. group:default/orders-team. */
  ownerRef: string;
  project: string;
  /** Namespace Argo CD keeps Applications in. */
  argoNamespace: string;
  repoUrl: string;
  path: string;
  valueFiles: string[];
  targetRevision: string;
  destination: { name: string; namespace: string };
  syncPolicy: SyncPolicy;
  /** Repositories the project may deploy from, e.g. https://github.com/acme/*. */
  sourceRepos: string[];
  /** Where the project may deploy to (existing destinations of an AppProject are kept). */
  projectDestinations: Array<{ name: string; namespace: string }>;
}

function validated<T extends { validate(): void; toJSON(): unknown }>(
  model: T,
  what: string,
): ArgoCdObject {
  try {
    model.validate();
  } catch (error) {
    throw new ManifestError(
      `${what} is not a valid Argo CD object: ${(error as Error).message}`,
    );
  }
  return JSON.parse(JSON.stringify(model.toJSON())) as ArgoCdObject;
}

/**
 * The team's AppProject: deploys only from the organisation's repositories, only to the team's namespaces, no
 * cluster-scoped resources, and never the namespace guardrails (quota, limits, network policies) Paved provisions.
 *
 * @public
 */
export function appProjectManifest(reg: ArgoCdRegistration): ArgoCdObject {
  return validated(
    new AppProject({
      metadata: {
        name: reg.project,
        namespace: reg.argoNamespace,
        labels: {
          'app.kubernetes.io/managed-by': 'paved',
          'paved.dev/owner': refLabel(reg.ownerRef),
        },
        annotations: { [ANNOTATION_OWNER_REF]: reg.ownerRef },
      },
      spec: {
        description: `Applications of ${reg.ownerRef}, managed by Paved`,
        sourceRepos: [...reg.sourceRepos].sort(),
        destinations: [...reg.projectDestinations]
          .sort((a, b) =>
            `${a.name}/${a.namespace}`.localeCompare(
              `${b.name}/${b.namespace}`,
            ),
          )
          .map(d => ({ name: d.name, namespace: d.namespace })),
        clusterResourceWhitelist: [],
        namespaceResourceBlacklist: [
          { group: '', kind: 'ResourceQuota' },
          { group: '', kind: 'LimitRange' },
          { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
        ],
      },
    }),
    `AppProject ${reg.project}`,
  );
}

/**
 * The Application, linked back to its entity by annotation and labels.
 *
 * @public
 */
export function applicationManifest(reg: ArgoCdRegistration): ArgoCdObject {
  const { automated, prune, selfHeal } = reg.syncPolicy;
  return validated(
    new Application({
      metadata: {
        name: reg.appName,
        namespace: reg.argoNamespace,
        labels: {
          'app.kubernetes.io/managed-by': 'paved',
          'paved.dev/owner': refLabel(reg.ownerRef),
          'paved.dev/entity': refLabel(reg.entityRef),
        },
        annotations: {
          [ANNOTATION_ENTITY_REF]: reg.entityRef,
          [ANNOTATION_OWNER_REF]: reg.ownerRef,
        },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: reg.project,
        source: {
          repoURL: reg.repoUrl,
          path: reg.path,
          targetRevision: reg.targetRevision,
          ...(reg.valueFiles.length
            ? { helm: { valueFiles: reg.valueFiles } }
            : {}),
        },
        destination: reg.destination,
        syncPolicy: {
          ...(automated ? { automated: { prune, selfHeal } } : {}),
          syncOptions: ['CreateNamespace=false', 'ServerSideApply=true'],
        },
      },
    }),
    `Application ${reg.appName}`,
  );
}
