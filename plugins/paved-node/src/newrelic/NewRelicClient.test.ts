import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthenticationError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { NewRelicClient } from './NewRelicClient';

const KEY = 'NRAK-CANARY0000000000000000000';
const EU = 'https://api.eu.newrelic.com/graphql';

const client = () =>
  NewRelicClient.fromConfig(
    new ConfigReader({
      paved: {
        newrelic: { region: 'EU', accountId: 42, apiKey: KEY, timeoutMs: 200 },
      },
    }),
  )!;

describe('NewRelicClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('is absent when New Relic is not configured, and refuses an unknown region', () => {
    expect(NewRelicClient.fromConfig(new ConfigReader({}))).toBeUndefined();
    expect(() =>
      NewRelicClient.fromConfig(
        new ConfigReader({
          paved: { newrelic: { region: 'APAC', accountId: 1, apiKey: 'k' } },
        }),
      ),
    ).toThrow('paved.newrelic.region must be US or EU, not APAC');
  });

  it('sends one request per entity with the API key, and maps New Relic units', async () => {
    let seen: any;
    server.use(
      http.post(EU, async ({ request }) => {
        seen = {
          key: request.headers.get('api-key'),
          body: await request.json(),
        };
        return HttpResponse.json({
          data: {
            actor: {
              entity: {
                guid: 'G1',
                name: 'orders-api',
                permalink: 'https://one.eu.newrelic.com/redirect/entity/G1',
                tags: [
                  {
                    key: 'paved.dev/entity',
                    values: ['component.default.orders-api'],
                  },
                ],
                apmSummary: {
                  throughput: 120,
                  errorRate: 0.02,
                  responseTimeAverage: 0.25,
                  apdexScore: 0.9,
                },
                nrdbQuery: {
                  results: [
                    {
                      beginTimeSeconds: 1_800_000_000,
                      throughput: 100,
                      errorRate: 5,
                      responseTime: 0.3,
                      apdex: { score: 0.8 },
                    },
                  ],
                },
              },
              account: {
                aiIssues: {
                  issues: {
                    issues: [
                      {
                        issueId: 'i1',
                        title: ['High errors'],
                        priority: 'CRITICAL',
                        state: 'ACTIVATED',
                        activatedAt: 1_800_000_000_000,
                      },
                    ],
                  },
                },
              },
            },
          },
        });
      }),
    );
    const health = await client().health('G1');
    expect(seen.key).toBe(KEY);
    expect(seen.body.variables).toMatchObject({ guid: 'G1', account: 42 });
    expect(seen.body.variables.nrql).toBe(
      "SELECT rate(count(*), 1 minute) AS throughput, percentage(count(*), WHERE error IS true) AS errorRate, average(duration) AS responseTime, apdex(duration, t: 0.5) AS apdex FROM Transaction WHERE entityGuid = 'G1' SINCE 30 minutes ago TIMESERIES 1 minute",
    );
    expect(health).toEqual({
      entityGuid: 'G1',
      name: 'orders-api',
      url: 'https://one.eu.newrelic.com/redirect/entity/G1',
      tags: [
        { key: 'paved.dev/entity', values: ['component.default.orders-api'] },
      ],
      reporting: true,
      signals: {
        throughput: 120,
        errorRate: 0.02,
        responseTimeMs: 250,
        apdex: 0.9,
      },
      timeseries: [
        {
          timestamp: '2027-01-15T08:00:00.000Z',
          throughput: 100,
          errorRate: 0.05,
          responseTimeMs: 300,
          apdex: 0.8,
        },
      ],
      incidents: [
        {
          id: 'i1',
          title: 'High errors',
          priority: 'CRITICAL',
          state: 'ACTIVATED',
          openedAt: '2027-01-15T08:00:00.000Z',
          url: 'https://one.eu.newrelic.com/alerts-ai/issues/i1?accountId=42',
        },
      ],
    });
  });

  it.each([
    ['UNAUTHORIZED', AuthenticationError],
    ['INVALID_INPUT', InputError],
    ['SERVER_ERROR', ServiceUnavailableError],
  ])('turns an %s error into %p, without the key', async (errorClass, type) => {
    server.use(
      http.post(EU, () =>
        HttpResponse.json({
          data: null,
          errors: [{ message: 'nope', extensions: { errorClass } }],
        }),
      ),
    );
    const error = await client()
      .health('G1')
      .catch(e => e);
    expect(error).toBeInstanceOf(type);
    expect(error.message).toBe('New Relic: nope');
    expect(error.message).not.toContain(KEY);
  });

  it.each([
    [
      'not reporting',
      {
        reporting: false,
        apmSummary: {
          throughput: 0,
          errorRate: 0,
          responseTimeAverage: 0,
          apdexScore: 0,
        },
      },
    ],
    ['without an APM summary', { reporting: true, apmSummary: null }],
  ])(
    'answers no signals (not zeros) for an entity %s',
    async (_name, entity) => {
      server.use(
        http.post(EU, () =>
          HttpResponse.json({
            data: {
              actor: {
                entity: {
                  guid: 'G1',
                  name: 'orders-api',
                  permalink: 'p',
                  tags: [],
                  ...entity,
                },
                account: { aiIssues: { issues: { issues: [] } } },
              },
            },
          }),
        ),
      );
      const health = await client().health('G1');
      expect(health.signals).toBeNull();
      expect(health.reporting).toBe(entity.reporting);
    },
  );

  it('reads 429 and 5xx as unavailable, and a missing entity as not found', async () => {
    server.use(http.post(EU, () => new HttpResponse(null, { status: 429 })));
    await expect(client().health('G1')).rejects.toThrow(
      new ServiceUnavailableError('New Relic answered 429'),
    );
    server.use(
      http.post(EU, () =>
        HttpResponse.json({ data: { actor: { entity: null } } }),
      ),
    );
    await expect(client().health('G1')).rejects.toThrow(NotFoundError);
  });

  it('gives up after the timeout with a clear error', async () => {
    server.use(
      http.post(EU, async () => {
        await delay(3_000);
        return HttpResponse.json({});
      }),
    );
    await expect(client().health('G1')).rejects.toThrow(
      new ServiceUnavailableError('New Relic did not answer within 200 ms'),
    );
  });

  it('refuses a guid that would change the NRQL', async () => {
    await expect(client().health("G1' OR 1=1")).rejects.toThrow(InputError);
  });
});
