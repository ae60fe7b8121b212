import { ownershipForTests } from '@paved/plugin-paved-node/testUtils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ArgoCdClients,
  ArgoCdRegistrar,
  NamespacePolicy,
  ClusterRegistry,
  EksClient,
  GitOpsWriter,
  GitProviders,
} from '@paved/plugin-paved-node';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { parse, parseAllDocuments } from 'yaml';
import { createArgoCdRegisterAction } from './register';
import { examples } from './register.examples';

const MAIN = 'https://argocd.example.com';
const EDGE = 'https://edge.argocd.example.com';
const config = new ConfigReader({
  integrations: { github: [{ host: 'github.com', token: 'ghp_unit' }] },
  paved: {
    gitops: { repoUrl: 'https://github.com/acme/gitops' },
    eks: {
      clusters: [
        { name: 'dev-eu', region: 'eu-west-1' },
        { name: 'prod-eu', region: 'eu-west-1' },
      ],
    },
    argocd: {
      instances: [
        { name: 'main', url: MAIN, token: 'main-token', timeoutMs: 300 },
        { name: 'edge', url: EDGE, token: 'edge-token' },
      ],
    },
  },
});

/** Who owns which namespace on the clusters (NamespaceOwnership's answer, as provisioning left it). */
const NAMESPACE_OWNERS: Record<string, string | undefined> = {
  orders: 'group:default/orders-team',
  'orders-canary': 'group:default/orders-team',
  payments: 'group:default/payments-team',
  legacy: undefined,
};

function action() {
  return createArgoCdRegisterAction({
    ownership: ownershipForTests(),
    registrar: new ArgoCdRegistrar({
      argocd: ArgoCdClients.fromConfig(config),
      clusters: ClusterRegistry.fromConfig(config, new EksClient()),
      gitops: GitOpsWriter.fromConfig(
        config,
        GitProviders.fromConfig(config, mockServices.logger.mock()),
      ),
      syncPolicy: { automated: true, prune: false, selfHeal: false },
      namespaces: {
        reservedBy: name => NamespacePolicy.fromConfig(config).reservedBy(name),
        namespaceRecords: async (cluster, name) =>
          name in NAMESPACE_OWNERS
            ? [{ where: `cluster ${cluster}`, owner: NAMESPACE_OWNERS[name] }]
            : [],
      },
      sharedNamespaces: ['shared-tools'],
    }),
  });
}

const valid = {
  entityRef: 'component:default/orders',
  owner: 'group:default/orders-team',
  repoUrl: 'https://github.com/acme/orders',
  cluster: 'dev-eu',
  namespace: 'orders',
};

function context(input: Record<string, unknown>, isDryRun = false) {
  return {
    ...createMockActionContext({ input: input as any }),
    isDryRun,
  } as any;
}
const outputs = (ctx: any) =>
  Object.fromEntries((ctx.output as jest.Mock).mock.calls);

