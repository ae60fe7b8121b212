import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  type ActionCase,
  entityRouteCases,
  generatedCases,
  type RouteCase,
} from './__testUtils__/corpus';
import { isWrite, type Portal, startPortal } from './__testUtils__/harness';
import {
  ESCAPE_PAYLOADS,
  ESCAPE_CODE,
  EXECUTED_MARK,
} from '@paved/plugin-template-sync-node/testUtils';

jest.setTimeout(120_000);

// The reliability suite (issue 12): Paved's backend as installed — actions, runtime health, template sync, with the
// real clients — against the sandbox, where every secret is a canary. See README.md beside this file.

let portal: Portal;
const ORG = 'paved-demo';
const host = () => new URL(portal.sandbox.url).host;
const repoUrl = (repo: string) => `${host()}?owner=${ORG}&repo=${repo}`;
const fixtureSource = () => `${portal.sandbox.url}/${ORG}/service-template.git`;
/** Every case the suite ran, counted for the corpus total. */
const counted = { actions: 0, routes: 0 };

/** Publishes a service rendered from the fixture template at v1.0.0 (v2.0.0 is out); `legacy`: as an old copy, without answers or provenance. */
async function publishService(repo: string, legacy = false) {
  const ws = await portal.workspace();
  await portal.run(
    'paved:template:fetch',
    { source: fixtureSource(), version: 'v1.0.0', values: { name: repo } },
    { workspacePath: ws },
  );
  if (legacy) {
    await fs.rm(path.join(ws, '.copier-answers.yml'));
    const catalog = path.join(ws, 'catalog-info.yaml');
    await fs.writeFile(
      catalog,
      (
        await fs.readFile(catalog, 'utf8')
      ).replace(/\n {2}annotations:\n( {4}paved\.dev\/.*\n)+/, '\n'),
    );
  }
  await portal.sandbox.github.publish(repo, ws);
}

beforeAll(async () => {
  portal = await startPortal();
  await publishService('corpus-service');
  await publishService('corpus-legacy', true);
});
afterAll(async () => {
  await portal?.stop();
});

/** Valid inputs of every action; each generated case changes one thing in them. */
const VALID: Record<string, () => Record<string, unknown>> = {
  'paved:preflight': () => ({
    entityRef: 'component:default/corpus-new-api',
    owner: 'group:default/payments-team',
    repoUrl: `${portal.sandbox.url}/${ORG}/corpus-new-api`,
    namespace: 'payments',
    clusters: ['dev-eu'],
    appName: 'corpus-new-api',
    answers: { name: 'corpus-new-api' },
  }),
  'paved:namespace:provision': () => ({
    name: 'corpus-team',
    owner: 'group:default/payments-team',
    clusters: ['dev-eu'],
    tier: 'small',
    labels: { 'cost-center': 'cc-1' },
    annotations: { note: 'corpus' },
    viewerGroups: ['support'],
    mode: 'gitops',
  }),
  'paved:argocd:register': () => ({
    entityRef: 'component:default/payments-api',
    owner: 'group:default/payments-team',
    repoUrl: `${portal.sandbox.url}/${ORG}/payments-api`,
    path: 'chart',
    valueFiles: ['values.yaml'],
    cluster: 'dev-eu',
    namespace: 'payments',
    mode: 'gitops',
  }),
  'paved:template:fetch': () => ({
    template: 'typescript-service',
    values: {
      name: 'corpus-api',
      owner: 'group:default/payments-team',
      tier: 'small',
      clusters: ['dev-eu'],
      github_owner: ORG,
    },
    targetPath: 'service',
  }),
  'paved:template:update': () => ({
    repoUrl: repoUrl('corpus-service'),
    answersFile: '.copier-answers.yml',
    baseBranch: 'main',
  }),
  'paved:template:adopt': () => ({
    repoUrl: repoUrl('corpus-legacy'),
    source: fixtureSource(),
    version: 'v1.0.0',
    values: { name: 'corpus-legacy' },
  }),
};

/** Runs a case that must fail: the error, what it wrote upstream, and what it left in its workspace. */
async function refused(actionId: string, input: unknown) {
  const workspacePath = await portal.workspace();
  const before = portal.sandbox.requests.length;
  let error: Error | undefined;
  try {
    await portal.run(actionId, input, { workspacePath });
  } catch (e) {
    error = e as Error;
  }
  if (error) portal.responses.push(error.message);
  return {
    error,
    writes: portal.sandbox.requests.slice(before).filter(isWrite),
    left: await fs.readdir(workspacePath),
  };
}

