import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import {
  ANNOTATION_ENTITY_REF,
  ANNOTATION_OWNER_REF,
  isDnsLabel,
  isDnsSubdomain,
  isSafeRelativePath,
} from '@paved/plugin-paved-common';
import { parse, stringify } from 'yaml';
import type { GitOpsWriter } from '../git/GitOpsWriter';
import type { ChangeResult } from '../git/types';
import type { ClusterRegistry } from '../kubernetes/ClusterRegistry';
import {
  appProjectManifest,
  applicationManifest,
  type ArgoCdRegistration,
  type SyncPolicy,
} from '../lib/argocd/manifests';
import { ManifestError } from '../lib/namespace/manifests';
import type { ArgoCdClients, ArgoCdObject } from './ArgoCdClient';

/** What a template asks for. @public */
export interface ArgoCdRegistrationRequest {
  /** The Component being deployed (`component:default/orders` or `orders`). */
  entityRef: string;
  /** The owning Group: the AppProject is the team's. */
  owner: string;
  repoUrl: string;
  /** Helm chart folder in the repository. */
  path?: string;
  /** Values files, relative to the chart folder. */
  valueFiles?: string[];
  targetRevision?: string;
  cluster: string;
  namespace: string;
  instance?: string;
  appName?: string;
  project?: string;
  syncPolicy?: Partial<SyncPolicy>;
}

/** A validated registration: the two objects and where they go. @public */
export interface ArgoCdPlan {
  instance: string;
  appName: string;
  project: string;
  entityRef: string;
  ownerRef: string;
  application: ArgoCdObject;
  appProject: ArgoCdObject;
  /** UI link of the application. */
  url: string;
}

/** What happened to an object. @public */
export type ArgoCdChange = 'created' | 'updated' | 'unchanged';

/** Whether every field `desired` sets has the same value in `actual` (Argo CD fills in defaults we do not set). */
export function isSubset(desired: unknown, actual: unknown): boolean {
  if (Array.isArray(desired)) {
    return (
      Array.isArray(actual) &&
      desired.length === actual.length &&
      desired.every((d, i) => isSubset(d, actual[i]))
    );
  }
  if (desired && typeof desired === 'object') {
    return (
      !!actual &&
      typeof actual === 'object' &&
      Object.entries(desired).every(([k, v]) =>
        isSubset(v, (actual as Record<string, unknown>)[k]),
      )
    );
  }
  return desired === actual;
}

function unionBy<T>(items: T[], key: (t: T) => string): T[] {
  return [...new Map(items.map(i => [key(i), i])).values()];
}

/**
 * Registers a Component's Argo CD Application and its team's AppProject on a named instance, through the API
 * (create or update, idempotently) or as files in the GitOps repository. Objects another entity or team owns are a
 * ConflictError, found before anything is written.
 * @public
 */
export class ArgoCdRegistrar {
  constructor(
    private readonly deps: {
      argocd: ArgoCdClients;
      clusters: ClusterRegistry;
      gitops: GitOpsWriter;
      /** Defaults for the sync policy (`paved.argocd.syncPolicy`). */
      syncPolicy: SyncPolicy;
      /** Destination namespaces: reserved names and who owns each (shared with namespace provisioning). */
      namespaces: {
        reservedBy(name: string): string | undefined;
        namespaceRecords(
          cluster: string,
          name: string,
        ): Promise<Array<{ where: string; owner: string | undefined }>>;
      };
      /** `paved.argocd.sharedNamespaces`: namespaces outside Paved's ownership any team may deploy into. */
      sharedNamespaces?: string[];
    },
  ) {}

