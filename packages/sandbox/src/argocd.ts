import { createHash, randomBytes } from 'node:crypto';
import {
  AppProject,
  Application,
} from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { serveArgoCdPage } from './argocdPages';
import type { Handler, SandboxRequest, SandboxResponse } from './http';
import { json } from './http';
import { apiVersionOf, RESOURCE_TYPES } from './kubernetes/resources';
import type { ObjectStore } from './kubernetes/store';
import { DNS_SUBDOMAIN } from './kubernetes/validate';
import type { SandboxSeed } from './seed';

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, any> & { name: string };
  spec: Record<string, any>;
  status?: Record<string, any>;
};

/** Argo CD's error body: gRPC code, and the message twice (`error` and `message`), with the mapped HTTP status. */
function grpcError(status: number, code: number, message: string) {
  return json(status, { error: message, code, message });
}
const invalid = (m: string) => grpcError(400, 3, m);
const notFound = (what: string, name: string) =>
  grpcError(404, 5, `${what} "${name}" not found`);

/** Glob match as Argo CD's project rules use it (`*` anything, as gobwas/glob without separators). */
function glob(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const re = pattern
    .split('*')
    .map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}$`).test(value);
}

/** Argo CD's globMatch with negation: `!pattern` matches what `pattern` does not. */
function matchOrDeny(pattern: string | undefined, value: string): boolean {
  const p = pattern ?? '';
  return p.startsWith('!') ? !glob(p.slice(1), value) : glob(p, value);
}

const isDeny = (pattern: string | undefined) => (pattern ?? '').startsWith('!');

/** Applications and AppProjects are Kubernetes objects: their names are RFC 1123 subdomains. */
export function nameProblem(kind: string, name: string): string | undefined {
  if (name.length <= 253 && DNS_SUBDOMAIN.test(name)) return undefined;
  return `${kind}.argoproj.io "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
}

/** The in-cluster destination every Argo CD has unless it is disabled: the cluster Argo CD itself runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** A cluster registered with an Argo CD instance: its name and API server URL, and the seeded cluster it is. */
export interface RegisteredCluster {
  name: string;
  server: string;
  /** The seeded cluster (and object store) behind it. */
  cluster: string;
}

function validate(
  model: { validate(): void },
  what: string,
): string | undefined {
  try {
    model.validate();
    return undefined;
  } catch (error) {
    return `${what} is invalid: ${(error as Error).message}`;
  }
}

const sameSpec = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

/** One Argo CD instance: projects, applications, sessions. State lives in memory. */
class Instance {
  readonly apps = new Map<string, Obj>();
  readonly projects = new Map<string, Obj>();
  readonly sessions = new Set<string>();
  /** Applications whose source the sandbox renders (GitOpsSync sets it): their status comes from the real sync. */
  rendersSource: (app: Obj) => boolean = () => false;
  private version = 1;