describe('bad input to every action is refused clearly, and nothing is written', () => {
  it('the valid inputs the corpus mutates are accepted (dry run)', async () => {
    for (const actionId of [
      'paved:preflight',
      'paved:namespace:provision',
      'paved:argocd:register',
      'paved:template:fetch',
      'paved:template:update',
      'paved:template:adopt',
    ]) {
      await expect(
        portal.run(actionId, VALID[actionId](), { isDryRun: true }),
      ).resolves.toBeDefined();
    }
  });

  it.each(Object.keys(VALID))(
    '%s: every input its schema forbids is an InputError naming the field',
    async actionId => {
      const action = portal.actions.find(a => a.id === actionId)!;
      const cases = generatedCases(
        actionId,
        action.schema?.input as any,
        VALID[actionId](),
      );
      expect(cases.length).toBeGreaterThanOrEqual(15);
      const failures: string[] = [];
      for (const c of cases) {
        const { error, writes, left } = await refused(actionId, c.input);
        if (error?.name !== 'InputError')
          failures.push(`${c.title}: ${error?.name ?? 'no error'}`);
        else if (!c.mentions.test(error.message))
          failures.push(`${c.title}: message "${error.message}"`);
        if (writes.length)
          failures.push(
            `${c.title}: wrote ${writes.map(w => `${w.method} ${w.path}`)}`,
          );
        if (left.length) failures.push(`${c.title}: left ${left}`);
      }
      counted.actions += cases.length;
      expect(failures).toEqual([]);
    },
  );

  // What a schema cannot say: hosts and sources outside the allowed ones, paths that leave the workspace or the
  // repository, names Kubernetes or git would refuse, clusters and instances that do not exist.
  const domain: Array<Omit<ActionCase, 'input'> & { input: () => unknown }> = [
    ...(
      [
        ['an upper-case namespace', { name: 'Payments' }, /name/],
        ['a namespace with a dot', { name: 'pay.ments' }, /name/],
        ['a user as owner', { owner: 'user:default/alice' }, /owner|[Gg]roup/],
        ['an unknown cluster', { clusters: ['mars-1'] }, /mars-1/],
        [
          'clusters and an environment',
          { environment: 'dev' },
          /clusters|environment/,
        ],
        ['an unknown tier', { tier: 'gigantic' }, /gigantic|tier/],
        [
          'a paved.dev label',
          { labels: { 'paved.dev/owner': 'x' } },
          /paved\.dev/,
        ],
        [
          'a paved.dev annotation',
          { annotations: { 'paved.dev/owner-ref': 'x' } },
          /paved\.dev/,
        ],
        ['a label key with a space', { labels: { 'a b': 'x' } }, /a b|label/],
        [
          'a role that is not an IAM role ARN',
          { workloadRoleArn: 'arn:aws:s3:::bucket' },
          /workloadRoleArn|ARN|arn/,
        ],
      ] as const
    ).map(([title, change, mentions]) => ({
      actionId: 'paved:namespace:provision',
      title,
      input: () => ({ ...VALID['paved:namespace:provision'](), ...change }),
      mentions,
    })),
    ...(
      [
        [
          'a repository on the cloud metadata address',
          { repoUrl: 'http://169.254.169.254/latest/meta-data' },
          /169\.254\.169\.254 has no SCM integration/,
        ],
        [
          'a file URL',
          { repoUrl: 'file:///etc/passwd' },
          /repoUrl|file|allowed/,
        ],
        ['a chart path leaving the repository', { path: '../../etc' }, /path/],
        ['an absolute chart path', { path: '/etc' }, /path/],
        [
          'a values file leaving the repository',
          { valueFiles: ['../secrets.yaml'] },
          /valueFiles|\.\./,
        ],
        ['an unknown cluster', { cluster: 'mars-1' }, /mars-1/],
        ['an unknown Argo CD instance', { instance: 'nope' }, /nope/],
        [
          'a malformed entity reference',
          { entityRef: 'not a ref' },
          /not a ref/,
        ],
        ['an upper-case application name', { appName: 'Bad_Name' }, /Bad_Name/],
        ['an upper-case namespace', { namespace: 'Payments' }, /namespace/],
      ] as const
    ).map(([title, change, mentions]) => ({
      actionId: 'paved:argocd:register',
      title,
      input: () => ({ ...VALID['paved:argocd:register'](), ...change }),
      mentions,
    })),
    ...(
      [
        [
          'a source outside the allowed ones',
          { template: undefined, source: 'https://evil.example.com/t.git' },
          /allowed/,
        ],
        [
          'a local path as source',
          { template: undefined, source: '/etc' },
          /allowed|source/,
        ],
        [
          'a template name that is not configured',
          { template: 'no-such-template' },
          /no-such-template/,
        ],
        [
          'both a source and a template',
          { source: 'http://127.0.0.1:1/paved-demo/service-template.git' },
          /source|template/,
        ],
        [
          'a target leaving the workspace',
          { targetPath: '../out' },
          /targetPath/,
        ],
        ['an absolute target', { targetPath: '/tmp/out' }, /targetPath/],
        [
          'an answers file leaving the workspace',
          { answersFile: '../../answers.yml' },
          /answersFile/,
        ],
        [
          'answers the template refuses',
          {
            values: {
              ...(VALID['paved:template:fetch']().values as object),
              name: 'Not A DNS Label',
            },
          },
          /name/,
        ],
      ] as const
    ).map(([title, change, mentions]) => ({
      actionId: 'paved:template:fetch',
      title,
      input: () => ({ ...VALID['paved:template:fetch'](), ...change }),
      mentions,
    })),
    ...(['paved:template:update', 'paved:template:adopt'] as const).flatMap(
      actionId =>
        (
          [
            [
              'a repository on a host without an integration',
              { repoUrl: '169.254.169.254?owner=x&repo=y' },
              /169\.254\.169\.254|integration/,
            ],
            [
              'a repository form without a repository',
              { repoUrl: `${'127.0.0.1:1'}?owner=${ORG}` },
              /repo/,
            ],
            [
              'an answers file leaving the repository',
              { answersFile: '../answers.yml' },
              /answersFile/,
            ],
            [
              'an answers file that is not YAML',
              { answersFile: 'answers.txt' },
              /answersFile/,
            ],
            [
              'a base branch that is a git option',
              { baseBranch: '--upload-pack=touch' },
              /baseBranch/,
            ],
            [
              'a version that is a git option',
              { version: '--output=/tmp/x' },
              /version/,
            ],
          ] as const
        ).map(([title, change, mentions]) => ({
          actionId,
          title,
          input: () => ({ ...VALID[actionId](), ...change }),
          mentions,
        })),
    ),
  ];

  it.each(domain.map(c => [`${c.actionId}: ${c.title}`, c] as const))(
    '%s',
    async (_title, c) => {
      const { error, writes, left } = await refused(c.actionId, c.input());
      counted.actions++;
      expect(error).toBeDefined();
      expect(c.errors ?? ['InputError', 'NotFoundError']).toContain(
        error!.name,
      );
      expect(error!.message).toMatch(c.mentions);
      expect(writes).toEqual([]);
      expect(left).toEqual([]);
    },
  );
});

