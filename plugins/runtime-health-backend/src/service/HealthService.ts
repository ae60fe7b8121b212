import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  EntityHealth,
  HealthSourceResult,
  PendingChange,
} from '@paved/plugin-paved-common';
import {
  DEFAULT_THRESHOLDS,
  verdict,
  type VerdictThresholds,
} from '../lib/verdict';
import { toSourceError } from '../sources/errors';
import { expectedClusters } from '../sources/kubernetes';

type SourceName = keyof EntityHealth['sources'];

/** One source: whether the entity is configured for it, and how to read it. */
export interface HealthSource<T> {
  configured(entity: Entity): boolean;
  read(entity: Entity): Promise<T>;
  /**
   * Whether an answer is one that is about to change: nothing deployed yet (someone is merging the pull requests and
   * watching). Cached for a fifth of the TTL, like errors.
   */
  provisional?(data: T): boolean;
}

export interface HealthServiceOptions {
  sources: {
    [K in SourceName]: HealthSource<
      NonNullable<EntityHealth['sources'][K]['data']>
    >;
  };
  cache: CacheService;
  logger: LoggerService;
  /** Per-source time budget in ms; a slower source answers `timeout` while the others still count. */
  timeoutMs: Partial<Record<SourceName, number>> & { default: number };
  /** How long a source's answer is served from the cache, in ms; errors for a fifth of it. */
  ttlMs: number;
  thresholds?: VerdictThresholds;
  now?: () => Date;
  /** Open GitOps pull requests that would deploy an entity, asked for while it is not (fully) deployed. */
  pending?: {
    configured: boolean;
    of(entity: Entity): Promise<PendingChange[]>;
  };
}

/**
 * An entity's health from all sources in parallel, each with its own timeout, each answer cached (Backstage's cache
 * service: memory or Redis) and concurrent identical reads coalesced into one upstream call per source.
 */
export class HealthService {
  private readonly inFlight = new Map<
    string,
    Promise<HealthSourceResult<unknown>>
  >();

  constructor(private readonly options: HealthServiceOptions) {}

  async get(entity: Entity): Promise<EntityHealth> {
    const names = Object.keys(this.options.sources) as SourceName[];
    const results = await Promise.all(
      names.map(name => this.source(name, entity)),
    );
    const sources = Object.fromEntries(
      names.map((n, i) => [n, results[i]]),
    ) as EntityHealth['sources'];
    const result = verdict(
      sources,
      this.options.thresholds ?? DEFAULT_THRESHOLDS,
      expectedClusters(entity),
    );
    const { pending } = this.options;
    if (
      !pending?.configured ||
      !['not-deployed', 'partially-deployed'].includes(result.verdict)
    )
      return { ...result, sources };
    const budget = this.options.timeoutMs.default;
    let timer: NodeJS.Timeout | undefined;
    const changes = await Promise.race([
      pending.of(entity).catch(error => {
        this.options.logger.warn(
          `runtime-health: open GitOps pull requests could not be read for ${stringifyEntityRef(
            entity,
          )}: ${toSourceError(error).message}`,
        );
        return undefined;
      }),
      new Promise<undefined>(resolve => {
        timer = setTimeout(() => resolve(undefined), budget);
      }),
    ]);
    clearTimeout(timer);
    return changes
      ? { ...result, pending: changes, sources }
      : {
          ...result,
          reasons: [
            ...result.reasons,
            'The open GitOps pull requests could not be read',
          ],
          sources,
        };
  }

  private source(
    name: SourceName,
    entity: Entity,
  ): Promise<HealthSourceResult<unknown>> {
    const source = this.options.sources[name] as HealthSource<unknown>;
    const now = () => (this.options.now?.() ?? new Date()).toISOString();
    if (!source.configured(entity)) {
      return Promise.resolve({ status: 'not-configured', fetchedAt: now() });
    }
    const key = `${name}:${stringifyEntityRef(entity)}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.cachedOrFetch(key, name, source, entity, now).finally(() =>
        this.inFlight.delete(key),
      );
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async cachedOrFetch(
    key: string,
    name: SourceName,
    source: HealthSource<unknown>,
    entity: Entity,
    now: () => string,
  ): Promise<HealthSourceResult<unknown>> {
    const cached = (await this.options.cache
      .get(key)
      .catch(() => undefined)) as HealthSourceResult<unknown> | undefined;
    if (cached) return cached;
    const budget =
      this.options.timeoutMs[name] ?? this.options.timeoutMs.default;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<HealthSourceResult<unknown>>(resolve => {
      timer = setTimeout(
        () =>
          resolve({
            status: 'timeout',
            error: {
              name: 'TimeoutError',
              message: `no answer within ${budget} ms`,
            },
            fetchedAt: now(),
          }),
        budget,
      );
    });
    const read = source.read(entity).then(
      (data): HealthSourceResult<unknown> => ({
        status: 'ok',
        data,
        fetchedAt: now(),
      }),
      (error): HealthSourceResult<unknown> => {
        const sourceError = toSourceError(error);
        this.options.logger.warn(
          `runtime-health: ${name} failed for ${stringifyEntityRef(entity)}: ${
            sourceError.message
          }`,
        );
        return {
          status: 'error',
          error: sourceError,
          fetchedAt: now(),
        };
      },
    );
    const result = await Promise.race([read, timeout]);
    clearTimeout(timer);
    const settled =
      result.status === 'ok' && !source.provisional?.(result.data);
    const ttl = settled
      ? this.options.ttlMs
      : Math.ceil(this.options.ttlMs / 5);
    // A TTL of 0 turns the cache off (Backstage's cache would read it as "no expiry").
    if (ttl <= 0) return result;
    await this.options.cache
      .set(key, result as any, { ttl })
      .catch(error =>
        this.options.logger.warn(
          `runtime-health: cache write failed: ${error}`,
        ),
      );
    return result;
  }
}
