import { ConfigReader } from '@backstage/config';
import {
  AuthenticationError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import { ArgoCdClients, type ArgoCdInstance } from '@paved/plugin-paved-node';
import { Sandbox, sandboxConfig, startSandbox } from './index';

describe('Argo CD stand-in', () => {
  let sandbox: Sandbox;
  let main: ArgoCdInstance;
  let base: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    main = ArgoCdClients.fromConfig(
      new ConfigReader(sandboxConfig(sandbox)),
    ).get('main');
    base = `${sandbox.url}/argocd/main/api/v1`;
  });
  afterAll(() => sandbox.close());

  const project = (spec: Record<string, unknown> = {}) => ({
    metadata: { name: 'team-a', namespace: 'argocd' },
    spec: {
      sourceRepos: ['https://github.com/acme/*'],
      destinations: [{ name: 'dev-eu', namespace: 'team-a' }],
      ...spec,
    },
  });
  const app = (spec: Record<string, unknown> = {}) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web', namespace: 'argocd' },
    spec: {
      project: 'team-a',
      source: {
        repoURL: 'https://github.com/acme/web',
        path: 'chart',
        targetRevision: 'HEAD',
      },
      destination: { name: 'dev-eu', namespace: 'team-a' },
      ...spec,
    },
  });

  it('answers 401 with gRPC code 16 without a token, and for a wrong password', async () => {
    const anonymous = await fetch(`${base}/applications`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 16 });
    const login = ArgoCdClients.fromConfig(
      new ConfigReader({
        paved: {
          argocd: {
            instances: [
              {
                name: 'main',
                url: `${sandbox.url}/argocd/main`,
                username: 'admin',
                password: 'wrong',
              },
            ],
          },
        },
      }),
    ).get();
    await expect(login.getProject('default')).rejects.toThrow(
      AuthenticationError,
    );
  });

  it('logs in with the admin password and uses the session token', async () => {
    const { token } = await (
      await fetch(`${base}/session`, {
        method: 'POST',
        body: JSON.stringify({
          username: 'admin',
          password: sandbox.seed.argocd.instances[0].password,
        }),
      })
    ).json();
    const res = await fetch(`${base}/projects/default`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
  });

  it('validates applications as the real server does', async () => {
    await expect(main.createApplication(app() as any)).rejects.toThrow(
      /application references project team-a which does not exist/,
    );
    await main.createProject(project() as any);
    await expect(
      main.createApplication(
        app({
          source: {
            repoURL: 'https://gitlab.com/x/y',
            path: '.',
            targetRevision: 'HEAD',
          },
        }) as any,
      ),
    ).rejects.toThrow(
      /application repo https:\/\/gitlab.com\/x\/y is not permitted in project 'team-a'/,
    );
    await expect(
      main.createApplication(
        app({
          destination: { name: 'dev-eu', namespace: 'kube-system' },
        }) as any,
      ),
    ).rejects.toThrow(
      /application destination server 'https:\/\/[^']+\/k8s\/dev-eu' and namespace 'kube-system' do not match any of the allowed destinations in project 'team-a'/,
    );
    await expect(
      main.createApplication(
        app({ destination: { name: 'mars', namespace: 'team-a' } }) as any,
      ),
    ).rejects.toThrow(/there are no clusters with this name: mars/);
    await expect(
      main.createApplication({
        metadata: { name: 'broken' },
        spec: { project: 'team-a' },
      } as any),
    ).rejects.toThrow(InputError);
  });

  it('matches destinations as Argo CD does: by server or by name, with the namespace; deny patterns refuse', async () => {
    const server = `${sandbox.tlsUrl}/k8s/dev-eu`;
    await main.createProject({
      metadata: { name: 'by-server', namespace: 'argocd' },
      spec: {
        sourceRepos: ['*'],
        // Roadie's project shape: a name that is no cluster's, and the server
        destinations: [{ name: 'local', server, namespace: 'svc' }],
      },
    } as any);
    const make = (name: string, destination: Record<string, string>) =>
      main.createApplication({
        ...app({ project: 'by-server', destination }),
        metadata: { name, namespace: 'argocd' },
      } as any);
    // Named destination: its server is inferred and the project's server entry matches it.
    await expect(
      make('named', { name: 'dev-eu', namespace: 'svc' }),
    ).resolves.toBeTruthy();
    await expect(
      make('by-url', { server, namespace: 'svc' }),
    ).resolves.toBeTruthy();
    await expect(
      make('both', { name: 'dev-eu', server, namespace: 'svc' }),
    ).rejects.toThrow(/can't have both name and server defined: dev-eu/);
    await expect(
      make('unknown', {
        server: 'https://unknown.example:6443',
        namespace: 'svc',
      }),
    ).rejects.toThrow(
      /cluster 'https:\/\/unknown.example:6443' has not been configured/,
    );
    await main.createProject({
      metadata: { name: 'deny', namespace: 'argocd' },
      spec: {
        sourceRepos: ['*'],
        destinations: [
          { server: '*', namespace: '*' },
          { server: '*', namespace: '!kube-system' },
        ],
      },
    } as any);
    await expect(
      main.createApplication({
        ...app({
          project: 'deny',
          destination: { name: 'dev-eu', namespace: 'kube-system' },
        }),
        metadata: { name: 'denied', namespace: 'argocd' },
      } as any),
    ).rejects.toThrow(/do not match any of the allowed destinations/);
  });

  it('registers clusters: each seeded one by name and EKS endpoint, in-cluster only where Argo CD runs', async () => {
    const list = async (instance: string) =>
      (
        await (
          await fetch(`${sandbox.url}/argocd/${instance}/api/v1/clusters`, {
            headers: {
              authorization: `Bearer ${
                sandbox.seed.argocd.instances.find(i => i.name === instance)!
                  .token
              }`,
            },
          })
        ).json()
      ).items.map(
        (c: { name: string; server: string }) => `${c.name} ${c.server}`,
      );
    expect(await list('main')).toEqual([
      'in-cluster https://kubernetes.default.svc',
      ...sandbox.seed.clusters.map(
        c => `${c.name} ${sandbox.tlsUrl}/k8s/${c.name}`,
      ),
    ]);
    expect(await list('edge')).not.toContain(
      'in-cluster https://kubernetes.default.svc',
    );
    const edge = ArgoCdClients.fromConfig(
      new ConfigReader(sandboxConfig(sandbox)),
    ).get('edge');
    await edge.createProject(project() as any);
    await expect(
      edge.createApplication(
        app({
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: 'team-a',
          },
        }) as any,
      ),
    ).rejects.toThrow(/has not been configured|do not match/);
  });

  it('refuses names that are not RFC 1123 subdomains, for applications and projects', async () => {
    await expect(
      main.createProject({
        ...project(),
        metadata: { name: 'Fid_Bad!' },
      } as any),
    ).rejects.toThrow(
      /AppProject.argoproj.io "Fid_Bad!" is invalid: metadata.name/,
    );
    await expect(
      main.createApplication({
        ...app(),
        metadata: { name: 'Fid_Bad!', namespace: 'argocd' },
      } as any),
    ).rejects.toThrow(/Application.argoproj.io "Fid_Bad!" is invalid/);
  });

  it('create is idempotent for the same spec and refuses a different one without upsert', async () => {
    const created = await main.createApplication(app() as any);
    const again = await main.createApplication(app() as any);
    expect(again.metadata.resourceVersion).toBe(
      created.metadata.resourceVersion,
    );
    await expect(
      main.createApplication(
        app({ source: { ...app().spec.source, targetRevision: 'v2' } }) as any,
      ),
    ).rejects.toThrow(
      /existing application spec is different, use upsert flag to force update/,
    );
    const upserted = await (
      await fetch(`${base}/applications?upsert=true`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${sandbox.seed.argocd.instances[0].token}`,
        },
        body: JSON.stringify(
          app({ source: { ...app().spec.source, targetRevision: 'v2' } }),
        ),
      })
    ).json();
    expect(upserted.spec.source.targetRevision).toBe('v2');
  });

  it('reports status, syncs on request, and answers 404 with gRPC code 5', async () => {
    const before = await main.getApplication('web');
    expect(before?.status).toMatchObject({ sync: { status: 'OutOfSync' } });
    await main.request('POST', '/api/v1/applications/web/sync', {});
    const after = await main.getApplication('web');
    expect(after?.status).toMatchObject({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
      operationState: { phase: 'Succeeded' },
    });
    expect(after?.status?.history).toHaveLength(1);
    expect(await main.getApplication('nope')).toBeUndefined();
    await expect(main.request('GET', '/api/v1/projects/nope')).rejects.toThrow(
      NotFoundError,
    );
  });

  it('refuses to delete a project applications still use', async () => {
    await expect(
      main.request('DELETE', '/api/v1/projects/team-a'),
    ).rejects.toThrow(/project is referenced by applications/);
  });

  it('keeps instances apart', async () => {
    const edge = ArgoCdClients.fromConfig(
      new ConfigReader(sandboxConfig(sandbox)),
    ).get('edge');
    expect(await edge.getApplication('web')).toBeUndefined();
  });

  it('serves the seeded services: per-cluster applications with status, history and their live resource tree', async () => {
    const list = await main.request(
      'GET',
      '/api/v1/applications?selector=backstage.io/kubernetes-id=orders-api',
    );
    expect(list.items.map((a: any) => a.metadata.name).sort()).toEqual([
      'orders-api-dev-eu',
      'orders-api-prod-eu',
    ]);
    const prod = await main.getApplication('orders-api-prod-eu');
    expect(prod?.status).toMatchObject({
      sync: { status: 'Synced' },
      health: { status: 'Degraded' },
      operationState: { phase: 'Succeeded' },
    });
    expect(prod?.status?.history).toHaveLength(3);
    const tree = await main.request(
      'GET',
      '/api/v1/applications/orders-api-prod-eu/resource-tree',
    );
    expect(
      tree.nodes.map((n: any) => `${n.kind}:${n.health.status}`).sort(),
    ).toEqual([
      'Deployment:Degraded',
      'Pod:Degraded',
      'Pod:Healthy',
      'ReplicaSet:Degraded',
    ]);
    const pod = tree.nodes.find(
      (n: any) => n.health.status === 'Degraded' && n.kind === 'Pod',
    );
    expect(pod.health.message).toBe('CrashLoopBackOff');
    expect(pod.parentRefs[0].kind).toBe('ReplicaSet');
  });

  describe('pages (development only)', () => {
    const html = async (path: string) => {
      const res = await fetch(`${sandbox.url}/argocd/main${path}`);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      return { status: res.status, text: await res.text() };
    };

    it('shows an application at the real UI address: sync, health, source, destination, live pods, history', async () => {
      const { status, text } = await html(
        '/applications/argocd/orders-api-prod-eu',
      );
      expect(status).toBe(200);
      expect(text).toContain('<h1>orders-api-prod-eu <small>project');
      expect(text).toMatch(/Sync <span class="state Synced">Synced<\/span>/);
      expect(text).toMatch(/Health <span class="state Degraded">Degraded/);
      expect(text).toMatch(
        /Cluster <code>prod-eu<\/code>, namespace <code>orders<\/code>/,
      );
      // The live pods of the degraded service, with the reason, and the three seeded releases newest first.
      expect(text).toMatch(
        /<td>Pod<\/td><td>orders-api-[^<]+<\/td><td><span class="state Degraded">Degraded<\/span> CrashLoopBackOff/,
      );
      const ids = [...text.matchAll(/<tr><td>(\d+)<\/td><td><code>/g)].map(
        r => r[1],
      );
      expect(ids).toEqual(['2', '1', '0']);
    });

    it('lists the instance applications with links, and says how a missing one gets there; text is escaped', async () => {
      const list = await html('/applications');
      expect(list.text).toContain(
        '<a href="/argocd/main/applications/argocd/payments-api-dev-eu">payments-api-dev-eu</a>',
      );
      const missing = await html('/applications/argocd/%3Cscript%3Ex');
      expect(missing.status).toBe(404);
      expect(missing.text).toContain('&lt;script&gt;x');
      expect(missing.text).not.toContain('<script>');
      expect(missing.text).toContain('GitOps pull request that defines it');
    });

    it('is no way around the API token: the API still answers 401 without one', async () => {
      expect((await fetch(`${base}/applications`)).status).toBe(401);
    });
  });
});
