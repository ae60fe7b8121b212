import { http, HttpResponse } from 'msw';

/**
 * A cluster as the fake EKS API knows it.
 *
 * @public
 */
export interface FakeEksCluster {
  name: string;
  tags?: Record<string, string>;
  version?: string;
  status?: string;
}

/**
 * What the fake AWS knows: clusters per account and region, and the roles that lead into accounts.
 *
 * @public
 */
export interface FakeAwsState {
  /** Account the default credential chain's identity belongs to. */
  defaultAccountId: string;
  clusters: Record<string, Record<string, FakeEksCluster[]>>;
  roles?: Record<string, { accountId: string; externalId?: string }>;
  /** Counts of requests served, by operation (ListClusters, DescribeCluster, AssumeRole). */
  calls?: Record<string, number>;
}

const ASSUMED_PREFIX = 'ASIAPAVED';

function count(state: FakeAwsState, op: string) {
  state.calls ??= {};
  state.calls[op] = (state.calls[op] ?? 0) + 1;
}

/** The account a SigV4-signed request acts as: an assumed role's account, or the default identity's. */
function accountOf(request: Request, state: FakeAwsState): string {
  const auth = request.headers.get('authorization') ?? '';
  const key = /Credential=([A-Z0-9]+)\//.exec(auth)?.[1];
  if (!auth.startsWith('AWS4-HMAC-SHA256') || !key)
    throw new Error('request is not SigV4-signed');
  return key.startsWith(ASSUMED_PREFIX)
    ? key.slice(ASSUMED_PREFIX.length)
    : state.defaultAccountId;
}

function awsError(status: number, type: string, message: string) {
  return HttpResponse.json(
    { message },
    {
      status,
      headers: {
        'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.eks/`,
      },
    },
  );
}

function describe(cluster: FakeEksCluster, region: string, accountId: string) {
  return {
    name: cluster.name,
    arn: `arn:aws:eks:${region}:${accountId}:cluster/${cluster.name}`,
    createdAt: 1767225600,
    version: cluster.version ?? '1.31',
    endpoint: `https://${cluster.name
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')}.gr7.${region}.eks.amazonaws.com`,
    roleArn: `arn:aws:iam::${accountId}:role/eks-cluster`,
    status: cluster.status ?? 'ACTIVE',
    certificateAuthority: {
      data: Buffer.from(
        `-----BEGIN CERTIFICATE-----\n${cluster.name}\n-----END CERTIFICATE-----\n`,
      ).toString('base64'),
    },
    platformVersion: 'eks.10',
    tags: cluster.tags ?? {},
  };
}

/**
 * msw handlers speaking the AWS REST-JSON protocol of EKS (ListClusters with pagination, DescribeCluster, errors with
 * `x-amzn-errortype`) and STS AssumeRole (query protocol, XML), as `@aws-sdk/client-eks` and
 * `@aws-sdk/credential-providers` send them. For unit tests; the sandbox serves the same over the wire.
 *
 * @public
 */
export function fakeAwsHandlers(state: FakeAwsState) {
  return [
    http.get(
      /^https:\/\/eks\.([a-z0-9-]+)\.amazonaws\.com\/clusters$/,
      ({ request }) => {
        count(state, 'ListClusters');
        const region = new URL(request.url).hostname.split('.')[1];
        const url = new URL(request.url);
        const max = Number(url.searchParams.get('maxResults') ?? 100);
        if (!(max >= 1 && max <= 100))
          return awsError(
            400,
            'InvalidParameterException',
            'maxResults must be between 1 and 100',
          );
        const start = Number(url.searchParams.get('nextToken') ?? 0);
        const names = (
          state.clusters[accountOf(request, state)]?.[region] ?? []
        ).map(c => c.name);
        const page = names.slice(start, start + max);
        const next =
          start + max < names.length ? String(start + max) : undefined;
        return HttpResponse.json({
          clusters: page,
          ...(next ? { nextToken: next } : {}),
        });
      },
    ),
    http.get(
      /^https:\/\/eks\.([a-z0-9-]+)\.amazonaws\.com\/clusters\/([^/?]+)$/,
      ({ request }) => {
        count(state, 'DescribeCluster');
        const url = new URL(request.url);
        const region = url.hostname.split('.')[1];
        const name = decodeURIComponent(url.pathname.split('/').pop()!);
        const accountId = accountOf(request, state);
        const cluster = state.clusters[accountId]?.[region]?.find(
          c => c.name === name,
        );
        if (!cluster)
          return awsError(
            404,
            'ResourceNotFoundException',
            `No cluster found for name: ${name}.`,
          );
        return HttpResponse.json({
          cluster: describe(cluster, region, accountId),
        });
      },
    ),
    http.post(
      /^https:\/\/sts\.([a-z0-9-]+\.)?amazonaws\.com\/?$/,
      async ({ request }) => {
        count(state, 'AssumeRole');
        const form = new URLSearchParams(await request.text());
        const role = state.roles?.[form.get('RoleArn') ?? ''];
        if (
          form.get('Action') !== 'AssumeRole' ||
          !role ||
          (role.externalId && role.externalId !== form.get('ExternalId'))
        ) {
          return new HttpResponse(
            `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRole</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
            { status: 403, headers: { 'content-type': 'text/xml' } },
          );
        }
        const expiration = new Date(Date.now() + 3600_000).toISOString();
        return new HttpResponse(
          `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${ASSUMED_PREFIX}${
            role.accountId
          }</AccessKeyId><SecretAccessKey>fake-secret</SecretAccessKey><SessionToken>fake-session</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>${form.get(
            'RoleArn',
          )}/paved</Arn><AssumedRoleId>AROAFAKE:paved</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></AssumeRoleResponse>`,
          { headers: { 'content-type': 'text/xml' } },
        );
      },
    ),
  ];
}