describe('bad requests to every route are 4xx with a clear message, and nothing is written', () => {
  const fleet = (query: string, status = 400): RouteCase => ({
    title: `GET /api/template-sync/fleet?${query}`,
    method: 'get',
    url: `/api/template-sync/fleet?${query}`,
    status,
  });
  const cases: RouteCase[] = [
    ...entityRouteCases('get', '/api/runtime-health'),
    ...entityRouteCases('get', '/api/template-sync'),
    ...entityRouteCases('post', '/api/template-sync', '/sync'),
    ...[
      'limit=0',
      'limit=-1',
      'limit=501',
      'limit=abc',
      'limit=1.5',
      'offset=-1',
      'offset=x',
      'status=bogus',
      'status=up-to-date,bogus',
      'status[a]=b',
      'foo=1',
      `q=${'q'.repeat(201)}`,
      'source=',
      `owner=${'o'.repeat(301)}`,
      'limit=1&limit=2',
    ].map(q => fleet(q)),
    {
      title: 'POST …/sync with a body',
      method: 'post',
      url: '/api/template-sync/entity/default/component/payments-api/sync',
      body: { force: true },
      status: 400,
    },
    {
      title: 'POST …/sync with a body over 10 kB',
      method: 'post',
      url: '/api/template-sync/entity/default/component/payments-api/sync',
      body: { padding: 'x'.repeat(20_000) },
      status: 413,
    },
    {
      title: 'POST …/sync with JSON that does not parse',
      method: 'post',
      url: '/api/template-sync/entity/default/component/payments-api/sync',
      body: '{"force": tru',
      status: 400,
    },
    {
      title: 'GET an unknown runtime-health route',
      method: 'get',
      url: '/api/runtime-health/health',
      status: 404,
      unrouted: true,
    },
    {
      title: 'POST to the read-only runtime-health route',
      method: 'post',
      url: '/api/runtime-health/entity/default/component/payments-api',
      status: 404,
      unrouted: true,
    },
    {
      title: 'GET the sync route (POST only)',
      method: 'get',
      url: '/api/template-sync/entity/default/component/payments-api/sync',
      status: 404,
      unrouted: true,
    },
  ];

  it.each(cases.map(c => [c.title, c] as const))('%s', async (_title, c) => {
    const before = portal.sandbox.requests.length;
    const response = await portal.http(c.method, c.url, c.body);
    counted.routes++;
    expect(response.status).toBe(c.status);
    // Paths no route serves are express's plain 404; every route's own refusal is Backstage's JSON error.
    const message: unknown = response.body?.error?.message;
    expect(
      c.unrouted || (typeof message === 'string' && message.length > 5),
    ).toBe(true);
    // Refused before any upstream call.
    expect(portal.sandbox.requests.slice(before)).toEqual([]);
  });
});

