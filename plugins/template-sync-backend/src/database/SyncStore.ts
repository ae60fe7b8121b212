import type { Knex } from 'knex';
import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type {
  TemplateInstanceState,
  TemplateSyncStatus,
} from '@paved/plugin-paved-common';

const TABLE = 'template_sync_instances';
/** Rows per statement: SQLite allows 999 bound variables in older builds; 18 columns × 50 stays below. */
const CHUNK = 50;

interface Row {
  entity_ref: string;
  title: string | null;
  owner: string | null;
  source: string;
  template_name: string;
  answers_file: string;
  repo_url: string | null;
  current_version: string | null;
  latest_version: string | null;
  status: string;
  pr_number: number | null;
  pr_url: string | null;
  pr_version: string | null;
  pr_draft: boolean | number;
  pr_conflicts: number;
  pr_files: number;
  error: string | null;
  checked_at: number | null;
  locked_by: string | null;
  locked_until: number | null;
}

/** What the catalog says about an instance. */
export interface DiscoveredInstance {
  entityRef: string;
  title?: string;
  owner?: string;
  source: string;
  templateName: string;
  answersFile: string;
  repoUrl?: string;
}

/** What a check found. */
export interface CheckOutcome {
  status: TemplateSyncStatus;
  currentVersion?: string | null;
  latestVersion?: string | null;
  pullRequest?: TemplateInstanceState['pullRequest'] | null;
  error?: string | null;
}

const toState = (row: Row): TemplateInstanceState => ({
  entityRef: row.entity_ref,
  ...(row.title ? { title: row.title } : {}),
  ...(row.owner ? { owner: row.owner } : {}),
  source: row.source,
  templateName: row.template_name,
  answersFile: row.answers_file,
  ...(row.repo_url ? { repoUrl: row.repo_url } : {}),
  ...(row.current_version ? { currentVersion: row.current_version } : {}),
  ...(row.latest_version ? { latestVersion: row.latest_version } : {}),
  status: row.status as TemplateSyncStatus,
  ...(row.pr_number && row.pr_url
    ? {
        pullRequest: {
          number: row.pr_number,
          url: row.pr_url,
          version: row.pr_version ?? '',
          draft: Boolean(row.pr_draft),
          conflicts: row.pr_conflicts,
          changedFiles: row.pr_files,
        },
      }
    : {}),
  ...(row.error ? { error: row.error } : {}),
  ...(row.checked_at
    ? { lastCheckedAt: new Date(Number(row.checked_at)).toISOString() }
    : {}),
});