  /**
   * Refuses an Application whose destination namespace is not its owner's: ConflictError when anything that knows the
   * namespace (the cluster, the GitOps repository, the namespace's open pull request) records another owner or none,
   * InputError when nothing knows it (provision it first). Shared namespaces from config are allowed. Reads only.
   */
  async checkDestination(plan: ArgoCdPlan): Promise<void> {
    const destination = (plan.application.spec as any).destination as {
      name: string;
      namespace: string;
    };
    const { name: cluster, namespace } = destination;
    if ((this.deps.sharedNamespaces ?? []).includes(namespace)) return;
    const records = await this.deps.namespaces.namespaceRecords(
      cluster,
      namespace,
    );
    const owner = fullGroupRef(plan.ownerRef);
    const foreign = records.find(
      r => !r.owner || fullGroupRef(r.owner) !== owner,
    );
    if (foreign) {
      throw new ConflictError(
        `Namespace ${namespace} on ${foreign.where} belongs to ${
          foreign.owner ?? 'someone outside Paved'
        }, not ${owner}: an Application may only deploy into its owner's namespaces`,
      );
    }
    if (!records.length) {
      throw new InputError(
        `Namespace ${namespace} does not exist on ${cluster} and no pull request provisions it: run paved:namespace:provision for ${owner} first (or list it in paved.argocd.sharedNamespaces)`,
      );
    }
  }

  /** Validates everything (no network) and builds both objects; one InputError lists every problem. */
  plan(request: ArgoCdRegistrationRequest): ArgoCdPlan {
    const problems: string[] = [];
    const ref = (value: string, kind: string) => {
      try {
        const parsed = parseEntityRef(value, {
          defaultKind: kind,
          defaultNamespace: 'default',
        });
        if (parsed.kind.toLocaleLowerCase('en-US') !== kind) {
          problems.push(`${value} is not a ${kind}`);
          return undefined;
        }
        return parsed;
      } catch (error) {
        problems.push(
          `"${value}" is not an entity ref: ${(error as Error).message}`,
        );
        return undefined;
      }
    };
    const entity = ref(request.entityRef, 'component');
    const owner = ref(request.owner, 'group');
    let instance: ReturnType<ArgoCdClients['get']> | undefined;
    try {
      instance = this.deps.argocd.get(request.instance);
    } catch (error) {
      problems.push((error as Error).message);
    }
    try {
      this.deps.clusters.get(request.cluster);
    } catch (error) {
      problems.push((error as Error).message);
    }
    const reserved = this.deps.namespaces.reservedBy(request.namespace);
    if (
      reserved &&
      !(this.deps.sharedNamespaces ?? []).includes(request.namespace)
    )
      problems.push(
        `namespace "${request.namespace}" is reserved (${reserved}): no team's Application may deploy into it`,
      );
    if (!isDnsLabel(request.namespace))
      problems.push(
        `namespace "${request.namespace}" is not an RFC 1123 label`,
      );
    const appName = request.appName ?? entity?.name.toLocaleLowerCase('en-US');
    if (
      appName !== undefined &&
      (!isDnsSubdomain(appName) || appName.length > 63)
    )
      problems.push(
        `application name "${appName}" must be a DNS name of at most 63 characters`,
      );
    const project = request.project ?? owner?.name.toLocaleLowerCase('en-US');
    if (
      project !== undefined &&
      (!isDnsSubdomain(project) || project === 'default')
    )
      problems.push(
        `project "${project}" must be a DNS name other than "default"`,
      );
    let repo: URL | undefined;
    try {
      repo = new URL(request.repoUrl);
      if (
        !['https:', 'http:'].includes(repo.protocol) ||
        repo.pathname.split('/').filter(Boolean).length < 2
      )
        throw new Error('not a repository URL');
    } catch {
      problems.push(
        `repoUrl "${request.repoUrl}" is not an http(s) repository URL like https://github.com/acme/orders`,
      );
      repo = undefined;
    }
    const path = request.path ?? 'chart';
    if (!isSafeRelativePath(path))
      problems.push(
        `path "${path}" must be a relative path inside the repository`,
      );
    for (const file of request.valueFiles ?? []) {
      if (!isSafeRelativePath(file))
        problems.push(
          `values file "${file}" must be a relative path inside the chart`,
        );
    }
    const targetRevision = request.targetRevision ?? 'HEAD';
    if (
      !/^[\w./-]{1,255}$/.test(targetRevision) ||
      targetRevision.includes('..')
    )
      problems.push(
        `targetRevision "${targetRevision}" is not a branch, tag or commit`,
      );

    let registration: ArgoCdRegistration | undefined;
    if (
      !problems.length &&
      entity &&
      owner &&
      instance &&
      repo &&
      appName &&
      project
    ) {
      const [org, name] = repo.pathname.split('/').filter(Boolean);
      registration = {
        appName,
        entityRef: stringifyEntityRef(entity),
        ownerRef: stringifyEntityRef(owner),
        project,
        argoNamespace: instance.config.namespace,
        repoUrl: `${repo.origin}/${org}/${name.replace(/\.git$/, '')}`,
        path,
        valueFiles: request.valueFiles ?? [],
        targetRevision,
        destination: { name: request.cluster, namespace: request.namespace },
        syncPolicy: { ...this.deps.syncPolicy, ...request.syncPolicy },
        sourceRepos: [`${repo.origin}/${org}/*`],
        projectDestinations: [
          { name: request.cluster, namespace: request.namespace },
        ],
      };
    }
    let objects:
      | { application: ArgoCdObject; appProject: ArgoCdObject }
      | undefined;
    if (registration) {
      try {
        objects = {
          application: applicationManifest(registration),
          appProject: appProjectManifest(registration),
        };
      } catch (error) {
        if (error instanceof ManifestError) problems.push(error.message);
        else throw error;
      }
    }
    if (problems.length || !registration || !objects || !instance) {
      throw new InputError(
        `Cannot register ${request.entityRef} with Argo CD: ${problems.join(
          '; ',
        )}`,
      );
    }
    return {
      instance: instance.config.name,
      appName: registration.appName,
      project: registration.project,
      entityRef: registration.entityRef,
      ownerRef: registration.ownerRef,
      ...objects,
      url: instance.applicationUrl(registration.appName),
    };
  }

