import type { Config } from '@backstage/config';
import { fetchWithTimeout } from '../http/fetchWithTimeout';
import {
  AuthenticationError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type {
  GoldenSignals,
  GoldenSignalsPoint,
  NewRelicHealth,
  NewRelicIncident,
} from '@paved/plugin-paved-common';

/** Where and how to reach NerdGraph (`paved.newrelic`). @public */
export interface NewRelicConfig {
  endpoint: string;
  /** Base of links people open (one.newrelic.com or one.eu.newrelic.com). */
  uiBaseUrl: string;
  accountId: number;
  apiKey: string;
  timeoutMs: number;
}

const REGIONS: Record<string, { endpoint: string; ui: string }> = {
  US: {
    endpoint: 'https://api.newrelic.com/graphql',
    ui: 'https://one.newrelic.com',
  },
  EU: {
    endpoint: 'https://api.eu.newrelic.com/graphql',
    ui: 'https://one.eu.newrelic.com',
  },
};

/** The 30-minute golden-signal query, one point a minute (New Relic's own field and function names). */
function goldenSignalsNrql(guid: string): string {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(guid)) {
    throw new InputError(`"${guid}" is not a New Relic entity guid`);
  }
  return (
    'SELECT rate(count(*), 1 minute) AS throughput, ' +
    'percentage(count(*), WHERE error IS true) AS errorRate, ' +
    'average(duration) AS responseTime, apdex(duration, t: 0.5) AS apdex ' +
    `FROM Transaction WHERE entityGuid = '${guid}' SINCE 30 minutes ago TIMESERIES 1 minute`
  );
}

const HEALTH_QUERY = `
  query PavedHealth($guid: EntityGuid!, $nrql: Nrql!, $account: Int!) {
    actor {
      entity(guid: $guid) {
        guid
        name
        permalink
        reporting
        tags { key values }
        ... on ApmApplicationEntity {
          apmSummary { throughput errorRate responseTimeAverage apdexScore }
        }
        nrdbQuery(nrql: $nrql) { results }
      }
      account(id: $account) {
        aiIssues {
          issues(filter: { entityGuids: [$guid], states: [ACTIVATED, CREATED] }) {
            issues { issueId title priority state activatedAt createdAt }
          }
        }
      }
    }
  }`;

const num = (v: unknown): number => {
  if (typeof v === 'number') return v;
  // apdex() answers { score, s, t, f, count } in real NRQL results.
  if (v && typeof v === 'object' && typeof (v as any).score === 'number')
    return (v as any).score;
  return 0;
};

/**
 * New Relic's NerdGraph with a user API key (`@visibility secret`), one request per entity: the entity, its APM
 * summary, a 30-minute timeseries and its open issues. Errors in `errors[]` become typed errors; every request has a
 * timeout. The key is never logged or put in an error.
 * @public
 */
export class NewRelicClient {
  /** The client, or undefined when `paved.newrelic` is not configured (New Relic then reads as "not configured"). */
  static fromConfig(config: Config): NewRelicClient | undefined {
    const nr = config.getOptionalConfig('paved.newrelic');
    if (!nr) return undefined;
    const region = nr.getOptionalString('region') ?? 'US';
    const known = REGIONS[region];
    if (!known)
      throw new Error(`paved.newrelic.region must be US or EU, not ${region}`);
    return new NewRelicClient({
      endpoint: nr.getOptionalString('endpoint') ?? known.endpoint,
      uiBaseUrl: known.ui,
      accountId: nr.getNumber('accountId'),
      apiKey: nr.getString('apiKey'),
      timeoutMs: nr.getOptionalNumber('timeoutMs') ?? 5_000,
    });
  }

  constructor(readonly config: NewRelicConfig) {}