/** Template-sync state in the plugin's database (SQLite or PostgreSQL through Backstage's database service). */
export class SyncStore {
  static async create(
    database: DatabaseService,
    options: { now?: () => number } = {},
  ): Promise<SyncStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      const migrate = () =>
        knex.migrate.latest({
          directory: resolvePackagePath(
            '@paved/plugin-template-sync-backend',
            'migrations',
          ),
          tableName: 'template_sync_knex_migrations',
        });
      // Replicas starting together race to create knex's own bookkeeping tables (its migration lock only works once
      // they exist): the loser fails on a duplicate, and on a second try finds them and waits on the lock.
      for (let attempt = 1; ; attempt++) {
        try {
          await migrate();
          break;
        } catch (error) {
          if (attempt >= 3) throw error;
          await new Promise(resolve =>
            setTimeout(resolve, 200 * attempt + Math.random() * 200),
          );
        }
      }
    }
    return new SyncStore(knex, options.now ?? Date.now);
  }

  constructor(
    private readonly knex: Knex,
    private readonly now: () => number,
  ) {}

  /** Records what the catalog says, keeping each instance's sync state; an instance that moved starts over. */
  async upsertDiscovered(instances: DiscoveredInstance[]): Promise<void> {
    for (let i = 0; i < instances.length; i += CHUNK) {
      const chunk = instances.slice(i, i + CHUNK);
      const existing = new Map(
        (
          await this.knex<Row>(TABLE)
            .whereIn(
              'entity_ref',
              chunk.map(c => c.entityRef),
            )
            .select('entity_ref', 'source', 'answers_file', 'repo_url')
        ).map(r => [r.entity_ref, r]),
      );
      const rows = chunk.map(c => {
        const before = existing.get(c.entityRef);
        const moved =
          before &&
          (before.source !== c.source ||
            before.answers_file !== c.answersFile ||
            (before.repo_url ?? null) !== (c.repoUrl ?? null));
        return {
          entity_ref: c.entityRef,
          title: c.title ?? null,
          owner: c.owner ?? null,
          source: c.source,
          template_name: c.templateName,
          answers_file: c.answersFile,
          repo_url: c.repoUrl ?? null,
          ...(moved || !before
            ? {
                status: 'unknown',
                current_version: null,
                latest_version: null,
                pr_number: null,
                pr_url: null,
                pr_version: null,
                pr_draft: false,
                pr_conflicts: 0,
                pr_files: 0,
                error: null,
              }
            : {}),
        };
      });
      // Rows differ in columns (new or moved ones reset their state), so each is its own upsert.
      for (const row of rows) {
        await this.knex(TABLE)
          .insert(row)
          .onConflict('entity_ref')
          .merge(Object.keys(row).filter(k => k !== 'entity_ref'));
      }
    }
  }

  /** Forgets instances whose entities left the catalog; returns how many. */
  async removeExcept(entityRefs: string[]): Promise<number> {
    const keep = new Set(entityRefs);
    const gone = (await this.knex<Row>(TABLE).select('entity_ref'))
      .map(r => r.entity_ref)
      .filter(ref => !keep.has(ref));
    for (let i = 0; i < gone.length; i += 500) {
      await this.knex(TABLE)
        .whereIn('entity_ref', gone.slice(i, i + 500))
        .delete();
    }
    return gone.length;
  }

  async get(entityRef: string): Promise<TemplateInstanceState | undefined> {
    const row = await this.knex<Row>(TABLE)
      .where('entity_ref', entityRef)
      .first();
    return row ? toState(row) : undefined;
  }

  /** The instances of these entities that are known (one query per 500). */
  async getMany(entityRefs: string[]): Promise<TemplateInstanceState[]> {
    const rows: Row[] = [];
    for (let i = 0; i < entityRefs.length; i += 500) {
      rows.push(
        ...(await this.knex<Row>(TABLE).whereIn(
          'entity_ref',
          entityRefs.slice(i, i + 500),
        )),
      );
    }
    return rows.map(toState);
  }

  /** Every instance (of one template source, when given), ordered by template then entity. */
  async list(
    filter: { source?: string } = {},
  ): Promise<TemplateInstanceState[]> {
    const query = this.knex<Row>(TABLE).select('*');
    if (filter.source) query.where('source', filter.source);
    const rows = await query.orderBy([
      { column: 'template_name' },
      { column: 'entity_ref' },
    ]);
    return rows.map(toState);
  }

  /** Records a check's outcome. */
  async record(entityRef: string, outcome: CheckOutcome): Promise<void> {
    const pr = outcome.pullRequest;
    await this.knex(TABLE)
      .where('entity_ref', entityRef)
      .update({
        status: outcome.status,
        ...(outcome.currentVersion !== undefined
          ? { current_version: outcome.currentVersion }
          : {}),
        ...(outcome.latestVersion !== undefined
          ? { latest_version: outcome.latestVersion }
          : {}),
        ...(pr !== undefined
          ? {
              pr_number: pr?.number ?? null,
              pr_url: pr?.url ?? null,
              pr_version: pr?.version ?? null,
              pr_draft: pr?.draft ?? false,
              pr_conflicts: pr?.conflicts ?? 0,
              pr_files: pr?.changedFiles ?? 0,
            }
          : {}),
        error: outcome.error ?? null,
        checked_at: this.now(),
      });
  }

  /**
   * Takes an instance for `ttlMs` unless another holder has it: the one guard that keeps two backends (or a manual
   * run and the schedule) from updating one instance at once. One conditional UPDATE, atomic in both databases.
   */
  async claim(
    entityRef: string,
    holder: string,
    ttlMs: number,
  ): Promise<boolean> {
    const now = this.now();
    const updated = await this.knex(TABLE)
      .where('entity_ref', entityRef)
      .andWhere(q =>
        q.whereNull('locked_until').orWhere('locked_until', '<', now),
      )
      .update({ locked_by: holder, locked_until: now + ttlMs });
    return updated === 1;
  }

  async release(entityRef: string, holder: string): Promise<void> {
    await this.knex(TABLE)
      .where({ entity_ref: entityRef, locked_by: holder })
      .update({ locked_by: null, locked_until: null });
  }
}
