import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { executeGraphql } from '../graphql';
import type { Handler, SandboxRequest } from '../http';
import { json } from '../http';
import type { SandboxSeed } from '../seed';
import { nerdGraphSchema } from './schema';

type Service = SandboxSeed['services'][number];
type Health = 'healthy' | 'degraded' | 'down';

/** A service's worst state across clusters: what its APM entity reports. */
function healthOf(service: Service): Health {
  const states = Object.values(service.clusters);
  if (states.includes('down')) return 'down';
  return states.includes('degraded') ? 'degraded' : 'healthy';
}

/** A deterministic number in [0, 1) for a key. */
function unit(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

type Signal = 'throughput' | 'errorRate' | 'responseTime' | 'apdex';

/**
 * Synthetic golden signals: the same service, metric and minute give the same value on every run and machine;
 * degraded services show errors and slow responses, down ones report nothing.
 */
function signal(
  service: Service,
  metric: Signal,
  minute: number,
): number | null {
  const health = healthOf(service);
  if (health === 'down') return null;
  const base = 200 + Math.floor(unit(service.name) * 800); // requests per minute
  const noise = unit(`${service.name}/${metric}/${minute}`) - 0.5;
  const degraded = health === 'degraded';
  const round = (v: number, digits: number) => Number(v.toFixed(digits));
  switch (metric) {
    case 'throughput':
      return round(base * (1 + noise * 0.2), 1);
    case 'errorRate':
      return round(degraded ? 6 + noise * 4 : 0.4 + noise * 0.6, 3);
    case 'responseTime':
      return round(degraded ? 0.65 + noise * 0.3 : 0.11 + noise * 0.05, 4);
    default:
      return round(degraded ? 0.74 + noise * 0.1 : 0.97 + noise * 0.04, 3);
  }
}

function classify(term: string): Signal {
  if (/error/i.test(term)) return 'errorRate';
  if (/apdex/i.test(term)) return 'apdex';
  if (/duration|response|latency/i.test(term)) return 'responseTime';
  return 'throughput';
}

const nrqlError = (message: string) =>
  new GraphQLError(message, { extensions: { errorClass: 'INVALID_INPUT' } });

/**
 * NRQL as the sandbox understands it: `SELECT <terms> FROM Transaction WHERE entityGuid = '…' | appName = '…'
 * [SINCE n minutes|hours ago] [TIMESERIES [n minute(s)]]`. Each term is answered under its `AS` alias (or its text)
 * with the signal its text names (error, apdex, duration/response, otherwise throughput).
 */
function runNrql(nrql: string, services: Service[], forEntity?: Service) {
  const select = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)/is.exec(nrql);
  if (!select)
    throw nrqlError(
      `NRQL Syntax Error: expected SELECT ... FROM ... in "${nrql}"`,
    );
  const guid = /entityGuid\s*=\s*'([^']+)'/i.exec(nrql)?.[1];
  const appName = /appName\s*=\s*'([^']+)'/i.exec(nrql)?.[1];
  const service =
    forEntity ??
    services.find(s => s.newrelicGuid === guid || s.name === appName);
  const since = /SINCE\s+(\d+)\s+(minute|minutes|hour|hours)\s+ago/i.exec(nrql);
  const windowMinutes = since
    ? Number(since[1]) * (since[2].toLowerCase().startsWith('hour') ? 60 : 1)
    : 60;
  const timeseries = /TIMESERIES(?:\s+(\d+)\s+minutes?)?/i.exec(nrql);
  const bucket = timeseries ? Number(timeseries[1] ?? 1) : windowMinutes;
  const terms = select[1]
    .split(/,(?![^(]*\))/)
    .map(t => t.trim())
    .map(t => {
      const alias = /\s+AS\s+[`'"]?([\w.-]+)[`'"]?\s*$/i.exec(t);
      return { key: alias ? alias[1] : t, metric: classify(t) };
    });
  const end = Math.floor(Date.now() / 60_000);
  const begin = end - windowMinutes;
  const value = (metric: Signal, from: number, to: number) => {
    if (!service) return null;
    const values: number[] = [];
    for (let m = from; m < to; m++) {
      const v = signal(service, metric, m);
      if (v !== null) values.push(v);
    }
    return values.length
      ? Number((values.reduce((a, b) => a + b, 0) / values.length).toFixed(4))
      : null;
  };
  const row = (from: number, to: number) =>
    Object.fromEntries(terms.map(t => [t.key, value(t.metric, from, to)]));
  const results = timeseries
    ? Array.from({ length: Math.ceil(windowMinutes / bucket) }, (_, i) => {
        const from = begin + i * bucket;
        return {
          beginTimeSeconds: from * 60,
          endTimeSeconds: (from + bucket) * 60,
          ...row(from, Math.min(from + bucket, end)),
        };
      })
    : [row(begin, end)];
  return {
    nrql,
    results,
    metadata: { timeWindow: { begin: begin * 60_000, end: end * 60_000 } },
  };
}