describe('paved:argocd:register', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const requests: string[] = [];
  beforeEach(() => {
    requests.length = 0;
    server.events.on('request:start', ({ request }) => {
      requests.push(`${request.method} ${request.url}`);
    });
  });
  afterEach(() => server.events.removeAllListeners());

  describe('bad input: a clear InputError, nothing read or written', () => {
    const corpus: Array<[string, Record<string, unknown>, RegExp]> = [
      ['no input', {}, /entityRef: Required/],
      [
        'missing entityRef',
        { ...valid, entityRef: undefined },
        /entityRef: Required/,
      ],
      ['missing owner', { ...valid, owner: undefined }, /owner: Required/],
      [
        'missing repoUrl',
        { ...valid, repoUrl: undefined },
        /repoUrl: Required/,
      ],
      [
        'missing cluster',
        { ...valid, cluster: undefined },
        /clusters must name at least one cluster/,
      ],
      [
        'empty clusters',
        { ...valid, cluster: undefined, clusters: [] },
        /clusters: Array must contain at least 1 element/,
      ],
      [
        'cluster and clusters',
        { ...valid, clusters: ['prod-eu'] },
        /give clusters or cluster, not both/,
      ],
      [
        'a cluster twice',
        { ...valid, cluster: undefined, clusters: ['dev-eu', 'dev-eu'] },
        /clusters dev-eu, dev-eu name a cluster twice/,
      ],
      [
        'an unknown cluster among several',
        { ...valid, cluster: undefined, clusters: ['dev-eu', 'moon-1'] },
        /moon-1/,
      ],
      [
        'an application name too long for one of the clusters',
        {
          ...valid,
          cluster: undefined,
          clusters: ['dev-eu', 'prod-eu'],
          appName: 'a'.repeat(57),
        },
        new RegExp(`application name "${'a'.repeat(57)}-prod-eu" must be`),
      ],
      [
        'missing namespace',
        { ...valid, namespace: undefined },
        /namespace: Required/,
      ],
      [
        'entityRef is a group',
        { ...valid, entityRef: 'group:default/x' },
        /group:default\/x is not a component/,
      ],
      [
        'entityRef is not a ref',
        { ...valid, entityRef: 'component:' },
        /is not an entity ref/,
      ],
      [
        'owner is a user',
        { ...valid, owner: 'user:default/jane' },
        /user:default\/jane is not a group/,
      ],
      ['owner is a number', { ...valid, owner: 7 }, /owner: Expected string/],
      [
        'repoUrl not a URL',
        { ...valid, repoUrl: 'orders' },
        /repoUrl "orders" is not an http\(s\) repository URL/,
      ],
      [
        'repoUrl over ssh',
        { ...valid, repoUrl: 'ssh://git@github.com/acme/orders' },
        /is not an http\(s\) repository URL/,
      ],
      [
        'repoUrl without a repository',
        { ...valid, repoUrl: 'https://github.com/acme' },
        /is not an http\(s\) repository URL/,
      ],
      [
        'unknown cluster',
        { ...valid, cluster: 'mars' },
        /Cluster "mars" is not one Paved provisions into/,
      ],
      [
        'namespace upper-case',
        { ...valid, namespace: 'Orders' },
        /namespace "Orders" is not an RFC 1123 label/,
      ],
      [
        'namespace too long',
        { ...valid, namespace: 'n'.repeat(64) },
        /is not an RFC 1123 label/,
      ],
      [
        'unknown instance',
        { ...valid, instance: 'staging' },
        /Argo CD instance "staging" is not configured; configured: main, edge/,
      ],
      [
        'appName with spaces',
        { ...valid, appName: 'my app' },
        /application name "my app" must be a DNS name/,
      ],
      [
        'appName too long',
        { ...valid, appName: 'a'.repeat(64) },
        /must be a DNS name of at most 63/,
      ],
      [
        'appName upper-case',
        { ...valid, appName: 'Orders' },
        /must be a DNS name/,
      ],
      [
        'project "default"',
        { ...valid, project: 'default' },
        /project "default" must be a DNS name other than "default"/,
      ],
      [
        'project with slash',
        { ...valid, project: 'a/b' },
        /project "a\/b" must be a DNS name/,
      ],
      [
        'absolute chart path',
        { ...valid, path: '/etc' },
        /path "\/etc" must be a relative path/,
      ],
      [
        'chart path escaping',
        { ...valid, path: '../other' },
        /must be a relative path inside the repository/,
      ],
      [
        'values file escaping',
        { ...valid, valueFiles: ['../../secrets.yaml'] },
        /values file "..\/..\/secrets.yaml"/,
      ],
      [
        'values files not a list',
        { ...valid, valueFiles: 'values.yaml' },
        /valueFiles: Expected array/,
      ],
      [
        'targetRevision with spaces',
        { ...valid, targetRevision: 'main branch' },
        /targetRevision "main branch" is not a branch, tag or commit/,
      ],
      [
        'targetRevision with ..',
        { ...valid, targetRevision: 'a..b' },
        /is not a branch, tag or commit/,
      ],
      [
        'mode not offered',
        { ...valid, mode: 'kubectl' },
        /mode: Invalid enum value/,
      ],
      [
        'sync policy not boolean',
        { ...valid, syncPolicy: { prune: 'yes' } },
        /syncPolicy.prune: Expected boolean/,
      ],
      [
        'unknown sync policy field',
        { ...valid, syncPolicy: { retry: true } },
        /Unrecognized key\(s\) in object: 'retry'/,
      ],
      [
        'unknown input field',
        { ...valid, server: 'https://kubernetes.default.svc' },
        /Unrecognized key\(s\) in object: 'server'/,
      ],
      [
        'empty repoUrl',
        { ...valid, repoUrl: '' },
        /repoUrl: String must contain at least 1/,
      ],
      [
        'catalogInfoPath escaping the workspace',
        { ...valid, catalogInfoPath: '../catalog-info.yaml' },
        /outside the workspace/,
      ],
      [
        'catalogInfoPath missing',
        { ...valid, catalogInfoPath: 'nope.yaml' },
        /does not exist in the workspace/,
      ],
    ];

    it('has at least 30 cases', () =>
      expect(corpus.length).toBeGreaterThanOrEqual(30));

    it.each(corpus)('%s', async (_case, input, message) => {
      const ctx = context(input);
      const error = await action()
        .handler(ctx)
        .then(
          () => undefined,
          e => e,
        );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
      expect(requests).toEqual([]);
    });
  });

  it('dry run outputs a valid AppProject and Application and calls nothing', async () => {
    const ctx = context(
      { ...valid, valueFiles: ['values.yaml'], instance: 'edge' },
      true,
    );
    await action().handler(ctx);
    const out = outputs(ctx);
    expect(out).toMatchObject({
      appName: 'orders',
      instance: 'edge',
      project: 'orders-team',
      url: `${EDGE}/applications/argocd/orders`,
      mode: 'gitops',
    });
    const [project, app] = parseAllDocuments(out.manifests).map(d => d.toJS());
    expect(project.spec).toMatchObject({
      sourceRepos: ['https://github.com/acme/*'],
      destinations: [{ name: 'dev-eu', namespace: 'orders' }],
      clusterResourceWhitelist: [],
    });
    expect(app.metadata.annotations).toEqual({
      'paved.dev/entity-ref': 'component:default/orders',
      'paved.dev/owner-ref': 'group:default/orders-team',
    });
    expect(app.spec).toEqual({
      project: 'orders-team',
      source: {
        repoURL: 'https://github.com/acme/orders',
        path: 'chart',
        targetRevision: 'HEAD',
        helm: { valueFiles: ['values.yaml'] },
      },
      destination: { name: 'dev-eu', namespace: 'orders' },
      syncPolicy: {
        automated: { prune: false, selfHeal: false },
        syncOptions: ['CreateNamespace=false', 'ServerSideApply=true'],
      },
    });
    expect(requests).toEqual([]);
  });

  it('dry run with several clusters: one Application per cluster and a project allowing each, calling nothing', async () => {
    const ctx = context(
      { ...valid, cluster: undefined, clusters: ['prod-eu', 'dev-eu'] },
      true,
    );
    await action().handler(ctx);
    const out = outputs(ctx);
    expect(out).toMatchObject({
      appName: 'orders-prod-eu',
      appNames: ['orders-prod-eu', 'orders-dev-eu'],
      urls: [
        `${MAIN}/applications/argocd/orders-prod-eu`,
        `${MAIN}/applications/argocd/orders-dev-eu`,
      ],
      applications: [
        {
          cluster: 'prod-eu',
          appName: 'orders-prod-eu',
          url: `${MAIN}/applications/argocd/orders-prod-eu`,
        },
        {
          cluster: 'dev-eu',
          appName: 'orders-dev-eu',
          url: `${MAIN}/applications/argocd/orders-dev-eu`,
        },
      ],
    });
    const [project, ...apps] = parseAllDocuments(out.manifests).map(d =>
      d.toJS(),
    );
    expect(project.spec.destinations).toEqual([
      { name: 'dev-eu', namespace: 'orders' },
      { name: 'prod-eu', namespace: 'orders' },
    ]);
    expect(apps.map(a => [a.metadata.name, a.spec.destination.name])).toEqual([
      ['orders-prod-eu', 'prod-eu'],
      ['orders-dev-eu', 'dev-eu'],
    ]);
    expect(requests).toEqual([]);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'example runs (dry run): %s',
    async (_d, example) => {
      const workspacePath = fs.mkdtempSync(
        path.join(os.tmpdir(), 'paved-argocd-'),
      );
      fs.writeFileSync(
        path.join(workspacePath, 'catalog-info.yaml'),
        '# the service\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\nspec:\n  type: service\n',
      );
      const ctx = {
        ...context(parse(example).steps[0].input, true),
        workspacePath,
      };
      await action().handler(ctx);
      expect(outputs(ctx).appName).toBeDefined();
      fs.rmSync(workspacePath, { recursive: true, force: true });
    },
  );

  it('annotates catalog-info.yaml in the workspace, keeping its comments', async () => {
    const workspacePath = fs.mkdtempSync(
      path.join(os.tmpdir(), 'paved-argocd-'),
    );
    const file = path.join(workspacePath, 'catalog-info.yaml');
    fs.writeFileSync(
      file,
      '# the service\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\n  annotations:\n    github.com/project-slug: acme/orders\nspec:\n  type: service\n',
    );
    await action().handler({
      ...context(
        { ...valid, instance: 'edge', catalogInfoPath: 'catalog-info.yaml' },
        true,
      ),
      workspacePath,
    });
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^# the service/);
    expect(parse(text).metadata.annotations).toEqual({
      'github.com/project-slug': 'acme/orders',
      'argocd/app-name': 'orders',
      'argocd/instance-name': 'edge',
    });
    fs.rmSync(workspacePath, { recursive: true, force: true });
  });

  it('annotates every application of several clusters, and leaves an app selector in place', async () => {
    const workspacePath = fs.mkdtempSync(
      path.join(os.tmpdir(), 'paved-argocd-'),
    );
    const file = path.join(workspacePath, 'catalog-info.yaml');
    const component = (annotations: string) =>
      `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\n  annotations:\n${annotations}spec:\n  type: service\n`;
    const run = () =>
      action().handler({
        ...context(
          {
            ...valid,
            cluster: undefined,
            clusters: ['dev-eu', 'prod-eu'],
            catalogInfoPath: 'catalog-info.yaml',
          },
          true,
        ),
        workspacePath,
      });
    fs.writeFileSync(file, component('    a: b\n'));
    await run();
    expect(parse(fs.readFileSync(file, 'utf8')).metadata.annotations).toEqual({
      a: 'b',
      'argocd/app-name': 'orders-dev-eu,orders-prod-eu',
      'argocd/instance-name': 'main',
    });
    fs.writeFileSync(
      file,
      component(
        "    argocd/app-selector: 'paved.dev/entity=component.default.orders'\n",
      ),
    );
    await run();
    expect(parse(fs.readFileSync(file, 'utf8')).metadata.annotations).toEqual({
      'argocd/app-selector': 'paved.dev/entity=component.default.orders',
      'argocd/instance-name': 'main',
    });
    fs.rmSync(workspacePath, { recursive: true, force: true });
  });

  describe('api mode (msw)', () => {
    /** An Argo CD that stores what it is sent, as the sandbox does over the wire. */
    function argo(base: string, seed: { app?: any; project?: any } = {}) {
      const store = {
        app: seed.app,
        project: seed.project,
        writes: [] as string[],
      };
      server.use(
        http.get(`${base}/api/v1/applications/:name`, () =>
          store.app
            ? HttpResponse.json(store.app)
            : HttpResponse.json(
                { code: 5, message: 'not found' },
                { status: 404 },
              ),
        ),
        http.get(`${base}/api/v1/projects/:name`, () =>
          store.project
            ? HttpResponse.json(store.project)
            : HttpResponse.json(
                { code: 5, message: 'not found' },
                { status: 404 },
              ),
        ),
        http.post(`${base}/api/v1/applications`, async ({ request }) => {
          store.writes.push('create app');
          store.app = await request.json();
          return HttpResponse.json(store.app);
        }),
        http.put(`${base}/api/v1/applications/:name`, async ({ request }) => {
          store.writes.push('update app');
          store.app = await request.json();
          return HttpResponse.json(store.app);
        }),
        http.post(`${base}/api/v1/projects`, async ({ request }) => {
          store.writes.push('create project');
          store.project = ((await request.json()) as any).project;
          return HttpResponse.json(store.project);
        }),
        http.put(`${base}/api/v1/projects/:name`, async ({ request }) => {
          store.writes.push('update project');
          store.project = ((await request.json()) as any).project;
          return HttpResponse.json(store.project);
        }),
      );
      return store;
    }
    const api = { ...valid, mode: 'api' };

    it('creates, then reports unchanged, then updates what differs', async () => {
      const store = argo(MAIN);
      let ctx = context(api);
      await action().handler(ctx);
      expect(outputs(ctx)).toMatchObject({
        applicationChanges: { orders: 'created' },
        projectChange: 'created',
      });
      ctx = context(api);
      await action().handler(ctx);
      expect(outputs(ctx)).toMatchObject({
        applicationChanges: { orders: 'unchanged' },
        projectChange: 'unchanged',
      });
      ctx = context({
        ...api,
        targetRevision: 'v2.0.0',
        namespace: 'orders-canary',
      });
      await action().handler(ctx);
      expect(outputs(ctx)).toMatchObject({
        applicationChanges: { orders: 'updated' },
        projectChange: 'updated',
      });
      expect(store.writes).toEqual([
        'create project',
        'create app',
        'update project',
        'update app',
      ]);
      // The project keeps the first destination and gains the new one.
      expect(store.project.spec.destinations).toEqual([
        { name: 'dev-eu', namespace: 'orders' },
        { name: 'dev-eu', namespace: 'orders-canary' },
      ]);
    });

    it('registers on the named instance only', async () => {
      const main = argo(MAIN);
      const edge = argo(EDGE);
      await action().handler(context({ ...api, instance: 'edge' }));
      expect(edge.writes).toEqual(['create project', 'create app']);
      expect(main.writes).toEqual([]);
    });

    it("refuses another entity's application before writing anything", async () => {
      const store = argo(MAIN, {
        app: {
          metadata: {
            name: 'orders',
            annotations: {
              'paved.dev/entity-ref': 'component:default/legacy-orders',
            },
          },
          spec: {},
        },
      });
      const error = (await action()
        .handler(context(api))
        .catch((e: Error) => e)) as Error;
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(
        'Argo CD application orders on main belongs to component:default/legacy-orders, not component:default/orders',
      );
      expect(store.writes).toEqual([]);
    });

    it("refuses another team's project", async () => {
      const store = argo(MAIN, {
        project: {
          metadata: { name: 'orders-team' },
          spec: { sourceRepos: ['*'] },
        },
      });
      await expect(action().handler(context(api))).rejects.toThrow(
        new ConflictError(
          'Argo CD project orders-team on main belongs to someone outside Paved, not group:default/orders-team',
        ),
      );
      expect(store.writes).toEqual([]);
    });

    it('fails clearly within the timeout when Argo CD is slow, writing nothing', async () => {
      let writes = 0;
      server.use(
        http.get(`${MAIN}/api/v1/*`, async () => {
          await delay(5_000);
          return HttpResponse.json({});
        }),
        http.post(`${MAIN}/api/v1/*`, () => {
          writes++;
          return HttpResponse.json({});
        }),
      );
      const error = (await action()
        .handler(context(api))
        .catch((e: Error) => e)) as Error;
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(
        /^Argo CD instance main did not answer GET .* within 300 ms$/,
      );
      expect(writes).toBe(0);
    });

    it('fails clearly when Argo CD is down, writing nothing', async () => {
      server.use(http.all(`${MAIN}/*`, () => HttpResponse.error()));
      const error = (await action()
        .handler(context(api))
        .catch((e: Error) => e)) as Error;
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(/^Argo CD instance main is unreachable/);
    });
  });
});

