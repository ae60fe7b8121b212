import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { createEksToken, EksClient } from '@paved/plugin-paved-node';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sandbox, startSandbox } from './index';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
  process.env.AWS_ACCESS_KEY_ID = sandbox.seed.aws.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = sandbox.seed.aws.secretAccessKey;
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.faults.clear());

const token = (cluster: string, signingDate?: Date) =>
  createEksToken({
    clusterName: cluster,
    region: 'eu-west-1',
    credentials: {
      accessKeyId: sandbox.seed.aws.accessKeyId,
      secretAccessKey: sandbox.seed.aws.secretAccessKey,
    },
    signingDate,
  });

async function kube(
  cluster: string,
  method: string,
  apiPath: string,
  body?: string,
  contentType?: string,
) {
  const res = await fetch(`${sandbox.url}/k8s/${cluster}${apiPath}`, {
    method,
    headers: {
      authorization: `Bearer ${await token(cluster)}`,
      ...(contentType ? { 'content-type': contentType } : {}),
    },
    body,
  });
  return { status: res.status, body: await res.json() };
}

describe('EKS stand-in, with the real @aws-sdk/client-eks', () => {
  it('lists and describes the seeded clusters, endpoints pointing at the Kubernetes stand-in', async () => {
    const eks = new EksClient({ endpoint: `${sandbox.url}/aws/eks` });
    const clusters = await eks.listClusters({}, 'eu-west-1');
    expect(clusters.map(c => [c.name, c.endpoint, c.accountId])).toEqual([
      ['dev-eu', `${sandbox.tlsUrl}/k8s/dev-eu`, '111111111111'],
      ['prod-eu', `${sandbox.tlsUrl}/k8s/prod-eu`, '111111111111'],
    ]);
    expect(
      Buffer.from(clusters[0].certificateAuthority!, 'base64').toString(),
    ).toBe(sandbox.caPem);
    expect(await eks.listClusterNames({}, 'us-east-1')).toEqual([]);
  });

  it('follows pagination and answers errors the way the SDK parses them', async () => {
    const client = new EKSClient({
      region: 'eu-west-1',
      endpoint: `${sandbox.url}/aws/eks`,
    });
    const first = await client.send(new ListClustersCommand({ maxResults: 1 }));
    expect(first).toMatchObject({ clusters: ['dev-eu'], nextToken: '1' });
    const second = await client.send(
      new ListClustersCommand({ maxResults: 1, nextToken: first.nextToken }),
    );
    expect(second.clusters).toEqual(['prod-eu']);
    expect(second.nextToken).toBeUndefined();
    const error = await new EksClient({ endpoint: `${sandbox.url}/aws/eks` })
      .describeCluster({}, 'eu-west-1', 'nope')
      .catch(e => e);
    expect(error.message).toMatch(
      /^EKS cluster nope not found in eu-west-1; caused by ResourceNotFoundException: No cluster found for name: nope\./,
    );
  });

  it('refuses requests signed by an unknown identity', async () => {
    const client = new EKSClient({
      region: 'eu-west-1',
      endpoint: `${sandbox.url}/aws/eks`,
      credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' },
    });
    await expect(
      client.send(new ListClustersCommand({})),
    ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });
});

describe('Kubernetes stand-in', () => {
  const ns = (name: string, labels: Record<string, string> = {}) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels },
    });
  const APPLY = 'application/apply-patch+yaml';

  it('accepts only EKS tokens made for this cluster and not older than 15 minutes', async () => {
    const fresh = await fetch(`${sandbox.url}/k8s/dev-eu/version`, {
      headers: { authorization: `Bearer ${await token('dev-eu')}` },
    });
    expect(fresh.status).toBe(200);
    for (const bearer of [
      await token('prod-eu'),
      await token('dev-eu', new Date(Date.now() - 16 * 60_000)),
      'static-token',
    ]) {
      const res = await fetch(`${sandbox.url}/k8s/dev-eu/api`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        kind: 'Status',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('applies server-side, tracks field owners, reports conflicts as 409 and honours force and dryRun', async () => {
    const created = await kube(
      'dev-eu',
      'PATCH',
      '/api/v1/namespaces/team-a?fieldManager=paved',
      ns('team-a', { owner: 'a' }),
      APPLY,
    );
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'paved',
        operation: 'Apply',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:owner': {} } } },
      }),
    ]);

    const again = await kube(
      'dev-eu',
      'PATCH',
      '/api/v1/namespaces/team-a?fieldManager=paved',
      ns('team-a', { owner: 'a' }),
      APPLY,
    );
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(
      created.body.metadata.resourceVersion,
    );

    const conflict = await kube(
      'dev-eu',
      'PATCH',
      '/api/v1/namespaces/team-a?fieldManager=intruder',
      ns('team-a', { owner: 'b' }),
      APPLY,
    );
    expect(conflict).toMatchObject({
      status: 409,
      body: {
        kind: 'Status',
        reason: 'Conflict',
        message:
          'Apply failed with 1 conflict: conflict with "paved": .metadata.labels.owner',
      },
    });

    const dry = await kube(
      'dev-eu',
      'PATCH',
      '/api/v1/namespaces/team-a?fieldManager=intruder&force=true&dryRun=All',
      ns('team-a', { owner: 'b' }),
      APPLY,
    );
    expect(dry.body.metadata.labels.owner).toBe('b');
    expect(
      (await kube('dev-eu', 'GET', '/api/v1/namespaces/team-a')).body.metadata
        .labels.owner,
    ).toBe('a');

    const forced = await kube(
      'dev-eu',
      'PATCH',
      '/api/v1/namespaces/team-a?fieldManager=intruder&force=true',
      ns('team-a', { owner: 'b' }),
      APPLY,
    );
    expect(forced.body.metadata.labels.owner).toBe('b');
    expect(
      (await kube('prod-eu', 'GET', '/api/v1/namespaces/team-a')).status,
    ).toBe(404); // clusters are separate
  });

  it('answers bad requests with Status errors as the API server does', async () => {
    expect(
      (await kube('dev-eu', 'PATCH', '/api/v1/namespaces/x', ns('x'), APPLY))
        .body,
    ).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(
      (
        await kube(
          'dev-eu',
          'PATCH',
          '/api/v1/namespaces/Bad_Name?fieldManager=t',
          ns('Bad_Name'),
          APPLY,
        )
      ).body,
    ).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: expect.stringContaining(
        'a lowercase RFC 1123 label must consist of lower case alphanumeric characters',
      ),
    });
    const sa = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'svc' },
    });
    expect(
      (
        await kube(
          'dev-eu',
          'PATCH',
          '/api/v1/namespaces/ghost/serviceaccounts/svc?fieldManager=t',
          sa,
          APPLY,
        )
      ).body,
    ).toMatchObject({
      code: 404,
      message: 'namespaces "ghost" not found',
    });
    const badQuota = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q' },
      spec: { hard: 'lots' },
    });
    expect(
      (
        await kube(
          'dev-eu',
          'PATCH',
          '/api/v1/namespaces/default/resourcequotas/q?fieldManager=t',
          badQuota,
          APPLY,
        )
      ).body,
    ).toMatchObject({
      code: 422,
    });
    expect(
      (
        await kube(
          'dev-eu',
          'GET',
          '/apis/apps/v1/namespaces/default/deployments/none',
        )
      ).body,
    ).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'deployments.apps "none" not found',
    });
  });

  it('lists with label selectors', async () => {
    await kube(
      'dev-eu',
      'PATCH',
      '/api/v1/namespaces/sel-a?fieldManager=t',
      ns('sel-a', { team: 'a', tier: 'gold' }),
      APPLY,
    );
    await kube(
      'dev-eu',
      'PATCH',
      '/api/v1/namespaces/sel-b?fieldManager=t',
      ns('sel-b', { team: 'b' }),
      APPLY,
    );
    const names = async (selector: string) =>
      (
        await kube(
          'dev-eu',
          'GET',
          `/api/v1/namespaces?labelSelector=${encodeURIComponent(selector)}`,
        )
      ).body.items.map((i: any) => i.metadata.name);
    expect(await names('team=a')).toEqual(['sel-a']);
    expect(await names('team in (a,b),!tier')).toEqual(['sel-b']);
  });

  it('injects faults for reliability tests: 429 with retry-after, then normal service', async () => {
    await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({
        path: '^/k8s/dev-eu/version$',
        status: 429,
        retryAfter: 2,
        times: 1,
      }),
    });
    const throttled = await fetch(`${sandbox.url}/k8s/dev-eu/version`, {
      headers: { authorization: `Bearer ${await token('dev-eu')}` },
    });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    const next = await fetch(`${sandbox.url}/k8s/dev-eu/version`, {
      headers: { authorization: `Bearer ${await token('dev-eu')}` },
    });
    expect(next.status).toBe(200);
  });
});