describe('every action run twice leaves the same state as run once', () => {
  const twice = async (
    actionId: string,
    input: Record<string, unknown>,
    workspacePath?: string,
  ) => {
    const first = await portal.run(actionId, input, { workspacePath });
    const once = await portal.sandbox.snapshot();
    const second = await portal.run(actionId, input, { workspacePath });
    const again = await portal.sandbox.snapshot();
    return { first, second, once, again };
  };

  it.each([
    [
      'paved:namespace:provision',
      'gitops',
      () => ({
        ...VALID['paved:namespace:provision'](),
        name: 'idem-gitops',
      }),
    ],
    [
      'paved:argocd:register',
      'gitops',
      () => ({ ...VALID['paved:argocd:register'](), appName: 'idem-gitops' }),
    ],
    [
      'paved:template:update',
      'pull request',
      () => VALID['paved:template:update'](),
    ],
    [
      'paved:template:adopt',
      'pull request',
      () => VALID['paved:template:adopt'](),
    ],
  ] as const)(
    '%s (%s): one pull request, untouched by the second run',
    async (actionId, _mode, input) => {
      const { first, second, once, again } = await twice(actionId, input());
      expect(again).toEqual(once);
      expect(first.pullRequestUrl).toMatch(/\/pull\/\d+$/);
      expect(second.pullRequestUrl).toBe(first.pullRequestUrl);
    },
  );

  it('paved:namespace:provision (apply): the second run changes no object', async () => {
    const { first, second, once, again } = await twice(
      'paved:namespace:provision',
      {
        ...VALID['paved:namespace:provision'](),
        name: 'idem-apply',
        mode: 'apply',
      },
    );
    expect(again).toEqual(once);
    expect(first.objects.some((o: any) => o.changed)).toBe(true);
    expect(second.objects.filter((o: any) => o.changed)).toEqual([]);
  });

  it('paved:argocd:register (api): the second run finds both objects unchanged', async () => {
    const { first, second, once, again } = await twice(
      'paved:argocd:register',
      { ...VALID['paved:argocd:register'](), appName: 'idem-api', mode: 'api' },
    );
    expect(again).toEqual(once);
    expect(first.applicationChanges).toEqual({ 'idem-api': 'created' });
    expect(second).toMatchObject({
      applicationChanges: { 'idem-api': 'unchanged' },
      projectChange: 'unchanged',
    });
  });

  it('paved:template:fetch: a second render into the same workspace refuses to touch it, or with overwrite renders the same tree', async () => {
    const ws = await portal.workspace();
    const before = await portal.sandbox.snapshot();
    const tree = async () => {
      const files = (await fs.readdir(ws, { recursive: true })).sort();
      return Promise.all(
        files.map(async f => {
          const full = path.join(ws, f);
          return (await fs.stat(full)).isFile()
            ? [f, await fs.readFile(full, 'utf8')]
            : [f];
        }),
      );
    };
    const input = VALID['paved:template:fetch']();
    const first = await portal.run('paved:template:fetch', input, {
      workspacePath: ws,
    });
    const once = await tree();
    // catalog-info.yaml now carries the provenance annotations, so it differs from the plain render.
    await expect(
      portal.run('paved:template:fetch', input, { workspacePath: ws }),
    ).rejects.toThrow(/catalog-info\.yaml.*overwrite/);
    expect(await tree()).toEqual(once);
    const again = await portal.run(
      'paved:template:fetch',
      { ...input, overwrite: true },
      { workspacePath: ws },
    );
    expect(await tree()).toEqual(once);
    const { files: _files, ...result } = first;
    expect(again).toMatchObject(result);
    expect(await portal.sandbox.snapshot()).toEqual(before); // rendering writes nothing upstream
  });
});

