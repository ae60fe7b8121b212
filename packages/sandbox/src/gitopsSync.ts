import { parse, parseAllDocuments } from 'yaml';
import type { Handler } from './http';
import { json } from './http';
import type { RepoStore } from './github/repos';
import { git } from './github/repos';
import type { ObjectStore } from './kubernetes/store';
import { renderHelmSource, sandboxRepository } from './helmSource';
import {
  apiVersionOf,
  RESOURCE_TYPES,
  type ResourceType,
} from './kubernetes/resources';
import { validationProblems } from './kubernetes/validate';
import {
  collectGarbage,
  runDeployment,
  seedWorkload,
} from './kubernetes/workloads';
import type { SandboxSeed } from './seed';

interface ArgoInstance {
  apps: Map<string, any>;
  projects: Map<string, any>;
  problemWithApp(app: any): string | undefined;
  /** The registered cluster an application's destination resolves to, by name or server. */
  destinationCluster(dest: {
    name?: string;
    server?: string;
  }): { cluster: string } | undefined;
  putApp(app: any, existing?: any): any;
  putProject(project: any, existing?: any): any;
  rendersSource: (app: any) => boolean;
  recordSync(
    name: string,
    outcome:
      | { ok: true; revision: string; healthy: boolean }
      | { ok: false; revision?: string; message: string },
  ): void;
}

/**
 * Argo CD's dry run before a sync: each object's resource type on the cluster and what the API server would refuse
 * (an unknown kind, a schema or naming problem), in the API server's wording.
 */
function dryRun(objects: any[]): {
  typed: Array<{ object: any; type: ResourceType }>;
  problems: string[];
} {
  const problems: string[] = [];
  const typed: Array<{ object: any; type: ResourceType }> = [];
  for (const o of objects) {
    const type = RESOURCE_TYPES.find(
      t => apiVersionOf(t) === o.apiVersion && t.kind === o.kind,
    );
    if (!type) {
      problems.push(
        `the server could not find the requested resource (${o.kind} in version "${o.apiVersion}")`,
      );
      continue;
    }
    for (const p of validationProblems(o, o.kind, o.apiVersion))
      problems.push(`${o.kind} "${o.metadata?.name}" is invalid: ${p}`);
    typed.push({ object: o, type });
  }
  return { typed, problems };
}

/**
 * What the sandbox's Argo CD would do with an app-of-apps over the GitOps repository: every few seconds it reads
 * `argocd/<instance>/{projects,applications}/*.yaml` on the default branch of `<org>/gitops`, creates or updates those
 * projects and applications, and syncs each automated application into its destination cluster. An application
 * whose repository the sandbox's GitHub holds is rendered as Argo CD's repo server would — the chart at its revision
 * through real `helm template` with its value files — and every object is validated (the sandbox API server's
 * schemas) before any is applied; a chart Helm cannot render or an object the cluster refuses is a failed sync with
 * Argo CD's message and nothing applied. Deployments then get ReplicaSets and running Pods. A source the sandbox
 * cannot reach (github.com) gets a synthetic workload named after the Application's `paved.dev/entity-ref`. The
 * sources are polled too: a new commit to a service's chart is synced without a GitOps change.
 */
export class GitOpsSync {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private lastCommit?: string;
  /** Per `<instance>/<app>`: the source revision last synced, so a new commit to the chart is synced again. */
  private synced = new Map<string, string>();

  constructor(
    private readonly options: {
      seed: SandboxSeed;
      repos: RepoStore;
      /** Hosts the sandbox's GitHub answers at: only Applications whose repoURL names one of them are rendered. */
      hosts: () => string[];
      argocd: Map<string, ArgoInstance>;
      clusters: Map<string, ObjectStore>;
      /** Services deployed here, appended to as they are; New Relic reports them (as their agents would). */
      deployed?: SandboxSeed['services'];
      intervalMs?: number;
    },
  ) {
    for (const instance of options.argocd.values()) {
      instance.rendersSource = app =>
        !!sandboxRepository(app.spec?.source?.repoURL, options);
    }
  }