function entity(service: Service, seed: SandboxSeed, services: Service[]) {
  const health = healthOf(service);
  return {
    __typename: 'ApmApplicationEntity',
    guid: service.newrelicGuid,
    name: service.name,
    accountId: seed.newrelic.accountId,
    domain: 'APM',
    type: 'APPLICATION',
    entityType: 'APM_APPLICATION_ENTITY',
    permalink: `https://one.newrelic.com/redirect/entity/${service.newrelicGuid}`,
    reporting: health !== 'down',
    alertSeverity: {
      healthy: 'NOT_ALERTING',
      degraded: 'CRITICAL',
      down: 'WARNING',
    }[health],
    tags: [
      { key: 'team', values: [service.team] },
      { key: 'language', values: ['nodejs'] },
      // As the golden path's agent config labels it (NEW_RELIC_LABELS): the catalog entity it reports for.
      {
        key: 'paved.dev/entity',
        values: [`component.default.${service.name}`],
      },
    ],
    applicationId: 1000 + services.indexOf(service),
    language: 'nodejs',
    apmSummary:
      health === 'down'
        ? null
        : (() => {
            const minute = Math.floor(Date.now() / 60_000) - 1;
            const throughput = signal(service, 'throughput', minute)!;
            return {
              apdexScore: signal(service, 'apdex', minute),
              errorRate: Number(
                (signal(service, 'errorRate', minute)! / 100).toFixed(5),
              ),
              responseTimeAverage: signal(service, 'responseTime', minute),
              throughput,
              webThroughput: throughput,
              webResponseTimeAverage: signal(service, 'responseTime', minute),
              nonWebThroughput: 0,
              nonWebResponseTimeAverage: 0,
              hostCount: service.replicas,
              instanceCount: service.replicas,
            };
          })(),
    nrdbQuery: ({ nrql }: { nrql: string }) => runNrql(nrql, services, service),
  };
}

/** Open issues: a degraded service has a critical error-rate issue, a silent one a "no data" issue. */
function issues(services: Service[]) {
  return services
    .filter(s => healthOf(s) !== 'healthy')
    .map((s, i) => {
      const degraded = healthOf(s) === 'degraded';
      const activatedAt = Date.UTC(2026, 10, 21, 14, 5 + i);
      return {
        issueId: createHash('sha1')
          .update(`issue/${s.name}`)
          .digest('hex')
          .slice(0, 32),
        title: [
          degraded
            ? `${s.name}: Error percentage > 5% for at least 5 minutes`
            : `${s.name}: No data for 10 minutes`,
        ],
        description: [degraded ? 'Error percentage (High)' : 'Loss of signal'],
        priority: degraded ? 'CRITICAL' : 'HIGH',
        state: 'ACTIVATED',
        activatedAt,
        createdAt: activatedAt,
        entityGuids: [s.newrelicGuid],
        entityNames: [s.name],
        totalIncidents: degraded ? 3 : 1,
      };
    });
}

