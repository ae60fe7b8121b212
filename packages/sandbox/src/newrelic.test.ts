import { ConfigReader } from '@backstage/config';
import { NewRelicClient } from '@paved/plugin-paved-node';
import { Sandbox, sandboxConfig, startSandbox } from './index';

/** A plain GraphQL client: POST { query, variables } with New Relic's API-Key header. */
async function nerdgraph(
  sandbox: Sandbox,
  query: string,
  variables: Record<string, unknown> = {},
  apiKey = sandbox.seed.newrelic.apiKey,
) {
  const res = await fetch(`${sandbox.url}/newrelic/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'API-Key': apiKey },
    body: JSON.stringify({ query, variables }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe('New Relic NerdGraph stand-in', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  const orders = () =>
    sandbox.seed.services.find(s => s.name === 'orders-api')!;

  it('finds APM entities by name and reports their summary', async () => {
    const { data, errors } = await nerdgraph(
      sandbox,
      `query ($q: String!) {
        actor { entitySearch(query: $q) { count results { entities {
          guid name entityType alertSeverity reporting permalink
          ... on ApmApplicationEntityOutline { apmSummary { throughput errorRate responseTimeAverage apdexScore instanceCount } }
        } } } }
      }`,
      { q: "name = 'orders-api' AND domain = 'APM'" },
    );
    expect(errors).toBeUndefined();
    const [entity] = data.actor.entitySearch.results.entities;
    expect(entity).toMatchObject({
      guid: orders().newrelicGuid,
      name: 'orders-api',
      entityType: 'APM_APPLICATION_ENTITY',
      alertSeverity: 'CRITICAL',
      reporting: true,
    });
    expect(entity.apmSummary.errorRate).toBeGreaterThan(0.01);
    expect(entity.apmSummary.instanceCount).toBe(2);
  });

  it('answers a 30-minute NRQL timeseries for an entity, deterministically', async () => {
    const query = `query ($guid: EntityGuid!, $nrql: Nrql!) {
      actor { entity(guid: $guid) { name
        first: nrdbQuery(nrql: $nrql) { results metadata { timeWindow { begin end } } }
        second: nrdbQuery(nrql: $nrql) { results } } }
    }`;
    const nrql =
      'SELECT rate(count(*), 1 minute) AS throughput, percentage(count(*), WHERE error IS true) AS errorRate, average(duration) AS responseTime, apdex(duration, t: 0.5) AS apdex FROM Transaction SINCE 30 minutes ago TIMESERIES 5 minutes';
    const variables = { guid: orders().newrelicGuid, nrql };
    const { data } = await nerdgraph(sandbox, query, variables);
    const results = data.actor.entity.first.results;
    expect(results).toHaveLength(6);
    expect(Object.keys(results[0]).sort()).toEqual([
      'apdex',
      'beginTimeSeconds',
      'endTimeSeconds',
      'errorRate',
      'responseTime',
      'throughput',
    ]);
    expect(results.every((r: { errorRate: number }) => r.errorRate > 1)).toBe(
      true,
    );
    // Deterministic: the same entity, metric and minute give the same value.
    expect(data.actor.entity.second.results).toEqual(results);
  });

  it('lists open issues of an account, filtered by entity', async () => {
    const { data } = await nerdgraph(
      sandbox,
      `query ($account: Int!, $guids: [EntityGuid!]) {
        actor { account(id: $account) { aiIssues { issues(filter: { entityGuids: $guids, states: [ACTIVATED] }) {
          issues { issueId title priority state entityNames }
        } } } }
      }`,
      {
        account: sandbox.seed.newrelic.accountId,
        guids: [orders().newrelicGuid],
      },
    );
    expect(data.actor.account.aiIssues.issues.issues).toEqual([
      expect.objectContaining({
        priority: 'CRITICAL',
        state: 'ACTIVATED',
        entityNames: ['orders-api'],
        title: ['orders-api: Error percentage > 5% for at least 5 minutes'],
      }),
    ]);
  });

  it('validates every document against NerdGraph’s real schema first, with its messages', async () => {
    // NerdGraph's own schema (recorded from New Relic's Go client) decides what is valid, with graphql's messages.
    const unknown = await nerdgraph(sandbox, '{ actor { nosuchfield } }');
    expect(unknown.errors[0].message).toBe(
      'Cannot query field "nosuchfield" on type "Actor".',
    );
    const wrongArgument = await nerdgraph(
      sandbox,
      '{ actor { entity(id: "x") { guid } } }',
    );
    expect(wrongArgument.errors.map((e: any) => e.message)).toEqual(
      expect.arrayContaining([
        'Unknown argument "id" on field "Actor.entity".',
      ]),
    );
  });

  it('reports problems in errors[] with HTTP 200, as NerdGraph does', async () => {
    const unknownField = await nerdgraph(
      sandbox,
      '{ actor { entity(guid: "x") { goldenSignals } } }',
    );
    expect(unknownField.errors[0].message).toMatch(
      /Cannot query field "goldenSignals" on type "Entity"/,
    );
    const badKey = await nerdgraph(
      sandbox,
      '{ actor { user { name } } }',
      {},
      'NRAK-WRONG',
    );
    expect(badKey).toEqual({
      data: { actor: null },
      errors: [
        {
          message: 'Invalid API key',
          extensions: { errorClass: 'UNAUTHORIZED' },
        },
      ],
    });
    const badNrql = await nerdgraph(
      sandbox,
      `query ($a: Int!) { actor { account(id: $a) { nrql(query: "FROM nothing") { results } } } }`,
      { a: sandbox.seed.newrelic.accountId },
    );
    expect(badNrql.errors[0]).toMatchObject({
      message: expect.stringMatching(/^NRQL Syntax Error/),
      extensions: { errorClass: 'INVALID_INPUT' },
    });
  });

  it('shows a down service as not reporting, with no summary', async () => {
    const worker = sandbox.seed.services.find(s => s.name === 'ledger-worker')!;
    const { data } = await nerdgraph(
      sandbox,
      `query ($g: EntityGuid!) { actor { entity(guid: $g) { reporting ... on ApmApplicationEntity { apmSummary { throughput } } } } }`,
      { g: worker.newrelicGuid },
    );
    expect(data.actor.entity).toEqual({ reporting: false, apmSummary: null });
  });

  it("answers Paved's NewRelicClient: signals, a 30-minute timeseries and the open incident", async () => {
    const client = NewRelicClient.fromConfig(
      new ConfigReader(sandboxConfig(sandbox)),
    )!;
    const health = await client.health(orders().newrelicGuid);
    expect(health).toMatchObject({
      entityGuid: orders().newrelicGuid,
      name: 'orders-api',
      url: `https://one.newrelic.com/redirect/entity/${orders().newrelicGuid}`,
    });
    expect(health.signals!.errorRate).toBeGreaterThan(0.01);
    expect(health.signals!.responseTimeMs).toBeGreaterThan(100);
    expect(health.timeseries).toHaveLength(30);
    expect(health.incidents).toEqual([
      expect.objectContaining({ priority: 'CRITICAL', state: 'ACTIVATED' }),
    ]);
    expect(await client.findEntityGuid('payments-api')).toBe(
      sandbox.seed.services[0].newrelicGuid,
    );
    expect(await client.findEntityGuid('nope')).toBeUndefined();
  });
});