describe('faults upstream: a clear error or a retry, never a hang or a partial write', () => {
  const fault = (f: Record<string, unknown>) =>
    fetch(`${portal.sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify(f),
    });
  afterEach(() => portal.sandbox.faults.clear());
  let n = 0;
  const namespace = (mode: 'gitops' | 'apply') => ({
    ...VALID['paved:namespace:provision'](),
    name: `fault-${mode}-${++n}`,
    mode,
  });
  const application = (mode: 'gitops' | 'api') => ({
    ...VALID['paved:argocd:register'](),
    appName: `fault-${mode}-${++n}`,
    mode,
  });

  // Upstream, the action that needs it, the path to break. (EKS is read once per cluster and cached, so the actions
  // here do not reach it; EKS faults are covered by the catalog provider's and ClusterRegistry's own tests.)
  const upstreams = [
    [
      'GitHub',
      (): [string, Record<string, unknown>] => [
        'paved:namespace:provision',
        namespace('gitops'),
      ],
      '^/api/v3/',
    ],
    [
      'Kubernetes',
      (): [string, Record<string, unknown>] => [
        'paved:namespace:provision',
        namespace('apply'),
      ],
      '^/k8s/',
    ],
    [
      'Argo CD',
      (): [string, Record<string, unknown>] => [
        'paved:argocd:register',
        application('api'),
      ],
      '^/argocd/',
    ],
  ] as const;

  /** The step fails with a message naming the status, leaves no state behind, and succeeds once the fault is gone. */
  async function failsCleanly(
    actionId: string,
    input: Record<string, unknown>,
    status: RegExp,
  ) {
    const before = await portal.sandbox.snapshot();
    const failed = await portal.run(actionId, input).then(
      () => undefined,
      e => e as Error,
    );
    expect(failed).toBeInstanceOf(Error);
    expect(failed!.message).toMatch(status);
    portal.responses.push(failed!.message);
    expect(await portal.sandbox.snapshot()).toEqual(before);
    portal.sandbox.faults.clear();
    await expect(portal.run(actionId, input)).resolves.toBeDefined();
  }

  it.each(upstreams)(
    '%s answering 503: a clear error, nothing written, and success once it recovers',
    async (_name, make, pathPattern) => {
      const [actionId, input] = make();
      await fault({ path: pathPattern, status: 503 });
      await failsCleanly(actionId, input, /503|[Uu]navailable/);
    },
  );

  it.each(upstreams)(
    '%s answering 429 once: retried after its Retry-After, and the step succeeds',
    async (_name, make, pathPattern) => {
      const [actionId, input] = make();
      await fault({ path: pathPattern, status: 429, retryAfter: 1, times: 1 });
      const before = portal.sandbox.requests.length;
      await expect(portal.run(actionId, input)).resolves.toBeDefined();
      const sent = portal.sandbox.requests
        .slice(before)
        .filter(r => new RegExp(pathPattern).test(r.path));
      expect(sent.length).toBeGreaterThan(1);
    },
  );

  it.each(upstreams)(
    '%s rate limiting for longer than Paved waits (Retry-After 60 s): a clear error, nothing written, success on a re-run',
    async (_name, make, pathPattern) => {
      const [actionId, input] = make();
      await fault({ path: pathPattern, status: 429, retryAfter: 60 });
      await failsCleanly(actionId, input, /429|rate limit/i);
    },
  );

  it.each(upstreams)(
    '%s accepting connections and never answering: the step gives up with a clear error, nothing written',
    async (_name, make, pathPattern) => {
      const [actionId, input] = make();
      await fault({ path: pathPattern, timeout: true });
      await failsCleanly(
        actionId,
        input,
        /did not answer|timeout|timed out|aborted/i,
      );
    },
  );

  it.each(upstreams)(
    '%s slow (400 ms a request): the step succeeds',
    async (_name, make, pathPattern) => {
      const [actionId, input] = make();
      await fault({ path: pathPattern, latencyMs: 400 });
      await expect(portal.run(actionId, input)).resolves.toBeDefined();
    },
  );

  const healthOf = async (entity = 'payments-api') => {
    const response = await portal.http(
      'get',
      `/api/runtime-health/entity/default/component/${entity}`,
    );
    expect(response.status).toBe(200);
    return response.body;
  };

  it.each([
    ['kubernetes', '^/k8s/'],
    ['argocd', '^/argocd/'],
    ['newrelic', '^/newrelic/'],
  ] as const)(
    'runtime health with %s down, failing, rate limited or slow: the other sources still answer',
    async (source, pathPattern) => {
      const healthy = await healthOf();
      expect(healthy.sources[source].status).toBe('ok');
      const outcomes: Record<string, string> = {};
      const noted: Record<string, boolean> = {};
      const confidence: Record<string, string> = {};
      for (const [kind, f] of [
        ['down', { timeout: true }],
        ['503', { status: 503 }],
        ['429', { status: 429, retryAfter: 30 }],
        ['slow', { latencyMs: 300 }],
      ] as const) {
        portal.sandbox.faults.clear();
        await fault({ path: pathPattern, ...f });
        const body = await healthOf();
        const read = body.sources[source];
        // Kubernetes reads each cluster on its own; every cluster failing is the source failing (never "ok, empty").
        outcomes[kind] = read.status;
        confidence[kind] = body.confidence;
        const others = Object.entries(body.sources).filter(
          ([k]) => k !== source,
        );
        for (const [, other] of others)
          expect((other as any).status).toBe('ok');
        noted[kind] = /could not be read/.test(body.reasons.join(' '));
      }
      // Every failure is also said in the verdict's reasons.
      expect(noted).toEqual({
        down: true,
        '503': true,
        '429': true,
        slow: false,
      });
      // A failed source lowers the verdict's confidence, and only then.
      expect(confidence).toEqual({
        down: 'partial',
        '503': 'partial',
        '429': 'partial',
        slow: 'full',
      });
      const failed = 'error';
      expect(outcomes).toEqual({
        // The source's budget, or its client's own timeout when that is shorter.
        down: expect.stringMatching(/^(timeout|error)$/),
        '503': failed,
        '429': failed,
        slow: 'ok',
      });
    },
  );
});

describe('permission denials', () => {
  afterEach(() => {
    portal.policy.deny = false;
  });

  it.each([
    ['get', '/api/runtime-health/entity/default/component/payments-api'],
    ['get', '/api/template-sync/entity/default/component/payments-api'],
    ['post', '/api/template-sync/entity/default/component/payments-api/sync'],
  ] as const)(
    '%s %s is 403 and reads nothing upstream',
    async (method, url) => {
      portal.policy.deny = true;
      const before = portal.sandbox.requests.length;
      const response = await portal.http(method, url);
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
      expect(portal.sandbox.requests.slice(before)).toEqual([]);
    },
  );

  it('the fleet shows nothing the caller may not read', async () => {
    // One instance the fleet knows, so an empty answer below means "hidden", not "nothing there".
    const synced = await portal.http(
      'post',
      '/api/template-sync/entity/default/component/orders-api/sync',
    );
    expect(synced.status).toBe(200);
    const allowed = await portal.http('get', '/api/template-sync/fleet');
    portal.policy.deny = true;
    const denied = await portal.http('get', '/api/template-sync/fleet');
    expect(denied.status).toBe(200);
    expect(denied.body).toEqual({ templates: [], instances: [], total: 0 });
    expect(allowed.status).toBe(200);
    expect(allowed.body.total).toBeGreaterThan(0);
  });
});

describe('oversized input is refused briefly', () => {
  it.each(Object.keys(VALID))(
    '%s refuses a 200 kB text and a 1 MB input, quoting a short prefix only, writing nothing',
    async actionId => {
      const valid = VALID[actionId]();
      const key = Object.keys(valid).find(k => typeof valid[k] === 'string')!;
      for (const input of [
        { ...valid, [key]: 'a'.repeat(200_000) },
        {
          ...valid,
          padding: Array.from({ length: 5_000 }, () => 'x'.repeat(200)),
        },
      ]) {
        const { error, writes, left } = await refused(actionId, input);
        expect(error?.name).toBe('InputError');
        expect(error!.message.length).toBeLessThan(300);
        expect(error!.message).toMatch(
          /characters long, at most 8192|bytes, at most 65536/,
        );
        expect(writes).toEqual([]);
        expect(left).toEqual([]);
      }
    },
  );
});

describe('actions bound to their caller', () => {
  // guest is a member of payments-team in the example catalog; orders-team owns orders-api.
  const GUEST = 'user:default/guest';
  const forOrders: Record<string, () => Record<string, unknown>> = {
    'paved:preflight': () => ({
      ...VALID['paved:preflight'](),
      owner: 'group:default/orders-team',
      namespace: 'orders',
    }),
    'paved:namespace:provision': () => ({
      ...VALID['paved:namespace:provision'](),
      name: 'orders',
      owner: 'group:default/orders-team',
    }),
    'paved:argocd:register': () => ({
      ...VALID['paved:argocd:register'](),
      entityRef: 'component:default/orders-api',
      owner: 'group:default/orders-team',
      namespace: 'orders',
    }),
    'paved:template:fetch': () => {
      const input = VALID['paved:template:fetch']();
      return {
        ...input,
        values: {
          ...(input.values as object),
          owner: 'group:default/orders-team',
        },
      };
    },
    'paved:template:adopt': () => ({
      ...VALID['paved:template:adopt'](),
      values: { name: 'corpus-legacy', owner: 'group:default/orders-team' },
    }),
    'paved:template:update': () => ({
      ...VALID['paved:template:update'](),
      repoUrl: repoUrl('orders-api'),
    }),
  };

  it.each(Object.keys(forOrders))(
    '%s for another team is refused with NotAllowedError, before any write, dry run or not',
    async actionId => {
      for (const isDryRun of [false, true]) {
        const workspacePath = await portal.workspace();
        const before = await portal.sandbox.snapshot();
        const error = await portal
          .run(actionId, forOrders[actionId](), {
            workspacePath,
            isDryRun,
            user: GUEST,
          })
          .catch(e => e);
        portal.responses.push(String(error?.message));
        expect(error?.name).toBe('NotAllowedError');
        expect(error.message).toMatch(/^user:default\/guest may not /);
        expect(await portal.sandbox.snapshot()).toEqual(before);
        expect(await fs.readdir(workspacePath)).toEqual([]);
      }
    },
  );

  it("paved:template:adopt of another team's repository is refused, even with the caller's own team as owner", async () => {
    const before = await portal.sandbox.snapshot();
    const error = await portal
      .run(
        'paved:template:adopt',
        {
          ...VALID['paved:template:adopt'](),
          repoUrl: repoUrl('orders-api'),
          values: { name: 'orders-api', owner: 'group:default/payments-team' },
        },
        { user: GUEST },
      )
      .catch(e => e);
    portal.responses.push(String(error?.message));
    expect(error?.name).toBe('NotAllowedError');
    expect(error.message).toMatch(
      /^user:default\/guest may not adopt .*orders-api.*: .* belongs to group:default\/orders-team$/,
    );
    expect(await portal.sandbox.snapshot()).toEqual(before);
  });

  it('the same user may act for their own team', async () => {
    const outputs = await portal.run(
      'paved:namespace:provision',
      VALID['paved:namespace:provision'](),
      { isDryRun: true, user: GUEST },
    );
    expect(outputs.ownerRef).toBe('group:default/payments-team');
  });
});

describe('templates cannot run code in the backend', () => {
  const CANARY = `paved-render-canary-${Date.now()}`;
  /** How each payload ended, so the suite proves it rendered templates at all (not, say, failed to fetch them). */
  const outcomes = { refusedBySandbox: 0, renderedInertly: 0 };
  beforeAll(async () => {
    process.env.PAVED_CANARY = CANARY;
    // One folder per payload in one template repository: each a template whose only file is the payload.
    const dir = await portal.workspace();
    for (const [i, payload] of ESCAPE_PAYLOADS.entries()) {
      const folder = path.join(dir, `p${i}`);
      await fs.mkdir(folder, { recursive: true });
      await fs.writeFile(path.join(folder, 'copier.yml'), 'name: x\n');
      await fs.writeFile(path.join(folder, 'out.txt.jinja'), payload.template);
    }
    // The same payload as a question default, where copier.yml expressions are rendered.
    await fs.mkdir(path.join(dir, 'question'), { recursive: true });
    await fs.writeFile(
      path.join(dir, 'question', 'copier.yml'),
      `name:\n  default: ${JSON.stringify(
        `{{ range.constructor(${JSON.stringify(ESCAPE_CODE)})() }}`,
      )}\n`,
    );
    await portal.sandbox.github.publish('escape-templates', dir);
    await portal.sandbox.github.commit(
      'escape-templates',
      { 'README.md': 'payloads\n' },
      { tag: 'v1.0.0' },
    );
  });
  afterAll(() => {
    delete process.env.PAVED_CANARY;
  });

  it.each([
    ...ESCAPE_PAYLOADS.map((p, i) => [`${p.family}: ${p.name}`, `p${i}`]),
    ['copier.yml: a question default', 'question'],
  ])(
    'paved:template:fetch of %s (dry run, as any signed-in user may) renders inertly or is refused',
    async (_name, folder) => {
      const workspacePath = await portal.workspace();
      let outputs: Record<string, any> | undefined;
      let error: Error | undefined;
      try {
        outputs = await portal.run(
          'paved:template:fetch',
          {
            source: `${portal.sandbox.url}/${ORG}/escape-templates.git//${folder}`,
            values: { name: 'x' },
          },
          { workspacePath, isDryRun: true, user: 'user:default/guest' },
        );
      } catch (e) {
        error = e as Error;
      }
      const rendered = await fs
        .readFile(path.join(workspacePath, 'out.txt'), 'utf8')
        .catch(() => '');
      portal.responses.push(String(error?.message), rendered);
      // Refused: a bad input (400), never a JavaScript error.
      expect(error === undefined || error.name === 'InputError').toBe(true);
      const said = `${error?.message} ${rendered} ${JSON.stringify(outputs)}`;
      expect(said).not.toContain(CANARY);
      // Renders run in a render process without the backend's environment: the mark shows execution there.
      expect(said).not.toContain(EXECUTED_MARK);
      expect((globalThis as any).__pavedPwned).toBeUndefined();
      // Refused where the engine rendered the payload, or rendered it (inertly) into out.txt.
      expect(
        error
          ? /^(out\.txt\.jinja|default of question "name"): /.test(
              error.message,
            )
          : (outputs?.files ?? []).includes('out.txt'),
      ).toBe(true);
      outcomes[error ? 'refusedBySandbox' : 'renderedInertly']++;
    },
  );

  it('rendered every payload through the engine: most refused, the rest inert', () => {
    expect(outcomes.refusedBySandbox + outcomes.renderedInertly).toBe(
      ESCAPE_PAYLOADS.length + 1,
    );
    expect(outcomes.refusedBySandbox).toBeGreaterThan(
      ESCAPE_PAYLOADS.length / 2,
    );
    // eslint-disable-next-line no-console
    console.log(
      `escape payloads: ${outcomes.refusedBySandbox} refused, ${outcomes.renderedInertly} inert`,
    );
  });
});

