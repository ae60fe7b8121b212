import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_NAMESPACE,
  type PendingChange,
} from '@paved/plugin-paved-common';
import type { GitOpsWriter, OpenPullRequest } from '@paved/plugin-paved-node';

const CACHE_KEY = 'pending:paved-pull-requests';

/**
 * The open GitOps pull requests Paved opened for an entity, found by the branch names Paved writes: the namespace it
 * runs in (`paved/namespace/<namespace>`) and its Argo CD applications (`paved/argocd/<instance>/<project>/<entity>`).
 * One listing of the GitOps repository's open `paved/` pull requests serves every entity and is cached.
 */
export class PendingChanges {
  private inFlight?: Promise<OpenPullRequest[]>;

  constructor(
    private readonly deps: {
      gitops: GitOpsWriter;
      cache: CacheService;
      logger: LoggerService;
      ttlMs: number;
    },
  ) {}

  get configured(): boolean {
    return this.deps.gitops.configured;
  }

  async of(entity: Entity): Promise<PendingChange[]> {
    const pulls = await this.openPulls();
    const name = entity.metadata.name.toLocaleLowerCase('en-US');
    const namespace = entity.metadata.namespace ?? 'default';
    const stem = namespace === 'default' ? name : `${namespace}.${name}`;
    const kubernetesNamespace =
      entity.metadata.annotations?.[ANNOTATION_KUBERNETES_NAMESPACE];
    const changes: PendingChange[] = [];
    for (const pull of pulls) {
      const argocd = /^paved\/argocd\/[^/]+\/[^/]+\/([^/]+)$/.exec(pull.branch);
      let kind: PendingChange['kind'] | undefined;
      if (
        kubernetesNamespace &&
        pull.branch === `paved/namespace/${kubernetesNamespace}`
      )
        kind = 'namespace';
      else if (argocd?.[1] === stem) kind = 'argocd';
      if (kind)
        changes.push({
          kind,
          number: pull.number,
          title: pull.title,
          url: pull.url,
          draft: pull.draft,
        });
    }
    // The namespace first: it has to merge before Argo CD can deploy into it.
    return changes.sort(
      (a, b) =>
        Number(a.kind === 'argocd') - Number(b.kind === 'argocd') ||
        a.number - b.number,
    );
  }

  private async openPulls(): Promise<OpenPullRequest[]> {
    const { cache, gitops, ttlMs } = this.deps;
    const cached = (await cache.get(CACHE_KEY).catch(() => undefined)) as
      | OpenPullRequest[]
      | undefined;
    if (cached) return cached;
    this.inFlight ??= gitops
      .openChanges('paved/')
      .then(async pulls => {
        if (ttlMs > 0)
          await cache
            .set(CACHE_KEY, pulls as any, { ttl: ttlMs })
            .catch(() => undefined);
        return pulls;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}