  /** The AppProject to write: ours merged with what the existing one already allows. */
  private mergeProject(
    plan: ArgoCdPlan,
    existing?: ArgoCdObject,
  ): ArgoCdObject {
    if (!existing) return plan.appProject;
    const owner = existing.metadata.annotations?.[ANNOTATION_OWNER_REF];
    if (owner !== plan.ownerRef) {
      throw new ConflictError(
        `Argo CD project ${plan.project} on ${plan.instance} belongs to ${
          owner ?? 'someone outside Paved'
        }, not ${plan.ownerRef}`,
      );
    }
    const spec = plan.appProject.spec;
    return {
      ...plan.appProject,
      spec: {
        ...spec,
        sourceRepos: unionBy<string>(
          [...(existing.spec.sourceRepos ?? []), ...spec.sourceRepos],
          r => r,
        ).sort(),
        destinations: unionBy<{ name: string; namespace: string }>(
          [...(existing.spec.destinations ?? []), ...spec.destinations],
          d => `${d.name}/${d.namespace}`,
        ).sort((a, b) =>
          `${a.name}/${a.namespace}`.localeCompare(`${b.name}/${b.namespace}`),
        ),
      },
    };
  }

  private checkApplication(plan: ArgoCdPlan, existing?: ArgoCdObject) {
    const entity = existing?.metadata.annotations?.[ANNOTATION_ENTITY_REF];
    if (existing && entity !== plan.entityRef) {
      throw new ConflictError(
        `Argo CD application ${plan.appName} on ${plan.instance} belongs to ${
          entity ?? 'someone outside Paved'
        }, not ${plan.entityRef}`,
      );
    }
  }