describe('paved:argocd:register destinations', () => {
  it.each([
    [
      'kube-system',
      InputError,
      /namespace "kube-system" is reserved \(kube-\*\)/,
    ],
    ['cert-manager', InputError, /is reserved \(cert-manager\)/],
    ['argocd', InputError, /is reserved/],
    [
      'payments',
      ConflictError,
      /Namespace payments on cluster dev-eu belongs to group:default\/payments-team, not group:default\/orders-team/,
    ],
    [
      'never-provisioned',
      InputError,
      /does not exist on dev-eu and no pull request provisions it: run paved:namespace:provision/,
    ],
  ])('refuses %s before any request', async (namespace, type, message) => {
    const error = await action()
      .handler(context({ ...valid, namespace }))
      .catch(e => e);
    expect(error).toBeInstanceOf(type);
    expect(error.message).toMatch(message);
  });

  it('refuses a namespace that exists outside Paved (no owner recorded)', async () => {
    const error = await action()
      .handler(context({ ...valid, namespace: 'legacy' }))
      .catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('belongs to someone outside Paved');
  });

  it('lets a dry run through when the namespace is still to be provisioned, and shared namespaces always', async () => {
    const ctx = context({ ...valid, namespace: 'never-provisioned' }, true);
    await action().handler(ctx);
    expect(outputs(ctx).appName).toBe('orders');
    await action().handler(
      context({ ...valid, namespace: 'shared-tools' }, true),
    );
  });
});
