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
import type { ChangeResult, OpenPullRequest } from '../git/types';
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
  /** Values files, relative to the chart folder; `\{cluster\}` stands for each Application's cluster (`values-{cluster}.yaml`). */
  valueFiles?: string[];
  targetRevision?: string;
  /** Destination clusters: one Application each, named `<appName>-<cluster>`. */
  clusters?: string[];
  /** One destination cluster, its Application named `<appName>` (the single-cluster form; give this or `clusters`). */
  cluster?: string;
  namespace: string;
  instance?: string;
  /** Application name (one cluster) or its stem (several); default the entity name. */
  appName?: string;
  project?: string;
  syncPolicy?: Partial<SyncPolicy>;
}

/** One Application of a plan. @public */
export interface ArgoCdAppPlan {
  cluster: string;
  appName: string;
  application: ArgoCdObject;
  /** UI link of the application. */
  url: string;
}

/** A validated registration: the team's AppProject and one Application per cluster, and where they go. @public */
export interface ArgoCdPlan {
  instance: string;
  project: string;
  entityRef: string;
  ownerRef: string;
  namespace: string;
  appProject: ArgoCdObject;
  applications: ArgoCdAppPlan[];
}

/** What a GitOps registration writes: its own pull request's files, and the team's other open ones brought in step. @public */
export interface ArgoCdGitOpsChange {
  branch: string;
  files: Array<{ path: string; content: string | null }>;
  /** Destinations the project gets from the team's other open pull requests, to name them in the body. */
  fromSiblings: Array<{ destination: string; pull: string }>;
  /** The team's other open Paved pull requests whose project file must become the same as ours. */
  siblings: Array<{
    pull: OpenPullRequest;
    files: Array<{ path: string; content: string | null }>;
  }>;
}

/** What happened to an object. @public */
export type ArgoCdChange = 'created' | 'updated' | 'unchanged';

/**
 * Whether every field `desired` sets has the same value in `actual` (Argo CD fills in defaults we do not set).
 *
 * @public
 */
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

type Destination = { name: string; namespace: string };

