import { parse } from 'yaml';
import type { Handler } from './http';
import { json } from './http';
import type { RepoStore } from './github/repos';
import { git } from './github/repos';
import type { ObjectStore } from './kubernetes/store';
import { seedWorkload } from './kubernetes/workloads';
import type { SandboxSeed } from './seed';

interface ArgoInstance {
  apps: Map<string, any>;
  projects: Map<string, any>;
  problemWithApp(app: any): string | undefined;
  putApp(app: any, existing?: any): any;
  putProject(project: any, existing?: any): any;
}

/**
 * What the sandbox's Argo CD would do with an app-of-apps over the GitOps repository: every few seconds it reads
 * `argocd/<instance>/{projects,applications}/*.yaml` on the default branch of `<org>/gitops`, creates or updates those
 * projects and applications, and for each automated application puts a running workload (Deployment, ReplicaSet,
 * Pods) for its Component into the destination cluster. Charts are not rendered: the workload is synthetic, named
 * after the Application's `paved.dev/entity-ref`.
 */
export class GitOpsSync {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private lastCommit?: string;

  constructor(
    private readonly options: {
      seed: SandboxSeed;
      repos: RepoStore;
      argocd: Map<string, ArgoInstance>;
      clusters: Map<string, ObjectStore>;
      /** Services deployed here, appended to as they are; New Relic reports them (as their agents would). */
      deployed?: SandboxSeed['services'];
      intervalMs?: number;
    },
  ) {}

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
    if (!head || (!force && head === this.lastCommit)) return 0;
    this.lastCommit = head;
    const files = (
      await git(dir, ['ls-tree', '-r', '--name-only', head, 'argocd'])
    )
      .split('\n')
      .filter(f =>
        /^argocd\/[^/]+\/(projects|applications)\/[^/]+\.ya?ml$/.test(f),
      );
    let applied = 0;
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
        if (object.spec.syncPolicy?.automated) applied += this.deploy(object);
      }
    }
    return applied;
  }

  /** A running workload for an automated application's Component, in its destination. */
  private deploy(app: any): number {
    const store = this.options.clusters.get(app.spec.destination?.name);
    const entityRef: string | undefined =
      app.metadata.annotations?.['paved.dev/entity-ref'];
    const namespace: string | undefined = app.spec.destination?.namespace;
    if (!store || !entityRef || !namespace) return 0;
    const name = entityRef.split('/').pop()!;
    const owner: string =
      app.metadata.annotations?.['paved.dev/owner-ref'] ??
      'group:default/unknown';
    const { seed, deployed } = this.options;
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
    return 1;
  }
}