  constructor(
    readonly seed: SandboxSeed['argocd']['instances'][number],
    /** The clusters registered with the instance (their URLs are known once the sandbox listens). */
    private readonly registry: () => RegisteredCluster[],
  ) {
    this.projects.set('default', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'default', namespace: 'argocd', resourceVersion: '1' },
      spec: {
        sourceRepos: ['*'],
        destinations: [{ server: '*', namespace: '*' }],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    });
  }

  get clusters(): RegisteredCluster[] {
    return this.registry();
  }

  authorized(req: SandboxRequest): boolean {
    const auth = String(req.headers.authorization ?? '');
    const cookie = /argocd\.token=([^;]+)/.exec(
      String(req.headers.cookie ?? ''),
    )?.[1];
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : cookie;
    return !!token && (token === this.seed.token || this.sessions.has(token));
  }

  private stamp(obj: Obj, existing?: Obj): Obj {
    return {
      ...obj,
      metadata: {
        ...obj.metadata,
        namespace: obj.metadata.namespace ?? 'argocd',
        uid: existing?.metadata.uid ?? randomBytes(8).toString('hex'),
        creationTimestamp:
          existing?.metadata.creationTimestamp ?? new Date().toISOString(),
        resourceVersion: String(++this.version),
      },
    };
  }

  /** The seeded cluster an application's destination names (by name or by server URL), as Argo CD resolves it. */
  destinationCluster(dest: {
    name?: string;
    server?: string;
  }): RegisteredCluster | undefined {
    if (dest.name) return this.clusters.find(c => c.name === dest.name);
    if (dest.server)
      return this.clusters.find(
        c => c.server.replace(/\/$/, '') === dest.server!.replace(/\/$/, ''),
      );
    return undefined;
  }

  /**
   * The checks the real server makes on create/update (Argo CD's ValidateDestination, then ValidatePermissions with
   * validate=true), with its messages: names, destination (name or server, registered clusters), project rules.
   */
  problemWithApp(
    app: Obj,
    options: { permissions?: boolean } = {},
  ): string | undefined {
    const name = app.metadata.name;
    const named = nameProblem('Application', name);
    if (named) return named;
    const modelProblem = validate(
      new Application(app as any),
      `application ${name}`,
    );
    if (modelProblem) return modelProblem;
    const dest = app.spec.destination ?? {};
    if (dest.name && dest.server)
      return `application destination spec for ${name} is invalid: application destination can't have both name and server defined: ${dest.name} ${dest.server}`;
    if (dest.name && !this.destinationCluster(dest))
      return `application destination spec for ${name} is invalid: unable to find destination server: there are no clusters with this name: ${dest.name}`;
    const project = this.projects.get(app.spec.project);
    if (!project)
      return `application references project ${app.spec.project} which does not exist`;
    if (options.permissions === false) return undefined;

    const conditions: string[] = [];
    const source = app.spec.source ?? {};
    if (!source.repoURL || (!source.path && !source.chart))
      conditions.push(
        'spec.source.repoURL and either spec.source.path or spec.source.chart are required',
      );
    else if (!sourcePermitted(project, source.repoURL))
      conditions.push(
        `application repo ${source.repoURL} is not permitted in project '${app.spec.project}'`,
      );
    // The server a named destination resolves to takes part in the project's rules, as Argo CD infers it.
    const server = dest.server ?? this.destinationCluster(dest)?.server;
    if (!server) {
      conditions.push('Destination server missing from app spec');
    } else {
      if (!destinationPermitted(project, { ...dest, server }))
        conditions.push(
          `application destination server '${server}' and namespace '${
            dest.namespace ?? ''
          }' do not match any of the allowed destinations in project '${
            app.spec.project
          }'`,
        );
      if (!this.destinationCluster({ server }))
        conditions.push(`cluster '${server}' has not been configured`);
    }
    if (!conditions.length) return undefined;
    return `application spec for ${name} is invalid: ${conditions
      .map(c => `InvalidSpecError: ${c}`)
      .join(';')}`;
  }

  /** An automated sync policy syncs at once, as the controller would within seconds. */
  private reconcile(app: Obj): Obj {
    const revision = createHash('sha1')
      .update(JSON.stringify(app.spec.source))
      .digest('hex');
    const automated = !!app.spec.syncPolicy?.automated;
    const history = app.status?.history ?? [];
    const now = new Date().toISOString();
    if (automated && this.rendersSource(app)) {
      // The controller has not synced this source yet: GitOpsSync renders it and records the outcome.
      return {
        ...app,
        status: {
          ...app.status,
          sync: { status: 'OutOfSync' },
          health: { status: 'Progressing' },
          operationState: {
            phase: 'Running',
            message: 'waiting for the sync of the chart',
            startedAt: now,
          },
          history,
          reconciledAt: now,
        },
      };
    }
    return {
      ...app,
      status: automated
        ? {
            sync: { status: 'Synced', revision },
            health: { status: 'Healthy' },
            operationState: {
              phase: 'Succeeded',
              message: 'successfully synced (all tasks run)',
              startedAt: now,
              finishedAt: now,
              syncResult: { revision },
            },
            history: history.some(
              (h: { revision: string }) => h.revision === revision,
            )
              ? history
              : [
                  ...history,
                  {
                    id: history.length,
                    revision,
                    deployedAt: now,
                    source: app.spec.source,
                  },
                ].slice(-10),
            reconciledAt: now,
          }
        : {
            sync: { status: 'OutOfSync', revision },
            health: { status: 'Missing' },
            history,
            reconciledAt: now,
          },
    };
  }

  putApp(app: Obj, existing?: Obj): Obj {
    // Status (history above all) belongs to the server: what a client sends is ignored, what was there is kept.
    const stored = this.reconcile({
      ...this.stamp(app, existing),
      status: existing?.status,
    });
    this.apps.set(app.metadata.name, stored);
    return stored;
  }

  putProject(project: Obj, existing?: Obj): Obj {
    const stored = this.stamp(project, existing);
    this.projects.set(project.metadata.name, stored);
    return stored;
  }

  /**
   * What the application controller found when it synced an application from its source: the revision and the
   * objects applied (Synced, health from the workloads), or the error that stopped it (a ComparisonError such as a
   * chart Helm cannot render, or objects the cluster refused): OutOfSync/Unknown with Argo CD's message, nothing
   * applied.
   */
  recordSync(
    name: string,
    outcome:
      | { ok: true; revision: string; healthy: boolean }
      | { ok: false; revision?: string; message: string },
  ): void {
    const app = this.apps.get(name);
    if (!app) return;
    const now = new Date().toISOString();
    const history = app.status?.history ?? [];
    if (outcome.ok) {
      const deployed = history.some(
        (h: { revision: string }) => h.revision === outcome.revision,
      );
      app.status = {
        ...app.status,
        sync: { status: 'Synced', revision: outcome.revision },
        health: outcome.healthy
          ? { status: 'Healthy' }
          : { status: 'Progressing' },
        conditions: undefined,
        operationState: {
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          startedAt: now,
          finishedAt: now,
          syncResult: { revision: outcome.revision },
        },
        history: deployed
          ? history
          : [
              ...history,
              {
                id: history.length,
                revision: outcome.revision,
                deployedAt: now,
                source: app.spec.source,
              },
            ].slice(-10),
        reconciledAt: now,
      };
    } else {
      app.status = {
        ...app.status,
        sync: {
          status: outcome.revision ? 'OutOfSync' : 'Unknown',
          ...(outcome.revision ? { revision: outcome.revision } : {}),
        },
        health: { status: 'Missing' },
        conditions: [
          {
            type: 'ComparisonError',
            message: outcome.message,
            lastTransitionTime: now,
          },
        ],
        operationState: {
          phase: 'Failed',
          message: outcome.message,
          startedAt: now,
          finishedAt: now,
        },
        history,
        reconciledAt: now,
      };
    }
    app.metadata.resourceVersion = String(++this.version);
  }

  sync(app: Obj): Obj {
    const synced = this.reconcile({
      ...app,
      spec: {
        ...app.spec,
        syncPolicy: { ...app.spec.syncPolicy, automated: {} },
      },
    });
    const stored = { ...synced, spec: app.spec };
    this.apps.set(app.metadata.name, stored);
    return stored;
  }
}