const destinationKey = (d: Destination) => `${d.name}/${d.namespace}`;

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
   * InputError when nothing knows it (provision it first). Shared namespaces from config are allowed. Reads only;
   * every cluster of the plan is checked.
   */
  async checkDestination(plan: ArgoCdPlan): Promise<void> {
    const { namespace } = plan;
    if ((this.deps.sharedNamespaces ?? []).includes(namespace)) return;
    const owner = fullGroupRef(plan.ownerRef);
    const unknown: string[] = [];
    for (const { cluster } of plan.applications) {
      const records = await this.deps.namespaces.namespaceRecords(
        cluster,
        namespace,
      );
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
      if (!records.length) unknown.push(cluster);
    }
    if (unknown.length) {
      throw new InputError(
        `Namespace ${namespace} does not exist on ${unknown.join(
          ', ',
        )} and no pull request provisions it: run paved:namespace:provision for ${owner} first (or list it in paved.argocd.sharedNamespaces)`,
      );
    }
  }

  /** Validates everything (no network) and builds every object; one InputError lists every problem. */
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
    // `clusters` names each Application `<stem>-<cluster>`; the single `cluster` form keeps the name as given.
    const several = request.clusters !== undefined;
    const clusters =
      request.clusters ?? (request.cluster ? [request.cluster] : []);
    if (request.clusters !== undefined && request.cluster !== undefined)
      problems.push('give clusters or cluster, not both');
    if (!clusters.length)
      problems.push('clusters must name at least one cluster');
    if (new Set(clusters).size !== clusters.length)
      problems.push(`clusters ${clusters.join(', ')} name a cluster twice`);
    for (const cluster of clusters) {
      try {
        this.deps.clusters.get(cluster);
      } catch (error) {
        problems.push((error as Error).message);
      }
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
    const stem = request.appName ?? entity?.name.toLocaleLowerCase('en-US');
    const appNames =
      stem === undefined
        ? []
        : clusters.map(c => (several ? `${stem}-${c}` : stem));
    for (const appName of appNames) {
      if (!isDnsSubdomain(appName) || appName.length > 63)
        problems.push(
          `application name "${appName}" must be a DNS name of at most 63 characters`,
        );
    }
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

    let plan: ArgoCdPlan | undefined;
    if (!problems.length && entity && owner && instance && repo && project) {
      const [org, name] = repo.pathname.split('/').filter(Boolean);
      const registration = (
        cluster: string,
        appName: string,
      ): ArgoCdRegistration => ({
        appName,
        entityRef: stringifyEntityRef(entity),
        ownerRef: stringifyEntityRef(owner),
        project,
        argoNamespace: instance!.config.namespace,
        repoUrl: `${repo!.origin}/${org}/${name.replace(/\.git$/, '')}`,
        path,
        valueFiles: (request.valueFiles ?? []).map(f =>
          f.replaceAll('{cluster}', cluster),
        ),
        targetRevision,
        destination: { name: cluster, namespace: request.namespace },
        syncPolicy: { ...this.deps.syncPolicy, ...request.syncPolicy },
        sourceRepos: [`${repo!.origin}/${org}/*`],
        projectDestinations: clusters.map(c => ({
          name: c,
          namespace: request.namespace,
        })),
      });
      try {
        const registrations = clusters.map((c, i) =>
          registration(c, appNames[i]),
        );
        plan = {
          instance: instance.config.name,
          project,
          entityRef: registrations[0].entityRef,
          ownerRef: registrations[0].ownerRef,
          namespace: request.namespace,
          appProject: appProjectManifest(registrations[0]),
          applications: registrations.map(r => ({
            cluster: r.destination.name,
            appName: r.appName,
            application: applicationManifest(r),
            url: instance!.applicationUrl(r.appName),
          })),
        };
      } catch (error) {
        if (error instanceof ManifestError) problems.push(error.message);
        else throw error;
      }
    }
    if (problems.length || !plan) {
      throw new InputError(
        `Cannot register ${request.entityRef} with Argo CD: ${problems.join(
          '; ',
        )}`,
      );
    }
    return plan;
  }

  /** The AppProject to write: ours merged with what the existing one (and the team's open pull requests) allow. */
  private mergeProject(
    plan: ArgoCdPlan,
    existing?: ArgoCdObject,
    more: { destinations: Destination[]; sourceRepos: string[] } = {
      destinations: [],
      sourceRepos: [],
    },
  ): ArgoCdObject {
    if (existing) {
      const owner = existing.metadata.annotations?.[ANNOTATION_OWNER_REF];
      if (owner !== plan.ownerRef) {
        throw new ConflictError(
          `Argo CD project ${plan.project} on ${plan.instance} belongs to ${
            owner ?? 'someone outside Paved'
          }, not ${plan.ownerRef}`,
        );
      }
    }
    const spec = plan.appProject.spec;
    return {
      ...plan.appProject,
      spec: {
        ...spec,
        sourceRepos: unionBy<string>(
          [
            ...(existing?.spec.sourceRepos ?? []),
            ...spec.sourceRepos,
            ...more.sourceRepos,
          ],
          r => r,
        ).sort(),
        destinations: unionBy<Destination>(
          [
            ...(existing?.spec.destinations ?? []),
            ...spec.destinations,
            ...more.destinations,
          ],
          destinationKey,
        )
          .map(d => ({ name: d.name, namespace: d.namespace }))
          .sort((a, b) => destinationKey(a).localeCompare(destinationKey(b))),
      },
    };
  }

  private checkApplication(
    plan: ArgoCdPlan,
    appName: string,
    existing?: ArgoCdObject,
  ) {
    const entity = existing?.metadata.annotations?.[ANNOTATION_ENTITY_REF];
    if (existing && entity !== plan.entityRef) {
      throw new ConflictError(
        `Argo CD application ${appName} on ${plan.instance} belongs to ${
          entity ?? 'someone outside Paved'
        }, not ${plan.entityRef}`,
      );
    }
  }

  /**
   * Read only, for a pre-flight check: what already exists and belongs to someone else, on the Argo CD instance and
   * in the GitOps repository's base branch (each application, and the team's project). One sentence per finding;
   * empty when the registration can go ahead. An instance that cannot be read throws.
   */
  async conflicts(plan: ArgoCdPlan): Promise<string[]> {
    const { gitops } = this.deps;
    const argocd = this.deps.argocd.get(plan.instance);
    const read = async (file: string) => {
      if (!gitops.configured) return undefined;
      const text = await gitops.read(file);
      return text === undefined ? undefined : (parse(text) as ArgoCdObject);
    };
    const [liveProject, fileProject, ...apps] = await Promise.all([
      argocd.getProject(plan.project),
      read(this.projectFile(plan)),
      ...plan.applications.flatMap(a => [
        argocd.getApplication(a.appName),
        read(this.applicationFile(plan, a.appName)),
      ]),
    ]);
    const problems: string[] = [];
    const refused = (check: () => void, where: string) => {
      try {
        check();
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        problems.push(`${error.message} (${where})`);
      }
    };
    refused(() => this.mergeProject(plan, liveProject), 'Argo CD');
    refused(() => this.mergeProject(plan, fileProject), 'GitOps repository');
    plan.applications.forEach((a, i) => {
      refused(
        () => this.checkApplication(plan, a.appName, apps[2 * i]),
        'Argo CD',
      );
      refused(
        () => this.checkApplication(plan, a.appName, apps[2 * i + 1]),
        'GitOps repository',
      );
    });
    return problems;
  }

  /** API mode: every object checked first, then the project and each application created or updated. */
  async registerApi(plan: ArgoCdPlan): Promise<{
    project: ArgoCdChange;
    applications: Record<string, ArgoCdChange>;
  }> {
    const argocd = this.deps.argocd.get(plan.instance);
    const [existingProject, ...existingApps] = await Promise.all([
      argocd.getProject(plan.project),
      ...plan.applications.map(a => argocd.getApplication(a.appName)),
    ]);
    const project = this.mergeProject(plan, existingProject);
    plan.applications.forEach((a, i) =>
      this.checkApplication(plan, a.appName, existingApps[i]),
    );

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

    const applications: Record<string, ArgoCdChange> = {};
    for (const [i, { appName, application }] of plan.applications.entries()) {
      const existingApp = existingApps[i];
      applications[appName] = 'unchanged';
      if (!existingApp) {
        await argocd.createApplication(application);
        applications[appName] = 'created';
      } else if (
        !isSubset(application.spec, existingApp.spec) ||
        !isSubset(application.metadata.labels, existingApp.metadata.labels)
      ) {
        await argocd.updateApplication({
          ...application,
          metadata: {
            ...existingApp.metadata,
            ...application.metadata,
            labels: {
              ...existingApp.metadata.labels,
              ...application.metadata.labels,
            },
            annotations: {
              ...existingApp.metadata.annotations,
              ...application.metadata.annotations,
            },
          },
        });
        applications[appName] = 'updated';
      }
    }
    return { project: projectChange, applications };
  }

  private projectFile(plan: ArgoCdPlan) {
    return `argocd/${plan.instance}/projects/${plan.project}.yaml`;
  }

  private applicationFile(plan: ArgoCdPlan, appName: string) {
    return `argocd/${plan.instance}/applications/${appName}.yaml`;
  }

  /** Head branches of the team's Paved pull requests on an instance; one per entity. */
  private branchPrefix(plan: ArgoCdPlan) {
    return `paved/argocd/${plan.instance}/${plan.project}/`;
  }

  /** The branch of an entity's pull request: `paved/argocd/<instance>/<project>/<entity>`. */
  branchOf(plan: ArgoCdPlan): string {
    const { namespace, name } = parseEntityRef(plan.entityRef);
    const entity = (
      namespace === 'default' ? name : `${namespace}.${name}`
    ).toLocaleLowerCase('en-US');
    return `${this.branchPrefix(plan)}${entity}`;
  }

  /**
   * GitOps mode, read only: what to write. Ownership is checked against the base branch. In pull-request mode the
   * team's other open Paved pull requests on the instance are read too: the AppProject becomes the union of the base,
   * ours and theirs, and each of theirs whose project differs is rebuilt on the current base with that same project,
   * so every open pull request carries one identical project file and they merge cleanly in any order. A destination
   * taken from another pull request comes from a Paved Application of the same team there, never from its project
   * file's word alone.
   */
  async gitopsChange(plan: ArgoCdPlan): Promise<ArgoCdGitOpsChange> {
    const { gitops } = this.deps;
    const branch = this.branchOf(plan);
    const projectPath = this.projectFile(plan);
    const appPaths = plan.applications.map(a =>
      this.applicationFile(plan, a.appName),
    );
    const [projectText, open, ...appTexts] = await Promise.all([
      gitops.read(projectPath),
      gitops.openChanges(this.branchPrefix(plan)),
      ...appPaths.map(p => gitops.read(p)),
    ]);
    plan.applications.forEach((a, i) =>
      this.checkApplication(
        plan,
        a.appName,
        appTexts[i] === undefined
          ? undefined
          : (parse(appTexts[i]!) as ArgoCdObject),
      ),
    );
    const pulls = await Promise.all(
      open.map(async pull => ({ pull, files: await gitops.changeFiles(pull) })),
    );
    const own = pulls.find(p => p.pull.branch === branch);
    const others = pulls.filter(p => p.pull.branch !== branch);

    const fromSiblings: ArgoCdGitOpsChange['fromSiblings'] = [];
    const more = {
      destinations: [] as Destination[],
      sourceRepos: [] as string[],
    };
    for (const { pull, files } of pulls) {
      for (const app of this.teamApplications(plan, files)) {
        const destination = app.spec.destination as Destination;
        more.destinations.push(destination);
        const repo = new URL(app.spec.source.repoURL);
        more.sourceRepos.push(
          `${repo.origin}/${repo.pathname.split('/').filter(Boolean)[0]}/*`,
        );
        if (pull.branch !== branch)
          fromSiblings.push({
            destination: destinationKey(destination),
            pull: pull.url,
          });
      }
    }
    const project = this.mergeProject(
      plan,
      projectText === undefined
        ? undefined
        : (parse(projectText) as ArgoCdObject),
      more,
    );
    const header = `# Managed by Paved (paved:argocd:register) for ${plan.ownerRef}; change it through a pull request.\n`;
    const projectContent = header + stringify(project);
    const ours = new Map<string, string | null>(
      // A re-run keeps what its open pull request already holds (e.g. the Application of a cluster registered by an
      // earlier step), then writes its own files over it.
      (own?.files ?? []).map(f => [f.path, f.content]),
    );
    ours.set(projectPath, projectContent);
    plan.applications.forEach((a, i) =>
      ours.set(appPaths[i], header + stringify(a.application)),
    );
    return {
      branch,
      files: [...ours].map(([path, content]) => ({ path, content })),
      fromSiblings: unionBy(fromSiblings, f => `${f.destination} ${f.pull}`),
      siblings: others
        .filter(({ files }) =>
          files.some(
            f => f.path === projectPath && f.content !== projectContent,
          ),
        )
        .map(({ pull, files }) => ({
          pull,
          files: files.map(f =>
            f.path === projectPath ? { ...f, content: projectContent } : f,
          ),
        })),
    };
  }

  /** Paved Applications of the plan's team and project among a pull request's files. */
  private teamApplications(
    plan: ArgoCdPlan,
    files: Array<{ path: string; content: string | null }>,
  ): ArgoCdObject[] {
    const folder = `argocd/${plan.instance}/applications/`;
    const found: ArgoCdObject[] = [];
    for (const f of files) {
      if (!f.path.startsWith(folder) || f.content === null) continue;
      let app: ArgoCdObject | undefined;
      try {
        app = parse(f.content) as ArgoCdObject;
      } catch {
        continue;
      }
      const destination = (app?.spec as any)?.destination;
      if (
        app?.kind === 'Application' &&
        app.metadata?.annotations?.[ANNOTATION_OWNER_REF] === plan.ownerRef &&
        app.spec?.project === plan.project &&
        typeof destination?.name === 'string' &&
        typeof destination?.namespace === 'string' &&
        isDnsLabel(destination.namespace) &&
        !this.deps.namespaces.reservedBy(destination.namespace) &&
        typeof app.spec?.source?.repoURL === 'string' &&
        URL.canParse(app.spec.source.repoURL)
      )
        found.push(app);
    }
    return found;
  }

  /**
   * Commits our files as one pull request (refreshed on re-runs) or one commit, then rebuilds each of the team's other
   * open pull requests whose project file differs on the current base, keeping everything else it changes.
   */
  async writeGitOps(
    plan: ArgoCdPlan,
    change: ArgoCdGitOpsChange,
  ): Promise<{ result: ChangeResult; rebuilt: string[] }> {
    const destinations = plan.applications
      .map(a => `\`${a.cluster}\` / \`${plan.namespace}\` (${a.appName})`)
      .join(', ');
    const source = plan.applications[0].application.spec.source;
    const result = await this.deps.gitops.write({
      files: change.files,
      branch: change.branch,
      message: `feat(argocd): ${plan.applications
        .map(a => a.appName)
        .join(', ')} on ${plan.instance} for ${plan.entityRef}`,
      title: `Argo CD: ${plan.entityRef} on ${plan.applications
        .map(a => a.cluster)
        .join(', ')} (${plan.instance})`,
      body: [
        'Registered by Paved (`paved:argocd:register`).',
        '',
        `- Component: \`${plan.entityRef}\``,
        `- Project: \`${plan.project}\` (owner \`${plan.ownerRef}\`)`,
        `- Destinations: ${destinations}`,
        `- Source: ${source.repoURL} \`${source.path}\` at \`${source.targetRevision}\``,
        ...plan.applications.map(a => `- ${a.appName}: ${a.url}`),
        ...(change.fromSiblings.length
          ? [
              '',
              `The project also allows the destinations of ${plan.project}'s other open pull requests, so that they all carry the same project and merge in any order:`,
              ...change.fromSiblings.map(
                s => `- \`${s.destination}\` (${s.pull})`,
              ),
            ]
          : []),
      ].join('\n'),
    });
    const rebuilt: string[] = [];
    for (const sibling of change.siblings) {
      await this.deps.gitops.write({
        files: sibling.files,
        branch: sibling.pull.branch,
        message: `${sibling.pull.title}\n\nRebuilt by Paved on the current base so that project ${plan.project} matches ${change.branch}.`,
        title: sibling.pull.title,
        body: sibling.pull.body,
      });
      rebuilt.push(sibling.pull.url);
    }
    return { result, rebuilt };
  }
}

function fullGroupRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');
}
