import os from 'node:os';
import crypto from 'node:crypto';
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_TEMPLATE_SOURCE,
  parseAnswersFile,
  type TemplateInstanceState,
} from '@paved/plugin-paved-common';
import type {
  GitProvider,
  PullRequestState,
  RepositorySnapshot,
  TemplateSync,
} from '@paved/plugin-paved-node';
import {
  compareRecorded,
  parseRecordedVersion,
} from '@paved/plugin-template-sync-node';
import type {
  CheckOutcome,
  DiscoveredInstance,
  SyncStore,
} from '../database/SyncStore';
import { instanceOf } from './instances';

/** How long one instance stays claimed: longer than any update takes, short enough to recover from a crash. */
const CLAIM_MS = 10 * 60_000;

/**
 * What one run did.
 *
 * @public
 */
export interface RunSummary {
  instances: number;
  sources: number;
  upToDate: number;
  opened: number;
  refreshed: number;
  waiting: number;
  declined: number;
  errors: number;
  skipped: number;
  removed: number;
}

/**
 * What to do with an instance, from its recorded version, the newest one and its pull request.
 *
 * @public
 */
export type Decision =
  | { kind: 'up-to-date' }
  | { kind: 'waiting' }
  | { kind: 'declined' }
  | { kind: 'update' };

/**
 * The rule, kept pure for tests: up to date when the default branch records the newest version; otherwise wait on
 * an open pull request that already brings the newest version, respect one closed without merging for that version,
 * and update (open or refresh) in every other case.
 *
 * @public
 */
export function decide(input: {
  current: string;
  latest: string;
  pullRequest?: { version: string; state: 'open' | 'closed' | 'merged' };
}): Decision {
  const order = compareRecorded(
    parseRecordedVersion(input.latest),
    parseRecordedVersion(input.current),
  );
  const behind =
    order === undefined ? input.latest !== input.current : order > 0;
  if (!behind) return { kind: 'up-to-date' };
  const pr = input.pullRequest;
  if (pr && pr.version === input.latest) {
    if (pr.state === 'open') return { kind: 'waiting' };
    if (pr.state === 'closed') return { kind: 'declined' };
  }
  return { kind: 'update' };
}

/** Runs `fn` over `items`, `limit` at a time. */
async function pool<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

const message = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * The fleet job: lists template instances from the catalog, resolves each template's newest version once, reads
 * every answers file and known pull request in GraphQL batches, and for each instance behind opens or refreshes its
 * one pull request. Never merges. State goes to the database; a claim per instance keeps replicas apart.
 *
 * @public
 */
