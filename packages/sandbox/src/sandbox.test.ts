import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { createEksToken, EksClient } from '@paved/plugin-paved-node';
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