/**
 * New Relic's NerdGraph at `/newrelic/graphql` (the US and EU endpoints are `https://api[.eu].newrelic.com/graphql`):
 * `API-Key` required, documents validated against and executed over NerdGraph's real schema (recorded), errors in `errors[]` with HTTP 200 as NerdGraph
 * answers them. Every seeded service is an APM application entity with deterministic synthetic golden signals.
 */
export function newRelicStandIn(
  seed: SandboxSeed,
  deployed: Service[] = [],
): Handler {
  return async (req: SandboxRequest) => {
    if (req.url.pathname !== '/newrelic/graphql') return undefined;
    if (req.method !== 'POST') return json(405, { message: 'POST only' });
    if (req.headers['api-key'] !== seed.newrelic.apiKey) {
      return json(200, {
        data: { actor: null },
        errors: [
          {
            message: 'Invalid API key',
            extensions: { errorClass: 'UNAUTHORIZED' },
          },
        ],
      });
    }
    const services = [...seed.services, ...deployed];
    const byGuid = (guid: string) =>
      services.find(s => s.newrelicGuid === guid);
    return executeGraphql({
      // NerdGraph's own schema, validated against and executed over: what the stand-in does not resolve is null.
      schema: nerdGraphSchema,
      body: req.body,
      invalidJson: json(400, { errors: [{ message: 'Invalid JSON body' }] }),
      formatError: e => ({
        message: e.message,
        path: e.path,
        ...(e.extensions && Object.keys(e.extensions).length
          ? { extensions: e.extensions }
          : {}),
      }),
      rootValue: {
        actor: {
          user: {
            id: 1,
            name: 'Paved Sandbox',
            email: 'sandbox@paved.invalid',
          },
          entity: ({ guid }: { guid: string }) => {
            const s = byGuid(guid);
            return s ? entity(s, seed, services) : null;
          },
          entities: ({ guids }: { guids: string[] }) =>
            guids
              .map(byGuid)
              .filter(Boolean)
              .map(s => entity(s!, seed, services)),
          entitySearch: ({
            query,
            queryBuilder,
          }: {
            query?: string;
            queryBuilder?: { name?: string; domain?: string; type?: string };
          }) => {
            const name =
              queryBuilder?.name ??
              /name\s*=\s*'([^']+)'/i.exec(query ?? '')?.[1];
            const like = /name\s+LIKE\s+'%?([^'%]+)%?'/i.exec(query ?? '')?.[1];
            const domain =
              queryBuilder?.domain ??
              /domain\s*(?:=|IN\s*\()\s*'([A-Z]+)'/i.exec(query ?? '')?.[1];
            const matches = services.filter(
              s =>
                (!name || s.name === name) &&
                (!like || s.name.includes(like)) &&
                (!domain || domain.toUpperCase() === 'APM'),
            );
            return {
              count: matches.length,
              query: query ?? '',
              results: () => ({
                entities: matches.map(s => ({
                  ...entity(s, seed, services),
                  __typename: 'ApmApplicationEntityOutline',
                })),
                nextCursor: null,
              }),
            };
          },
          account: ({ id }: { id: number }) =>
            id === seed.newrelic.accountId
              ? {
                  id,
                  name: 'Paved Sandbox',
                  nrql: ({ query }: { query: string }) =>
                    runNrql(query, services),
                  aiIssues: {
                    issues: ({
                      filter,
                    }: {
                      filter?: { entityGuids?: string[]; states?: string[] };
                    }) => ({
                      issues: issues(services).filter(
                        i =>
                          (!filter?.entityGuids ||
                            filter.entityGuids.some(g =>
                              i.entityGuids.includes(g),
                            )) &&
                          (!filter?.states || filter.states.includes(i.state)),
                      ),
                      nextCursor: null,
                    }),
                  },
                }
              : null,
        },
      },
    });
  };
}