// The real kubectl, as a conformance client: discovery plus server-side apply.
const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find(p =>
  fs.existsSync(p),
);
const withKubectl = kubectl ? describe : describe.skip;
if (!kubectl) {
  it.skip('kubectl conformance: install kubectl to run it', () => {});
}
withKubectl('kubectl against the Kubernetes stand-in', () => {
  it('applies a namespace and a deployment server-side, and reads them back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-kubectl-'));
    try {
      const kubeconfig = path.join(dir, 'config');
      fs.writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name: 'dev-eu',
              cluster: {
                server: `${sandbox.tlsUrl}/k8s/dev-eu`,
                'certificate-authority-data': Buffer.from(
                  sandbox.caPem,
                ).toString('base64'),
              },
            },
          ],
          users: [{ name: 'paved', user: { token: await token('dev-eu') } }],
          contexts: [
            { name: 'dev-eu', context: { cluster: 'dev-eu', user: 'paved' } },
          ],
          'current-context': 'dev-eu',
        }),
      );
      fs.writeFileSync(
        path.join(dir, 'objects.yaml'),
        [
          'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kubectl-team\n  labels:\n    paved.dev/owner: platform-team\n',
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: kubectl-team\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n',
        ].join('---\n'),
      );
      // Asynchronously: the sandbox answers from this same process.
      const run = async (...args: string[]) =>
        (
          await promisify(execFile)(kubectl!, [
            '--kubeconfig',
            kubeconfig,
            '--cache-dir',
            path.join(dir, 'cache'),
            ...args,
          ])
        ).stdout;

      // --validate=false: the stand-in serves no OpenAPI documents; it validates objects itself (kubernetes-models).
      const applied = await run(
        'apply',
        '--server-side',
        '--validate=false',
        '--field-manager',
        'paved',
        '-f',
        path.join(dir, 'objects.yaml'),
      );
      expect(applied).toContain('namespace/kubectl-team serverside-applied');
      expect(applied).toContain('deployment.apps/web serverside-applied');
      const deployment = JSON.parse(
        await run(
          'get',
          'deployment',
          'web',
          '-n',
          'kubectl-team',
          '-o',
          'json',
        ),
      );
      expect(deployment).toMatchObject({
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'kubectl-team' },
        spec: { replicas: 2 },
      });
      expect(
        (
          await run(
            'get',
            'namespaces',
            '-l',
            'paved.dev/owner=platform-team',
            '-o',
            'name',
          )
        ).trim(),
      ).toBe('namespace/kubectl-team');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