  /** API mode: both objects checked first, then the project and the application created or updated. */
  async registerApi(
    plan: ArgoCdPlan,
  ): Promise<{ project: ArgoCdChange; application: ArgoCdChange }> {
    const argocd = this.deps.argocd.get(plan.instance);
    const [existingProject, existingApp] = await Promise.all([
      argocd.getProject(plan.project),
      argocd.getApplication(plan.appName),
    ]);
    const project = this.mergeProject(plan, existingProject);
    this.checkApplication(plan, existingApp);

    let projectChange: ArgoCdChange = 'unchanged';
    if (!existingProject) {
      await argocd.createProject(project);
      projectChange = 'created';
    } else if (
      !isSubset(project.spec, existingProject.spec) ||
      !isSubset(project.metadata.labels, existingProject.metadata.labels)
    ) {
      await argocd.updateProject({
        ...project,
        metadata: { ...existingProject.metadata, ...project.metadata },
      });
      projectChange = 'updated';
    }

    let applicationChange: ArgoCdChange = 'unchanged';
    if (!existingApp) {
      await argocd.createApplication(plan.application);
      applicationChange = 'created';
    } else if (
      !isSubset(plan.application.spec, existingApp.spec) ||
      !isSubset(plan.application.metadata.labels, existingApp.metadata.labels)
    ) {
      await argocd.updateApplication({
        ...plan.application,
        metadata: {
          ...existingApp.metadata,
          ...plan.application.metadata,
          labels: {
            ...existingApp.metadata.labels,
            ...plan.application.metadata.labels,
          },
          annotations: {
            ...existingApp.metadata.annotations,
            ...plan.application.metadata.annotations,
          },
        },
      });
      applicationChange = 'updated';
    }
    return { project: projectChange, application: applicationChange };
  }

  private files(plan: ArgoCdPlan) {
    return {
      project: `argocd/${plan.instance}/projects/${plan.project}.yaml`,
      application: `argocd/${plan.instance}/applications/${plan.appName}.yaml`,
    };
  }

  /** GitOps mode: the files the repository would get, ownership checked against what its base branch holds. */
  async gitopsFiles(
    plan: ArgoCdPlan,
  ): Promise<Array<{ path: string; content: string }>> {
    const paths = this.files(plan);
    const [projectText, appText] = await Promise.all([
      this.deps.gitops.read(paths.project),
      this.deps.gitops.read(paths.application),
    ]);
    const project = this.mergeProject(
      plan,
      projectText === undefined
        ? undefined
        : (parse(projectText) as ArgoCdObject),
    );
    this.checkApplication(
      plan,
      appText === undefined ? undefined : (parse(appText) as ArgoCdObject),
    );
    const header = `# Managed by Paved (paved:argocd:register) for ${plan.ownerRef}; change it through a pull request.\n`;
    return [
      { path: paths.project, content: header + stringify(project) },
      {
        path: paths.application,
        content: header + stringify(plan.application),
      },
    ];
  }

  /** Commits the files as one pull request (refreshed on re-runs) or one commit. */
  writeGitOps(
    plan: ArgoCdPlan,
    files: Array<{ path: string; content: string }>,
  ): Promise<ChangeResult> {
    return this.deps.gitops.write({
      files,
      branch: `paved/argocd/${plan.instance}/${plan.appName}`,
      message: `feat(argocd): ${plan.appName} on ${plan.instance} for ${plan.entityRef}`,
      title: `Argo CD application ${plan.appName} on ${plan.instance}`,
      body: [
        'Registered by Paved (`paved:argocd:register`).',
        '',
        `- Component: \`${plan.entityRef}\``,
        `- Project: \`${plan.project}\` (owner \`${plan.ownerRef}\`)`,
        `- Destination: \`${plan.application.spec.destination.name}\` / \`${plan.application.spec.destination.namespace}\``,
        `- Source: ${plan.application.spec.source.repoURL} \`${plan.application.spec.source.path}\` at \`${plan.application.spec.source.targetRevision}\``,
        `- UI: ${plan.url}`,
      ].join('\n'),
    });
  }
}

function fullGroupRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');
}