/** Argo CD's IsSourcePermitted: glob patterns (with `!` denials) over the normalised repository URL. */
function sourcePermitted(project: Obj, repoURL: string): boolean {
  const normal = (u: string) =>
    u
      .toLowerCase()
      .replace(/\.git$/, '')
      .replace(/\/$/, '');
  let any = false;
  for (const pattern of project.spec.sourceRepos ?? []) {
    const p = isDeny(pattern)
      ? `!${normal(pattern.slice(1))}`
      : normal(pattern);
    const matched = matchOrDeny(p, normal(repoURL));
    if (matched) any = true;
    else if (isDeny(p)) return false;
  }
  return any;
}

/**
 * Argo CD's isDestinationMatched: an entry matches when its server or its name matches (and the namespace does);
 * any deny entry that does not match refuses.
 */
function destinationPermitted(
  project: Obj,
  dest: { name?: string; server?: string; namespace?: string },
): boolean {
  let any = false;
  let noDeny = true;
  for (const item of project.spec.destinations ?? []) {
    const nameMatched = !!dest.name && matchOrDeny(item.name, dest.name);
    const serverMatched =
      !!dest.server && matchOrDeny(item.server, dest.server);
    const namespaceMatched = matchOrDeny(item.namespace, dest.namespace ?? '');
    if ((serverMatched || nameMatched) && namespaceMatched) any = true;
    else if (
      (!nameMatched && isDeny(item.name)) ||
      (!serverMatched && isDeny(item.server)) ||
      (!namespaceMatched && isDeny(item.namespace))
    )
      noDeny = false;
  }
  return any && noDeny;
}

function body(req: SandboxRequest): any {
  try {
    return JSON.parse(req.body.toString('utf8') || '{}');
  } catch {
    return undefined;
  }
}

/**
 * The live objects of an application, as Argo CD's resource tree lists them: the Component's Deployment, ReplicaSets
 * and Pods in the destination, with parent references and health from their status.
 */
