import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { Sandbox, startSandbox } from './index';
import { sandboxToken } from './__testUtils__/kubeconfig';

jest.setTimeout(60_000);

// Every write verb of the Kubernetes stand-in, through @kubernetes/client-node 1.4.0 as any client sends them.
describe('Kubernetes stand-in: create, replace, patch, dry runs, strict field validation', () => {
  let sandbox: Sandbox;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let token: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    token = await sandboxToken(sandbox, 'dev-eu');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'dev-eu',
          server: `${sandbox.tlsUrl}/k8s/dev-eu`,
          caData: Buffer.from(sandbox.caPem).toString('base64'),
        },
      ],
      users: [{ name: 'u', token }],
      contexts: [{ name: 'c', cluster: 'dev-eu', user: 'u' }],
      currentContext: 'c',
    });
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
  });
  afterAll(() => sandbox.close());

  const failure = async (p: Promise<unknown>) => {
    const error = (await p.catch(e => e)) as ApiException<string>;
    expect(error).toBeInstanceOf(ApiException);
    return { code: error.code, body: JSON.parse(error.body) };
  };

  it('creates with POST (201), refuses a second create (409 AlreadyExists) and an invalid name (422)', async () => {
    const created = await core.createNamespace({
      body: { metadata: { name: 'verbs', labels: { team: 'a' } } },
    });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.status?.phase).toBe('Active');
    expect(
      await failure(
        core.createNamespace({ body: { metadata: { name: 'verbs' } } }),
      ),
    ).toMatchObject({
      code: 409,
      body: {
        reason: 'AlreadyExists',
        message: 'namespaces "verbs" already exists',
      },
    });
    expect(
      await failure(
        core.createNamespace({ body: { metadata: { name: 'Bad_Name!' } } }),
      ),
    ).toMatchObject({ code: 422, body: { reason: 'Invalid' } });
  });

  it('honours dryRun=All on create: the answer is the object, nothing is stored', async () => {
    const answer = await core.createNamespace({
      body: { metadata: { name: 'dry-run-only' } },
      dryRun: 'All',
    });
    expect(answer.metadata?.name).toBe('dry-run-only');
    expect(
      (await failure(core.readNamespace({ name: 'dry-run-only' }))).code,
    ).toBe(404);
  });

  it('replaces with PUT, refusing a stale resourceVersion (409 Conflict) and a missing object (404)', async () => {
    const cm = await core.createNamespacedConfigMap({
      namespace: 'verbs',
      body: { metadata: { name: 'settings' }, data: { a: '1' } },
    });
    const replaced = await core.replaceNamespacedConfigMap({
      name: 'settings',
      namespace: 'verbs',
      body: { ...cm, data: { a: '2' } },
    });
    expect(replaced.data).toEqual({ a: '2' });
    expect(replaced.metadata?.resourceVersion).not.toBe(
      cm.metadata?.resourceVersion,
    );
    expect(
      await failure(
        core.replaceNamespacedConfigMap({
          name: 'settings',
          namespace: 'verbs',
          body: { ...cm, data: { a: '3' } },
        }),
      ),
    ).toMatchObject({ code: 409, body: { reason: 'Conflict' } });
    expect(
      (
        await failure(
          core.replaceNamespacedConfigMap({
            name: 'nope',
            namespace: 'verbs',
            body: { metadata: { name: 'nope' } },
          }),
        )
      ).code,
    ).toBe(404);
  });

  it('patches with JSON merge patch, JSON patch and strategic merge patch', async () => {
    const merged = await core.patchNamespacedConfigMap(
      {
        name: 'settings',
        namespace: 'verbs',
        body: { data: { b: 'new', a: null } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ b: 'new' });

    const jsonPatched = await core.patchNamespacedConfigMap(
      {
        name: 'settings',
        namespace: 'verbs',
        body: [
          { op: 'test', path: '/data/b', value: 'new' },
          { op: 'add', path: '/data/c', value: '3' },
        ],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.data).toEqual({ b: 'new', c: '3' });
    // A failing test operation changes nothing.
    expect(
      (
        await failure(
          core.patchNamespacedConfigMap(
            {
              name: 'settings',
              namespace: 'verbs',
              body: [
                { op: 'test', path: '/data/b', value: 'other' },
                { op: 'remove', path: '/data/c' },
              ],
            },
            setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
          ),
        )
      ).code,
    ).toBe(422);

    await apps.createNamespacedDeployment({
      namespace: 'verbs',
      body: {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [
                {
                  name: 'web',
                  image: 'web:1',
                  env: [{ name: 'A', value: '1' }],
                },
                { name: 'sidecar', image: 'sidecar:1' },
              ],
            },
          },
        },
      },
    });
    // Containers merge by name, env by name: the sidecar and A stay.
    const strategic = await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'verbs',
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: 'web',
                    image: 'web:2',
                    env: [{ name: 'B', value: '2' }],
                  },
                ],
              },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const containers = strategic.spec!.template.spec!.containers;
    expect(containers.map(c => `${c.name}=${c.image}`)).toEqual([
      'web=web:2',
      'sidecar=sidecar:1',
    ]);
    expect(containers[0].env?.map(e => e.name)).toEqual(['A', 'B']);
    expect(strategic.metadata?.generation).toBe(2);
  });

  it('refuses unknown fields with fieldValidation=Strict (400), accepts them otherwise', async () => {
    // Raw HTTP: a typed client would drop the unknown field before sending it.
    const post = (query: string) =>
      fetch(
        `${sandbox.url}/k8s/dev-eu/api/v1/namespaces/verbs/configmaps${query}`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'strict' },
            data: { a: '1' },
            dta: { typo: 'yes' },
          }),
        },
      );
    const refused = await post('?fieldValidation=Strict');
    expect(refused.status).toBe(400);
    const status = await refused.json();
    expect(status.reason).toBe('BadRequest');
    expect(status.message).toContain(
      'strict decoding error: unknown field "dta"',
    );
    expect((await post('')).status).toBe(201);
  });

  it('names unknown fields deep in an object, in lists and in every served group, from the served OpenAPI documents', async () => {
    const strict = (url: string, body: object) =>
      fetch(`${sandbox.url}/k8s/dev-eu${url}?fieldValidation=Strict`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      }).then(r => r.json());
    expect(
      await strict('/apis/apps/v1/namespaces/verbs/deployments', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'deep', labels: { anything: 'goes' } },
        spec: {
          selector: { matchLabels: { app: 'deep' } },
          template: {
            metadata: { labels: { app: 'deep' } },
            spec: {
              containers: [
                { name: 'web', image: 'web:1', imagePullPolicyy: 'Always' },
              ],
            },
          },
        },
      }),
    ).toMatchObject({
      code: 400,
      message: expect.stringContaining(
        'unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
      ),
    });
    expect(
      await strict(
        '/apis/networking.k8s.io/v1/namespaces/verbs/networkpolicies',
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'deep' },
          spec: { podSelector: {}, ingress: [{ form: [] }] },
        },
      ),
    ).toMatchObject({
      code: 400,
      message: expect.stringContaining('unknown field "spec.ingress[0].form"'),
    });
  });

  it('answers a patch in a media type it does not accept with 415, changing nothing', async () => {
    const res = await fetch(
      `${sandbox.url}/k8s/dev-eu/api/v1/namespaces/verbs/configmaps/settings`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/xml',
        },
        body: '<data/>',
      },
    );
    expect(res.status).toBe(415);
    expect((await res.json()).reason).toBe('UnsupportedMediaType');
  });
});