export class FleetSync {
  private readonly holder = `${os.hostname()}:${process.pid}:${crypto
    .randomBytes(4)
    .toString('hex')}`;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      store: SyncStore;
      templates: TemplateSync;
      git: GitProvider;
      logger: LoggerService;
      /** Base URL of the default GitHub (for `github.com/project-slug`). */
      defaultGithub?: string;
      /**
       * Whether Paved may read and write a repository: only hosts with an SCM integration, so an entity cannot point
       * the job at an arbitrary URL. Default: every URL (tests).
       */
      repositoryAllowed?: (repoUrl: string) => boolean;
      /** Instances updated at once (each is a clone and two renders). */
      concurrency?: number;
    },
  ) {}

  /** One run over every instance in the catalog. */
  async runAll(): Promise<RunSummary> {
    const { catalog, auth, store, logger } = this.deps;
    logger.info('Template sync: run started');
    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_TEMPLATE_SOURCE}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata', 'spec.owner'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const instances = this.discover(items);
    await store.upsertDiscovered(instances);
    const removed = await store.removeExcept(instances.map(i => i.entityRef));
    const summary = await this.sync(instances);
    summary.removed = removed;
    logger.info(
      `Template sync: ${summary.instances} instance(s) of ${summary.sources} template(s): ${summary.upToDate} up to date, ${summary.opened} pull request(s) opened, ${summary.refreshed} refreshed, ${summary.waiting} waiting for review, ${summary.declined} declined, ${summary.errors} error(s), ${summary.skipped} busy elsewhere`,
    );
    return summary;
  }

  /** One instance now (the trigger route); answers its new state. */
  async runOne(entityRef: string): Promise<TemplateInstanceState> {
    const { catalog, auth, store } = this.deps;
    const entity = await catalog.getEntityByRef(entityRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (!entity) throw new NotFoundError(`No entity ${entityRef}`);
    const [instance] = this.discover([entity]);
    if (!instance) {
      throw new NotFoundError(
        `${entityRef} is not a template instance: it has no valid paved.dev/template-* annotations`,
      );
    }
    await store.upsertDiscovered([instance]);
    const summary = await this.sync([instance]);
    if (summary.skipped) {
      throw new ConflictError(
        `${entityRef} is being synced by another run; try again in a minute`,
      );
    }
    return (await store.get(entityRef))!;
  }

  private discover(entities: Entity[]): DiscoveredInstance[] {
    const found: DiscoveredInstance[] = [];
    for (const entity of entities) {
      const instance = instanceOf(entity, this.deps.defaultGithub);
      if (instance) found.push(instance);
    }
    return found;
  }

  private async sync(instances: DiscoveredInstance[]): Promise<RunSummary> {
    const { store, templates, git } = this.deps;
    const started = Date.now();
    const summary: RunSummary = {
      instances: instances.length,
      sources: 0,
      upToDate: 0,
      opened: 0,
      refreshed: 0,
      waiting: 0,
      declined: 0,
      errors: 0,
      skipped: 0,
      removed: 0,
    };
    const fail = async (instance: DiscoveredInstance, error: string) => {
      summary.errors++;
      await store.record(instance.entityRef, { status: 'error', error });
    };

    // The newest version of each template: one ls-remote per source per run.
    const latest = new Map<string, Promise<string>>();
    for (const instance of instances) {
      if (!latest.has(instance.source)) {
        const version = templates.latestVersion(instance.source);
        version.catch(() => undefined); // awaited below, per instance
        latest.set(instance.source, version);
      }
    }
    summary.sources = latest.size;

    // Answers files and known pull requests, batched by repository.
    const states = new Map(
      (await store.getMany(instances.map(i => i.entityRef))).map(s => [
        s.entityRef,
        s,
      ]),
    );
    const allowed = this.deps.repositoryAllowed ?? (() => true);
    const byRepo = new Map<string, DiscoveredInstance[]>();
    for (const instance of instances) {
      if (!instance.repoUrl || !allowed(instance.repoUrl)) continue;
      byRepo.set(instance.repoUrl, [
        ...(byRepo.get(instance.repoUrl) ?? []),
        instance,
      ]);
    }
    const reads = [...byRepo.entries()].map(([repoUrl, list]) => ({
      repoUrl,
      paths: [...new Set(list.map(i => i.answersFile))],
      pullRequests: [
        ...new Set(
          list
            .map(i => states.get(i.entityRef)?.pullRequest?.number)
            .filter((n): n is number => n !== undefined),
        ),
      ],
    }));
    const snapshots = new Map<string, RepositorySnapshot>();
    (await git.readBatch(reads)).forEach(s => snapshots.set(s.repoUrl, s));

    const updates: Array<{
      instance: DiscoveredInstance;
      current: string;
      latest: string;
      /** Its pull request as the batch read saw it. */
      pull?: PullRequestState;
    }> = [];
    for (const instance of instances) {
      if (!instance.repoUrl) {
        await fail(
          instance,
          'No repository: the entity needs backstage.io/source-location (or github.com/project-slug)',
        );
        continue;
      }
      if (!allowed(instance.repoUrl)) {
        await fail(
          instance,
          `${instance.repoUrl} is not on a host with an SCM integration (integrations): template sync does not read it`,
        );
        continue;
      }
      let newest: string;
      try {
        newest = await latest.get(instance.source)!;
      } catch (error) {
        await fail(instance, message(error));
        continue;
      }
      const snapshot = snapshots.get(instance.repoUrl)!;
      if (!snapshot.found) {
        await fail(
          instance,
          snapshot.error ?? `${instance.repoUrl} cannot be read`,
        );
        continue;
      }
      const text = snapshot.files[instance.answersFile];
      if (text === undefined) {
        await fail(
          instance,
          `${instance.answersFile} is not on the default branch of ${instance.repoUrl}`,
        );
        continue;
      }
      let current: string;
      try {
        const parsed = parseAnswersFile(text, instance.answersFile);
        if (!parsed.commit)
          throw new Error(`${instance.answersFile} records no _commit`);
        current = parsed.commit;
      } catch (error) {
        await fail(instance, message(error));
        continue;
      }
      const recorded = states.get(instance.entityRef)?.pullRequest;
      const pull = recorded
        ? snapshot.pullRequests[recorded.number]
        : undefined;
      const decision = decide({
        current,
        latest: newest,
        pullRequest:
          recorded && pull
            ? { version: recorded.version, state: pull.state }
            : undefined,
      });
      const base: CheckOutcome = {
        status: 'up-to-date',
        currentVersion: current,
        latestVersion: newest,
      };
      if (decision.kind === 'up-to-date') {
        summary.upToDate++;
        // A pull request that is no longer open is history.
        await store.record(instance.entityRef, {
          ...base,
          ...(recorded && pull?.state !== 'open' ? { pullRequest: null } : {}),
        });
      } else if (decision.kind === 'waiting') {
        summary.waiting++;
        await store.record(instance.entityRef, {
          ...base,
          status: recorded!.conflicts > 0 ? 'conflicts' : 'pull-request',
          pullRequest: { ...recorded!, draft: pull!.draft },
        });
      } else if (decision.kind === 'declined') {
        summary.declined++;
        await store.record(instance.entityRef, { ...base, status: 'declined' });
      } else {
        updates.push({ instance, current, latest: newest, pull });
      }
    }

    await pool(
      updates,
      this.deps.concurrency ?? 2,
      async ({ instance, current, latest: newest, pull }) => {
        const holder = `${this.holder}:${crypto
          .randomBytes(4)
          .toString('hex')}`;
        if (!(await store.claim(instance.entityRef, holder, CLAIM_MS))) {
          summary.skipped++;
          return;
        }
        try {
          // Another run may have brought this instance along since the batch read: then there is nothing to do.
          const fresh = await store.get(instance.entityRef);
          if (
            fresh?.pullRequest?.version === newest &&
            (fresh.status === 'pull-request' || fresh.status === 'conflicts') &&
            fresh.lastCheckedAt &&
            Date.parse(fresh.lastCheckedAt) >= started
          ) {
            summary.waiting++;
            return;
          }
          // A run that started later (a manual sync after a release) may have moved the pull request past the
          // version this run resolved: never take it back to an older one.
          const recorded = fresh?.pullRequest?.version;
          const ahead =
            recorded &&
            compareRecorded(
              parseRecordedVersion(recorded),
              parseRecordedVersion(newest),
            );
          if (ahead && ahead > 0) {
            summary.waiting++;
            return;
          }
          const result = await templates.updateInstance({
            repoUrl: instance.repoUrl!,
            answersFile: instance.answersFile,
            version: newest,
            existingPullRequest: pull?.state === 'open' ? pull : undefined,
          });
          if (result.upToDate || !result.pullRequest) {
            // Nothing to propose (the render equals the repository), or a host without pull requests.
            if (result.upToDate) summary.upToDate++;
            await store.record(instance.entityRef, {
              status: result.upToDate ? 'up-to-date' : 'behind',
              currentVersion: current,
              latestVersion: newest,
            });
            return;
          }
          if (result.pullRequest.created) summary.opened++;
          else summary.refreshed++;
          await store.record(instance.entityRef, {
            status: result.conflicts > 0 ? 'conflicts' : 'pull-request',
            currentVersion: current,
            latestVersion: newest,
            pullRequest: {
              number: result.pullRequest.number,
              url: result.pullRequest.url,
              version: result.to,
              draft: result.pullRequest.draft ?? false,
              conflicts: result.conflicts,
              changedFiles: result.files.length,
            },
          });
        } catch (error) {
          this.deps.logger.warn(
            `Template sync of ${instance.entityRef} failed: ${message(error)}`,
          );
          await fail(instance, message(error));
        } finally {
          await store.release(instance.entityRef, holder);
        }
      },
    );
    return summary;
  }
}