  /** One NerdGraph request; `errors[]` with no usable data is an error. */
  async query<T>(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<T> {
    const response = await fetchWithTimeout(
      this.config.endpoint,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'API-Key': this.config.apiKey,
        },
        body: JSON.stringify({ query, variables }),
      },
      { timeoutMs: this.config.timeoutMs, service: 'New Relic' },
    );
    if (response.status === 429 || response.status >= 500) {
      throw new ServiceUnavailableError(
        `New Relic answered ${response.status}`,
      );
    }
    const body = (await response.json().catch(() => ({}))) as {
      data?: T;
      errors?: Array<{ message: string; extensions?: { errorClass?: string } }>;
    };
    const first = body.errors?.[0];
    if (first) {
      const message = `New Relic: ${first.message}`;
      const errorClass = first.extensions?.errorClass;
      if (errorClass === 'UNAUTHORIZED' || errorClass === 'FORBIDDEN')
        throw new AuthenticationError(message);
      if (errorClass === 'INVALID_INPUT') throw new InputError(message);
      throw new ServiceUnavailableError(message);
    }
    if (!response.ok || !body.data) {
      throw new ServiceUnavailableError(
        `New Relic answered ${response.status} without data`,
      );
    }
    return body.data;
  }

  /** The guid of the APM entity with this exact name, or undefined. */
  async findEntityGuid(name: string): Promise<string | undefined> {
    const data = await this.query<any>(
      `query ($q: String!) { actor { entitySearch(query: $q) { results { entities { guid name } } } } }`,
      { q: `name = '${name.replace(/'/g, "\\'")}' AND domain = 'APM'` },
    );
    return data.actor?.entitySearch?.results?.entities?.find(
      (e: { name: string }) => e.name === name,
    )?.guid;
  }

  /** Golden signals now and over 30 minutes, and open incidents, of one entity. */
  async health(guid: string): Promise<NewRelicHealth> {
    const data = await this.query<any>(HEALTH_QUERY, {
      guid,
      nrql: goldenSignalsNrql(guid),
      account: this.config.accountId,
    });
    const entity = data.actor?.entity;
    if (!entity) throw new NotFoundError(`New Relic has no entity ${guid}`);
    // No summary (or not reporting) is "no data", not zeros: NerdGraph answers apmSummary null for an idle entity.
    const summary = entity.apmSummary;
    const reporting = entity.reporting !== false;
    const signals: GoldenSignals | null =
      summary && reporting
        ? {
            throughput: num(summary.throughput),
            errorRate: num(summary.errorRate),
            responseTimeMs:
              Math.round(num(summary.responseTimeAverage) * 1000 * 10) / 10,
            apdex: num(summary.apdexScore),
          }
        : null;
    const timeseries: GoldenSignalsPoint[] = (
      entity.nrdbQuery?.results ?? []
    ).map((r: any) => ({
      timestamp: new Date(num(r.beginTimeSeconds) * 1000).toISOString(),
      throughput: num(r.throughput),
      errorRate: num(r.errorRate) / 100,
      responseTimeMs: Math.round(num(r.responseTime) * 1000 * 10) / 10,
      apdex: num(r.apdex),
    }));
    const incidents: NewRelicIncident[] = (
      data.actor?.account?.aiIssues?.issues?.issues ?? []
    ).map((i: any) => ({
      id: String(i.issueId),
      title: Array.isArray(i.title) ? i.title.join(' ') : String(i.title ?? ''),
      priority: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].includes(i.priority)
        ? i.priority
        : 'LOW',
      state: i.state,
      openedAt: new Date(num(i.activatedAt ?? i.createdAt)).toISOString(),
      url: `${this.config.uiBaseUrl}/alerts-ai/issues/${i.issueId}?accountId=${this.config.accountId}`,
    }));
    return {
      entityGuid: entity.guid,
      name: entity.name,
      url: entity.permalink,
      tags: (entity.tags ?? []).map(
        (t: { key: string; values?: string[] }) => ({
          key: String(t.key),
          values: (t.values ?? []).map(String),
        }),
      ),
      reporting,
      signals,
      timeseries,
      incidents,
    };
  }
}