function resourceTree(
  inst: Instance,
  app: Obj,
  clusters?: Map<string, ObjectStore>,
) {
  const store = clusters?.get(
    inst.destinationCluster(app.spec.destination ?? {})?.cluster ?? '',
  );
  const namespace = app.spec.destination?.namespace;
  const component =
    app.metadata.labels?.['backstage.io/kubernetes-id'] ??
    app.metadata.annotations?.['paved.dev/entity-ref']?.split('/').pop();
  if (!store || !namespace || !component) return [];
  const healthOf = (o: any) => {
    if (o.kind === 'Pod') {
      const waiting = o.status?.containerStatuses?.find(
        (c: any) => c.state?.waiting,
      )?.state.waiting;
      return waiting
        ? { status: 'Degraded', message: waiting.reason }
        : { status: 'Healthy' };
    }
    const ready = o.status?.readyReplicas ?? 0;
    return ready >= (o.spec?.replicas ?? 0)
      ? { status: 'Healthy' }
      : {
          status: 'Degraded',
          message: `${ready}/${o.spec?.replicas} replicas ready`,
        };
  };
  const node = (o: any) => {
    const [group, version] = o.apiVersion.includes('/')
      ? o.apiVersion.split('/')
      : ['', o.apiVersion];
    return {
      group,
      version,
      kind: o.kind,
      namespace,
      name: o.metadata.name,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      health: healthOf(o),
      parentRefs: (o.metadata.ownerReferences ?? []).map((r: any) => ({
        group: 'apps',
        kind: r.kind,
        namespace,
        name: r.name,
        uid: r.uid,
      })),
      createdAt: o.metadata.creationTimestamp,
    };
  };
  // Objects Argo CD tracks for the application (its instance label, set on what it applied from the chart), or, for a
  // synthetic workload, the Component's Deployment; with their ReplicaSets and Pods.
  const tracked = (o: any) =>
    o.metadata.labels?.['app.kubernetes.io/instance'] === app.metadata.name ||
    (o.kind === 'Deployment' &&
      o.metadata.labels?.['app.kubernetes.io/name'] === component);
  const top = RESOURCE_TYPES.filter(
    t => t.namespaced && !['Pod', 'ReplicaSet'].includes(t.kind),
  ).flatMap(t =>
    store.list(apiVersionOf(t), t.kind, namespace).filter(tracked),
  );
  const uids = new Set(top.map(o => o.metadata.uid));
  const replicaSets = store
    .list('apps/v1', 'ReplicaSet', namespace)
    .filter(o => o.metadata.ownerReferences?.some((r: any) => uids.has(r.uid)));
  for (const rs of replicaSets) uids.add(rs.metadata.uid);
  const pods = store
    .list('v1', 'Pod', namespace)
    .filter(o => o.metadata.ownerReferences?.some((r: any) => uids.has(r.uid)));
  return [...top, ...replicaSets, ...pods].map(node);
}

function applications(
  inst: Instance,
  req: SandboxRequest,
  rest: string,
  clusters?: Map<string, ObjectStore>,
): SandboxResponse | undefined {
  const flag = (name: string) => req.url.searchParams.get(name) === 'true';
  if (rest === 'applications' && req.method === 'GET') {
    const selector = req.url.searchParams.get('selector');
    const items = [...inst.apps.values()].filter(
      a =>
        !selector ||
        selector.split(',').every(term => {
          const [k, v] = term.split('=');
          return a.metadata.labels?.[k] === v;
        }),
    );
    return json(200, { metadata: { resourceVersion: '1' }, items });
  }
  if (rest === 'applications' && req.method === 'POST') {
    const app = body(req);
    if (!app?.metadata?.name) return invalid('application name is required');
    // validate defaults to true on the real server; only an explicit validate=false skips the project rules (the
    // destination is always resolved).
    const problem = inst.problemWithApp(app, {
      permissions: req.url.searchParams.get('validate') !== 'false',
    });
    if (problem) return invalid(problem);
    const existing = inst.apps.get(app.metadata.name);
    if (existing) {
      if (sameSpec(existing.spec, app.spec)) return json(200, existing);
      if (!flag('upsert'))
        return invalid(
          `existing application spec is different, use upsert flag to force update`,
        );
    }
    return json(200, inst.putApp(app, existing));
  }
  const m = /^applications\/([^/]+)(?:\/(resource-tree|sync))?$/.exec(rest);
  if (!m) return undefined;
  const name = decodeURIComponent(m[1]);
  const existing = inst.apps.get(name);
  if (!existing) return notFound('applications.argoproj.io', name);
  if (!m[2] && req.method === 'GET') return json(200, existing);
  if (!m[2] && req.method === 'PUT') {
    const app = body(req);
    if (!app?.metadata?.name || app.metadata.name !== name)
      return invalid('application name in body must match the path');
    const problem = inst.problemWithApp(app);
    if (problem) return invalid(problem);
    return json(200, inst.putApp(app, existing));
  }
  if (!m[2] && req.method === 'DELETE') {
    inst.apps.delete(name);
    return json(200, {});
  }
  if (m[2] === 'resource-tree' && req.method === 'GET')
    return json(200, {
      nodes: resourceTree(inst, existing, clusters),
      hosts: [],
    });
  if (m[2] === 'sync' && req.method === 'POST')
    return json(200, inst.sync(existing));
  return undefined;
}