describe('templates cannot reach outside their allowed source or their own tree', () => {
  const fetchAs = async (source: string) => {
    const workspacePath = await portal.workspace();
    const before = portal.sandbox.requests.length;
    const error = await portal
      .run(
        'paved:template:fetch',
        { source, values: { name: 'x' } },
        { workspacePath, isDryRun: true, user: 'user:default/guest' },
      )
      .then(
        () => undefined,
        e => e as Error,
      );
    portal.responses.push(String(error?.message));
    return {
      error,
      requests: portal.sandbox.requests.slice(before),
      left: await fs.readdir(workspacePath, { recursive: true }),
    };
  };

  it.each([
    ['dot segments', (u: string) => `${u}/${ORG}/../paved-bot/x.git`],
    [
      'encoded dot segments',
      (u: string) => `${u}/${ORG}/%2e%2e/paved-bot/x.git`,
    ],
    [
      'a folder that climbs out',
      (u: string) => `${u}/${ORG}/service-template.git//../../etc`,
    ],
    [
      'credentials in the URL',
      (u: string) =>
        `${u.replace('://', '://x:y@')}/${ORG}/service-template.git`,
    ],
    ['another host', () => `https://github.com/${ORG}/service-template.git`],
  ])(
    'paved:template:fetch refuses a source that escapes the allow-list through %s, before fetching anything',
    async (_how, spell) => {
      const { error, requests, left } = await fetchAs(
        spell(portal.sandbox.url),
      );
      expect(error?.name).toBe('InputError');
      expect(error!.message).toMatch(
        /not allowed|credentials|leaves|outside|\.\./,
      );
      expect(requests.filter(r => r.path.includes('.git'))).toEqual([]);
      expect(left).toEqual([]);
    },
  );

  it('paved:template:fetch refuses an include through a symlink that leaves the template, and returns nothing of the file', async () => {
    const secretDir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-leak-'));
    const secret = path.join(secretDir, 'backend-secret.txt');
    const CONTENT = `paved-leak-canary-${Date.now()}`;
    await fs.writeFile(secret, CONTENT);
    // A template release whose excluded partial is a symlink to a file of the backend's machine.
    const dir = await portal.workspace();
    await fs.writeFile(
      path.join(dir, 'copier.yml'),
      '_exclude: [partials]\nname: x\n',
    );
    await fs.writeFile(
      path.join(dir, 'out.txt.jinja'),
      "{% include 'partials/leak' %}",
    );
    await portal.sandbox.github.publish('symlink-template', dir);
    const bare = path.join(
      portal.sandbox.stateDir,
      'github/repos',
      ORG,
      'symlink-template.git',
    );
    const clone = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-symlink-'));
    const git = (...args: string[]) =>
      execFileSync(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
        {
          cwd: clone,
          stdio: 'pipe',
        },
      );
    git('clone', '-q', bare, '.');
    await fs.mkdir(path.join(clone, 'partials'));
    await fs.symlink(secret, path.join(clone, 'partials/leak'));
    git('add', '-A');
    git('commit', '-q', '-m', 'partial');
    git('tag', 'v1.0.0');
    git('push', '-q', 'origin', 'HEAD', '--tags');

    const { error, left } = await fetchAs(
      `${portal.sandbox.url}/${ORG}/symlink-template.git`,
    );
    expect(error?.name).toBe('InputError');
    expect(error!.message).toMatch(/symlink|outside the template/);
    expect(error!.message).not.toContain(CONTENT);
    expect(left).toEqual([]);
    await fs.rm(secretDir, { recursive: true, force: true });
    await fs.rm(clone, { recursive: true, force: true });
  });
});

describe('canary secrets', () => {
  it('never appear in a log line, an error or a response', () => {
    const text = [...portal.logs, ...portal.responses].join('\n');
    // The suite logged and answered plenty, so the check has something to look at.
    expect(portal.logs.length).toBeGreaterThan(20);
    expect(portal.responses.length).toBeGreaterThan(100);
    for (const [name, canary] of Object.entries(portal.canaries)) {
      expect({ name, leaked: text.includes(canary) }).toEqual({
        name,
        leaked: false,
      });
    }
  });
});

describe('the corpus', () => {
  it('holds at least 200 cases over every action and route', () => {
    expect(counted.actions + counted.routes).toBeGreaterThanOrEqual(200);
    // eslint-disable-next-line no-console
    console.log(
      `bad-input corpus: ${counted.actions} action inputs, ${counted.routes} requests`,
    );
  });
});