  start(): void {
    this.timer = setInterval(() => {
      this.run().catch(() => undefined);
    }, this.options.intervalMs ?? 2_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** `POST /__sandbox/gitops/sync`: reconcile now; answers how many objects were applied. */
  readonly control: Handler = async req => {
    if (req.url.pathname !== '/__sandbox/gitops/sync') return undefined;
    if (req.method !== 'POST') return json(405, { message: 'POST only' });
    return json(200, { applied: await this.run(true) });
  };

  /** One reconciliation; concurrent calls share it. Returns the number of objects applied. */
  run(force = false): Promise<number> {
    this.running ??= this.reconcile(force).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async reconcile(force: boolean): Promise<number> {
    const { seed, repos } = this.options;
    const org = seed.github.org;
    if (!repos.exists(org, 'gitops')) return 0;
    const dir = repos.dir(org, 'gitops');
    const head = await repos.resolve(dir, 'HEAD');
    if (!head) return 0;
    if (!force && head === this.lastCommit) return this.refreshSources();
    this.lastCommit = head;
    const files = (
      await git(dir, ['ls-tree', '-r', '--name-only', head, 'argocd'])
    )
      .split('\n')
      .filter(f =>
        /^argocd\/[^/]+\/(projects|applications)\/[^/]+\.ya?ml$/.test(f),
      );
    let applied = await this.applyNamespaces(dir, head);
    // Projects before applications: an application is validated against its project.
    for (const kind of ['projects', 'applications']) {
      for (const file of files.filter(f => f.split('/')[2] === kind)) {
        const instance = this.options.argocd.get(file.split('/')[1]);
        if (!instance) continue;
        let object: any;
        try {
          object = parse(await git(dir, ['show', `${head}:${file}`]));
        } catch {
          continue; // a broken file is skipped, as Argo CD reports it and moves on
        }
        if (!object?.metadata?.name || !object.spec) continue;
        if (kind === 'projects') {
          const existing = instance.projects.get(object.metadata.name);
          if (JSON.stringify(existing?.spec) !== JSON.stringify(object.spec)) {
            instance.putProject(object, existing);
            applied++;
          }
          continue;
        }
        if (instance.problemWithApp(object)) continue;
        const existing = instance.apps.get(object.metadata.name);
        if (JSON.stringify(existing?.spec) !== JSON.stringify(object.spec)) {
          instance.putApp(object, existing);
          applied++;
        }
        if (object.spec.syncPolicy?.automated)
          applied += await this.deploy(file.split('/')[1], object);
      }
    }
    return applied;
  }

  /**
   * The platform's namespaces application: `clusters/<cluster>/namespaces/*.yaml` (what paved:namespace:provision
   * writes in GitOps mode: Namespace, ResourceQuota, LimitRange, NetworkPolicies, RBAC) applied to each cluster, each
   * file's objects validated first and applied together or not at all.
   */
  private async applyNamespaces(dir: string, head: string): Promise<number> {
    const files = (
      await git(dir, ['ls-tree', '-r', '--name-only', head, 'clusters'])
    )
      .split('\n')
      .filter(f => /^clusters\/[^/]+\/namespaces\/[^/]+\.ya?ml$/.test(f));
    let applied = 0;
    for (const file of files) {
      const store = this.options.clusters.get(file.split('/')[1]);
      if (!store) continue;
      let objects: any[];
      try {
        objects = parseAllDocuments(await git(dir, ['show', `${head}:${file}`]))
          .map(d => d.toJS())
          .filter(o => o?.kind);
      } catch {
        continue; // a broken file is skipped, as Argo CD reports it and moves on
      }
      const { typed, problems } = dryRun(objects);
      if (problems.length) continue;
      for (const { object, type } of typed) {
        store.apply(object, 'argocd-controller', {
          namespaced: type.namespaced,
          force: true,
        });
        applied++;
      }
    }
    return applied;
  }

  /** Automated applications whose chart repository has a new commit since their last sync are synced again. */
  private async refreshSources(): Promise<number> {
    let applied = 0;
    for (const [instanceName, instance] of this.options.argocd) {
      for (const app of instance.apps.values()) {
        if (!app.spec?.syncPolicy?.automated) continue;
        const repo = sandboxRepository(app.spec.source?.repoURL, this.options);
        if (!repo) continue;
        const key = `${instanceName}/${app.metadata.name}`;
        const revision = await this.options.repos.resolve(
          this.options.repos.dir(repo.owner, repo.name),
          app.spec.source?.targetRevision &&
            app.spec.source.targetRevision !== 'HEAD'
            ? app.spec.source.targetRevision
            : 'HEAD',
        );
        if (revision && this.synced.get(key) !== revision)
          applied += await this.deploy(instanceName, app);
      }
    }
    return applied;
  }

  /** Syncs an automated application into its destination: its chart's objects, or a synthetic workload. */
  private async deploy(instanceName: string, app: any): Promise<number> {
    if (!sandboxRepository(app.spec.source?.repoURL, this.options))
      return this.deploySynthetic(instanceName, app);
    const instance = this.options.argocd.get(instanceName)!;
    const store = this.options.clusters.get(
      instance.destinationCluster(app.spec.destination ?? {})?.cluster ?? '',
    );
    const key = `${instanceName}/${app.metadata.name}`;
    const rendered = await renderHelmSource(app, this.options);
    if (rendered.revision) this.synced.set(key, rendered.revision);
    if (!rendered.ok) {
      instance.recordSync(app.metadata.name, rendered);
      return 0;
    }
    if (!store) {
      instance.recordSync(app.metadata.name, {
        ok: false,
        revision: rendered.revision,
        message: `cluster '${
          app.spec.destination?.server ?? app.spec.destination?.name
        }' has not been configured`,
      });
      return 0;
    }
    // Every object is checked before any is applied, so a refused object leaves the cluster as it was.
    const { typed, problems } = dryRun(rendered.objects);
    if (problems.length) {
      instance.recordSync(app.metadata.name, {
        ok: false,
        revision: rendered.revision,
        message: `one or more objects failed to apply, reason: ${problems.join(
          '; ',
        )}`,
      });
      return 0;
    }
    const namespace: string = app.spec.destination.namespace;
    const owned = (o: any) =>
      o.metadata.labels?.['app.kubernetes.io/instance'] === app.metadata.name;
    const keep = new Set(
      typed.map(
        t =>
          `${t.object.apiVersion}/${t.object.kind}/${t.object.metadata.name}`,
      ),
    );
    const applied = typed.map(
      ({ object, type }) =>
        store.apply(object, 'argocd-controller', {
          namespaced: type.namespaced,
          force: true,
        }).object,
    );
    for (const deployment of applied.filter(o => o?.kind === 'Deployment')) {
      // An HPA that targets the Deployment sets its replicas (at least minReplicas) when the chart leaves them out.
      const hpa = applied.find(
        o =>
          o?.kind === 'HorizontalPodAutoscaler' &&
          o.spec?.scaleTargetRef?.kind === 'Deployment' &&
          o.spec.scaleTargetRef.name === deployment.metadata.name,
      );
      let running = deployment;
      if (hpa && deployment.spec.replicas === undefined) {
        // The autoscaler writes the replicas through the scale subresource (its own field manager).
        running = store.apply(
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: {
              name: deployment.metadata.name,
              namespace: deployment.metadata.namespace,
            },
            spec: { replicas: hpa.spec.minReplicas ?? 1 },
          },
          'horizontal-pod-autoscaler',
          { namespaced: true, force: true },
        ).object;
      }
      runDeployment(store, running, 'healthy');
      if (hpa) {
        const current = running.spec.replicas;
        store.setStatus(
          'autoscaling/v2',
          'HorizontalPodAutoscaler',
          namespace,
          hpa.metadata.name,
          { currentReplicas: current, desiredReplicas: current },
        );
      }
    }
    // Automated prune: what this application applied before and its chart no longer renders.
    if (app.spec.syncPolicy?.automated?.prune) {
      for (const t of RESOURCE_TYPES.filter(
        r => r.namespaced && !['Pod', 'ReplicaSet'].includes(r.kind),
      )) {
        const apiVersion = apiVersionOf(t);
        for (const o of store.list(apiVersion, t.kind, namespace)) {
          if (
            owned(o) &&
            !keep.has(`${apiVersion}/${t.kind}/${o.metadata.name}`)
          )
            store.delete(apiVersion, t.kind, namespace, o.metadata.name);
        }
      }
      collectGarbage(store, namespace);
    }
    instance.recordSync(app.metadata.name, {
      ok: true,
      revision: rendered.revision,
      healthy: true,
    });
    this.reportToNewRelic(app);
    return typed.length;
  }

  /** A running workload for an automated application's Component, in its destination. */
  private deploySynthetic(instanceName: string, app: any): number {
    const store = this.options.clusters.get(
      this.options.argocd
        .get(instanceName)
        ?.destinationCluster(app.spec.destination ?? {})?.cluster ?? '',
    );
    const entityRef: string | undefined =
      app.metadata.annotations?.['paved.dev/entity-ref'];
    const namespace: string | undefined = app.spec.destination?.namespace;
    if (!store || !entityRef || !namespace) return 0;
    const name = entityRef.split('/').pop()!;
    const owner: string =
      app.metadata.annotations?.['paved.dev/owner-ref'] ??
      'group:default/unknown';
    const service: SandboxSeed['services'][number] = {
      name,
      team: owner.split('/').pop()!,
      namespace,
      image: `${app.spec.source?.repoURL?.replace(/^https?:\/\//, '')}:${
        app.spec.source?.targetRevision ?? 'HEAD'
      }`.toLowerCase(),
      replicas: 2,
      clusters: { [app.spec.destination.name]: 'healthy' },
      newrelicGuid: '',
    };
    seedWorkload(store, service, 'healthy');
    this.reportToNewRelic(app, service);
    return 1;
  }

  /** New Relic hears from a deployed service, as its agent would once running. */
  private reportToNewRelic(
    app: any,
    service: SandboxSeed['services'][number] = {
      name: String(
        app.metadata.annotations?.['paved.dev/entity-ref'] ?? app.metadata.name,
      )
        .split('/')
        .pop()!,
      team: String(
        app.metadata.annotations?.['paved.dev/owner-ref'] ?? 'unknown',
      )
        .split('/')
        .pop()!,
      namespace: app.spec.destination?.namespace,
      image: '',
      replicas: 2,
      clusters: { [app.spec.destination?.name]: 'healthy' },
      newrelicGuid: '',
    },
  ): void {
    const { seed, deployed } = this.options;
    const name = service.name;
    if (deployed && !seed.services.some(s => s.name === name)) {
      const known = deployed.find(s => s.name === name);
      if (known) Object.assign(known.clusters, service.clusters);
      else
        deployed.push({
          ...service,
          // As New Relic encodes them: base64 of `<account>|APM|APPLICATION|<id>`.
          newrelicGuid: Buffer.from(
            `${seed.newrelic.accountId}|APM|APPLICATION|${
              2001 + deployed.length
            }`,
          ).toString('base64'),
        });
    }
  }
}