function projects(
  inst: Instance,
  req: SandboxRequest,
  rest: string,
): SandboxResponse | undefined {
  if (rest === 'projects' && req.method === 'GET')
    return json(200, { metadata: {}, items: [...inst.projects.values()] });
  if (rest === 'projects' && req.method === 'POST') {
    const b = body(req);
    const project = b?.project;
    if (!project?.metadata?.name) return invalid('project name is required');
    const named = nameProblem('AppProject', project.metadata.name);
    if (named) return invalid(named);
    const problem = validate(
      new AppProject(project),
      `project ${project.metadata.name}`,
    );
    if (problem) return invalid(problem);
    const existing = inst.projects.get(project.metadata.name);
    if (existing) {
      if (sameSpec(existing.spec, project.spec)) return json(200, existing);
      if (!b.upsert)
        return invalid(
          'existing project spec is different, use upsert flag to force update',
        );
    }
    return json(200, inst.putProject(project, existing));
  }
  const m = /^projects\/([^/]+)$/.exec(rest);
  if (!m) return undefined;
  const name = decodeURIComponent(m[1]);
  const existing = inst.projects.get(name);
  if (!existing) return notFound('appprojects.argoproj.io', name);
  if (req.method === 'GET') return json(200, existing);
  if (req.method === 'PUT') {
    const project = body(req)?.project;
    if (!project?.metadata?.name || project.metadata.name !== name)
      return invalid('project name in body must match the path');
    const problem = validate(new AppProject(project), `project ${name}`);
    if (problem) return invalid(problem);
    return json(200, inst.putProject(project, existing));
  }
  if (req.method === 'DELETE') {
    if ([...inst.apps.values()].some(a => a.spec.project === name))
      return grpcError(400, 9, `project is referenced by applications`);
    inst.projects.delete(name);
    return json(200, {});
  }
  return undefined;
}

/** Deterministic revision of a service's n-th release. */
const revision = (name: string, n: number) =>
  createHash('sha1').update(`${name}@${n}`).digest('hex');

/**
 * The example catalog's services as applications on the first instance, one per service and cluster
 * (`<service>-<cluster>`, labelled `backstage.io/kubernetes-id=<service>`), each team with its project, with sync,
 * health, operation and three releases of history matching the seeded workloads.
 */
function seedServices(inst: Instance, seed: SandboxSeed) {
  for (const team of new Set(seed.services.map(s => s.team))) {
    const services = seed.services.filter(s => s.team === team);
    inst.putProject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: {
        name: team,
        namespace: 'argocd',
        annotations: { 'paved.dev/owner-ref': `group:default/${team}` },
      },
      spec: {
        sourceRepos: [`https://github.com/${seed.github.org}/*`],
        destinations: services.flatMap(s =>
          Object.keys(s.clusters).map(name => ({
            name,
            namespace: s.namespace,
          })),
        ),
        clusterResourceWhitelist: [],
      },
    });
  }
  for (const service of seed.services) {
    for (const [cluster, health] of Object.entries(service.clusters)) {
      const name = `${service.name}-${cluster}`;
      const source = {
        repoURL: `https://github.com/${seed.github.org}/${service.name}`,
        path: 'chart',
        targetRevision: 'main',
      };
      const history = [1, 2, 3].map(n => ({
        id: n - 1,
        revision: revision(service.name, n),
        deployedAt: new Date(Date.UTC(2026, 10, 18 + n, 9, 30)).toISOString(),
        source,
      }));
      const current = history[history.length - 1];
      inst.apps.set(name, {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name,
          namespace: 'argocd',
          labels: { 'backstage.io/kubernetes-id': service.name },
          annotations: {
            'paved.dev/entity-ref': `component:default/${service.name}`,
          },
          resourceVersion: '1',
        },
        spec: {
          project: service.team,
          source,
          destination: { name: cluster, namespace: service.namespace },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
        status: {
          sync: {
            status: health === 'down' ? 'OutOfSync' : 'Synced',
            revision: current.revision,
          },
          health: {
            status: {
              healthy: 'Healthy',
              degraded: 'Degraded',
              down: 'Missing',
            }[health],
          },
          operationState: {
            phase: health === 'down' ? 'Failed' : 'Succeeded',
            message:
              health === 'down'
                ? `one or more objects failed to apply: Deployment ${service.name} is not ready (ImagePullBackOff)`
                : 'successfully synced (all tasks run)',
            startedAt: current.deployedAt,
            finishedAt: current.deployedAt,
            syncResult: { revision: current.revision },
          },
          history,
          reconciledAt: current.deployedAt,
        },
      });
    }
  }
}

