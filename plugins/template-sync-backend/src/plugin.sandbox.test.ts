import {
  coreServices,
  createServiceFactory,
  type SchedulerServiceTaskInvocationDefinition,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { unthrottledGitProviderServiceFactory } from '@paved/plugin-paved-node/testUtils';
import request from 'supertest';
import {
  type FleetSandbox,
  ORG,
  startFleetSandbox,
} from './__testUtils__/fleet';
import { templateSyncPlugin } from './plugin';

jest.setTimeout(120_000);

type Task = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

const BRANCH = 'paved/template-sync/copier-answers.yml';

describe('template-sync backend against the sandbox', () => {
  let fleet: FleetSandbox;
  let server: any;
  let stop: () => Promise<void>;
  const tasks: Task[] = [];
  const logs: string[] = [];
  const run = () => tasks[0].fn(new AbortController().signal);
  const api = (path: string) =>
    request(server)
      .get(`/api/template-sync${path}`)
      .set('authorization', mockCredentials.user.header());
  const state = async (name: string) =>
    (await api(`/entity/default/component/${name}`).expect(200)).body;

  beforeAll(async () => {
    fleet = await startFleetSandbox();
    const entities: Entity[] = [
      ...(await fleet.scaffold('orders', [{ name: 'orders' }])),
      ...(await fleet.scaffold('payments', [{ name: 'payments' }])),
      ...(await fleet.scaffold('platform', [
        { name: 'api', folder: 'services/api' },
        { name: 'worker', folder: 'services/worker' },
      ])),
    ];
    // The payments team changed the line the template changes next.
    await fleet.sandbox.github.commit(
      'payments',
      { 'config/app.properties': 'name=payments\nport=8080\nlog=debug\n' },
      { message: 'Debug logging' },
    );
    const outside = structuredClone(entities[0]);
    outside.metadata.name = 'outsider';
    outside.metadata.annotations!['paved.dev/template-source'] =
      'https://github.com/elsewhere/template';
    const gone = structuredClone(entities[0]);
    gone.metadata.name = 'gone';
    gone.metadata.annotations![
      'backstage.io/source-location'
    ] = `url:${fleet.sandbox.url}/${ORG}/no-such-repo/tree/main/`;
    // An entity pointing the job at a host without an integration (here: the cloud metadata address).
    const elsewhere = structuredClone(entities[0]);
    elsewhere.metadata.name = 'elsewhere';
    elsewhere.metadata.annotations!['backstage.io/source-location'] =
      'url:http://169.254.169.254/latest/meta-data/';
    const plain: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'not-templated', namespace: 'default' },
      spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
    };
    const logger = mockServices.logger.mock();
    for (const level of ['info', 'warn', 'error'] as const) {
      logger[level].mockImplementation((m: string) => {
        logs.push(m);
      });
    }
    logger.child.mockReturnValue(logger);
    const backend = await startTestBackend({
      features: [
        templateSyncPlugin,
        mockServices.rootConfig.factory({ data: fleet.configData }),
        catalogServiceMock.factory({
          entities: [...entities, outside, gone, elsewhere, plain],
        }),
        createServiceFactory({
          service: coreServices.logger,
          deps: {},
          factory: () => logger,
        }),
        mockServices.scheduler.mock({
          scheduleTask: async task => {
            tasks.push(task);
          },
        }).factory,
        unthrottledGitProviderServiceFactory,
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop?.();
    await fleet?.sandbox.close();
  });

  it('schedules one global task, daily by default', () => {
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      id: 'template-sync-fleet',
      scope: 'global',
      frequency: { hours: 24 },
      timeout: { minutes: 30 },
    });
  });

  it('opens one pull request per instance behind: merged changes, conflicts labelled and drafted, two for the monorepo', async () => {
    await run();
    const [orders] = await fleet.pulls('orders');
    expect(orders).toMatchObject({
      state: 'open',
      draft: false,
      head: { ref: BRANCH },
    });
    expect(await fleet.read('orders', 'config/app.properties', BRANCH)).toBe(
      'name=orders\nport=8080\nlog=warn\nmetrics=true\n',
    );
    expect(await fleet.read('orders', 'catalog-info.yaml', BRANCH)).toContain(
      'paved.dev/template-version: v2.0.0',
    );
    expect(await state('orders')).toMatchObject({
      status: 'pull-request',
      currentVersion: 'v1.0.0',
      latestVersion: 'v2.0.0',
      templateName: 'service-template',
      owner: 'group:default/team-a',
      repoUrl: `${fleet.sandbox.url}/${ORG}/orders`,
      pullRequest: {
        number: orders.number,
        url: orders.html_url,
        version: 'v2.0.0',
        conflicts: 0,
        draft: false,
      },
    });

    const [payments] = await fleet.pulls('payments');
    expect(payments.draft).toBe(true);
    expect(payments.labels.map(l => l.name).sort()).toEqual([
      'template-sync',
      'template-sync:conflicts',
    ]);
    expect(
      await fleet.read('payments', 'config/app.properties', BRANCH),
    ).toContain('<<<<<<<');
    expect(await state('payments')).toMatchObject({
      status: 'conflicts',
      pullRequest: { conflicts: 1, draft: true },
    });

    const platform = await fleet.pulls('platform');
    expect(platform.map(p => p.head.ref).sort()).toEqual([
      'paved/template-sync/services/api/copier-answers.yml',
      'paved/template-sync/services/worker/copier-answers.yml',
    ]);
    expect((await state('api')).status).toBe('pull-request');

    expect(await state('outsider')).toMatchObject({
      status: 'error',
      error: expect.stringContaining(
        'is not allowed: add it (or a prefix of it) to paved.templateSync.allowedSources',
      ),
    });
    expect(await state('gone')).toMatchObject({
      status: 'error',
      error: expect.stringContaining('no-such-repo'),
    });
    expect(await state('elsewhere')).toMatchObject({
      status: 'error',
      error:
        'http://169.254.169.254/latest/meta-data is not on a host with an SCM integration (integrations): template sync does not read it',
    });
    await api('/entity/default/component/not-templated').expect(404);
  });

  it('changes nothing on GitHub when run again with nothing new', async () => {
    const mark = fleet.sandbox.requests.length;
    await run();
    const made = fleet.sandbox.requests.slice(mark);
    const writes = made.filter(
      r =>
        r.method !== 'GET' &&
        r.path !== '/api/graphql' &&
        !r.path.endsWith('/git-upload-pack'),
    );
    expect(writes).toEqual([]);
    expect(made.filter(r => r.path === '/api/graphql')).toHaveLength(1);
    expect((await fleet.pulls('orders')).length).toBe(1);
  });

  it('updates the same pull requests when the template is tagged again', async () => {
    await fleet.release();
    await run();
    const orders = await fleet.pulls('orders');
    expect(orders).toHaveLength(1);
    expect(orders[0].title).toBe(
      'Update template service-template from v1.0.0 to v3.0.0',
    );
    expect(await fleet.read('orders', '.copier-answers.yml', BRANCH)).toContain(
      '_commit: v3.0.0',
    );
    expect(
      await fleet.read('orders', '.github/workflows/ci.yml', BRANCH),
    ).toContain('name: ci');
    expect(await fleet.pulls('platform')).toHaveLength(2);
    expect(await state('api')).toMatchObject({
      status: 'pull-request',
      pullRequest: { version: 'v3.0.0' },
    });
    expect(await state('orders')).toMatchObject({
      status: 'pull-request',
      latestVersion: 'v3.0.0',
      pullRequest: { number: orders[0].number, version: 'v3.0.0' },
    });
  });

  it('sees a merged pull request as up to date, and leaves a declined one closed', async () => {
    const [orders] = await fleet.pulls('orders');
    await fleet.octokit.pulls.merge({
      owner: ORG,
      repo: 'orders',
      pull_number: orders.number,
    });
    const api1 = (await fleet.pulls('platform')).find(p =>
      p.head.ref.includes('/api/'),
    )!;
    await fleet.octokit.pulls.update({
      owner: ORG,
      repo: 'platform',
      pull_number: api1.number,
      state: 'closed',
    });
    await run();
    const orderState = await state('orders');
    expect(orderState).toMatchObject({
      status: 'up-to-date',
      currentVersion: 'v3.0.0',
    });
    expect(orderState.pullRequest).toBeUndefined();
    expect(await state('api')).toMatchObject({
      status: 'declined',
      latestVersion: 'v3.0.0',
    });
    expect(await fleet.pulls('platform')).toHaveLength(2);
  });

  it('lists the fleet with a per-template summary and filters', async () => {
    const { body } = await api('/fleet').expect(200);
    expect(body.total).toBe(7);
    const template = body.templates.find(
      (t: any) => t.templateName === 'service-template',
    );
    expect(template).toMatchObject({
      latestVersion: 'v3.0.0',
      instances: 6,
      behind: 3,
      openPullRequests: 2,
      conflicted: 1,
      errors: 2,
      versions: [
        { version: 'v3.0.0', count: 1 },
        { version: 'v1.0.0', count: 3 },
        { version: 'unknown', count: 2 },
      ],
    });
    const conflicts = await api('/fleet?status=conflicts').expect(200);
    expect(conflicts.body.instances.map((i: any) => i.entityRef)).toEqual([
      'component:default/payments',
    ]);
    const text = await api('/fleet?q=WORK').expect(200);
    expect(text.body.instances.map((i: any) => i.entityRef)).toEqual([
      'component:default/worker',
    ]);
    const page = await api('/fleet?limit=2&offset=1').expect(200);
    expect(page.body).toMatchObject({ total: 7 });
    expect(page.body.instances).toHaveLength(2);
    for (const bad of [
      'limit=9999',
      'status=bogus',
      'offset=-1',
      'surprise=1',
    ]) {
      const res = await api(`/fleet?${bad}`).expect(400);
      expect(res.body.error.message).toMatch(/^Invalid query/);
    }
  });

  it('runs one entity on request, and refuses bad references and non-instances', async () => {
    const post = (path: string) =>
      request(server)
        .post(`/api/template-sync${path}`)
        .set('authorization', mockCredentials.user.header());
    const { body } = await post('/entity/default/component/worker/sync').expect(
      200,
    );
    expect(body).toMatchObject({
      entityRef: 'component:default/worker',
      status: 'pull-request',
      latestVersion: 'v3.0.0',
    });
    await post('/entity/default/component/not-templated/sync').expect(404);
    await post('/entity/default/component/nobody/sync').expect(404);
    await post('/entity/default/comp%20onent/x/sync').expect(400);
    await post('/entity/default/component/worker/sync')
      .send({ force: true })
      .expect(400);
  });

  it('never logs the GitHub token', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(fleet.sandbox.github.token);
  });
});