/**
 * Argo CD's REST API per instance at `/argocd/<instance>`: session login and bearer tokens, applications
 * (create with upsert/validate semantics, get, update, delete, resource-tree, sync) and projects, objects validated
 * with `@kubernetes-models/argo-cd`, errors as `{ error, code, message }` with gRPC codes. Applications with an
 * automated sync policy report Synced/Healthy at once.
 */
export function argoCdStandIn(
  seed: SandboxSeed,
  clusters?: Map<string, ObjectStore>,
  /** The API server URL of a seeded cluster, as EKS reports it (Argo CD registers clusters by it). */
  serverOf: (cluster: string) => string = name =>
    `https://${name}.eks.sandbox.invalid`,
): {
  handler: Handler;
  instances: Map<string, Instance>;
} {
  const instances = new Map(
    seed.argocd.instances.map(i => {
      // Every seeded cluster is registered by its name and its EKS endpoint; `in-cluster` is the cluster the
      // instance runs in, when the seed says which (Argo CD registers it unless in-cluster is disabled).
      const registered = (): RegisteredCluster[] => [
        ...(i.inCluster
          ? [
              {
                name: 'in-cluster',
                server: IN_CLUSTER_SERVER,
                cluster: i.inCluster,
              },
            ]
          : []),
        ...seed.clusters.map(c => ({
          name: c.name,
          server: serverOf(c.name),
          cluster: c.name,
        })),
      ];
      return [i.name, new Instance(i, registered)] as const;
    }),
  );
  const first = instances.values().next().value;
  if (first) seedServices(first, seed);
  const handler: Handler = req => {
    const m = /^\/argocd\/([^/]+)\/api\/v1\/(.+)$/.exec(req.url.pathname);
    if (!m)
      return serveArgoCdPage(req, instances, (inst, app) =>
        resourceTree(inst as Instance, app as Obj, clusters),
      );
    const inst = instances.get(m[1]);
    if (!inst) return notFound('argocd instance', m[1]);
    const rest = m[2];
    if (rest === 'session' && req.method === 'POST') {
      const b = body(req);
      if (
        b?.username !== inst.seed.username ||
        b?.password !== inst.seed.password
      )
        return grpcError(401, 16, 'Invalid username or password');
      const token = `sandbox-session-${randomBytes(12).toString('hex')}`;
      inst.sessions.add(token);
      return json(200, { token });
    }
    if (!inst.authorized(req))
      return grpcError(401, 16, 'invalid session: token is missing or invalid');
    if (rest === 'clusters' && req.method === 'GET') {
      // Argo CD's ClusterList (v1alpha1.ClusterList): credentials are never returned.
      return json(200, {
        metadata: {},
        items: inst.clusters.map(c => ({
          server: c.server,
          name: c.name,
          config: { tlsClientConfig: { insecure: false } },
          connectionState: { status: 'Successful', message: '' },
          info: {
            connectionState: { status: 'Successful', message: '' },
            serverVersion: '1.31',
            applicationsCount: [...inst.apps.values()].filter(
              a => inst.destinationCluster(a.spec.destination ?? {}) === c,
            ).length,
          },
        })),
      });
    }
    return (
      applications(inst, req, rest, clusters) ??
      projects(inst, req, rest) ??
      grpcError(404, 5, `Not Found: ${rest}`)
    );
  };
  return { handler, instances };
}
