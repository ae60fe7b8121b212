import type { Handler, SandboxRequest } from './http';
import { json } from './http';
import type { SandboxSeed } from './seed';

/** Region and access key of a SigV4-signed request, from its credential scope. */
export function signingScope(
  req: SandboxRequest,
): { accessKeyId: string; region: string } | undefined {
  const auth = String(req.headers.authorization ?? '');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
      auth,
    );
  return match ? { accessKeyId: match[1], region: match[2] } : undefined;
}

function awsError(status: number, type: string, message: string) {
  return json(
    status,
    { message },
    {
      'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.eks/`,
    },
  );
}

/**
 * EKS's REST-JSON API as `@aws-sdk/client-eks` calls it (configure `endpoint: <sandbox>/aws/eks`): ListClusters
 * with maxResults/nextToken, DescribeCluster, errors with `x-amzn-errortype`. Requests must be SigV4-signed by the
 * seeded identity; the region comes from the signature's scope.
 */
export function eksStandIn(
  seed: SandboxSeed,
  baseUrl: () => string,
  caData: string,
): Handler {
  return req => {
    const path = req.url.pathname;
    if (!path.startsWith('/aws/eks/')) return undefined;
    const scope = signingScope(req);
    if (!scope)
      return awsError(
        403,
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
      );
    if (scope.accessKeyId !== seed.aws.accessKeyId) {
      return awsError(
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    const clusters = seed.clusters.filter(c => c.region === scope.region);
    if (req.method === 'GET' && path === '/aws/eks/clusters') {
      const max = Number(req.url.searchParams.get('maxResults') ?? 100);
      if (!Number.isInteger(max) || max < 1 || max > 100) {
        return awsError(
          400,
          'InvalidParameterException',
          'maxResults must be between 1 and 100',
        );
      }
      const start = Number(req.url.searchParams.get('nextToken') ?? 0);
      const page = clusters.slice(start, start + max).map(c => c.name);
      return json(200, {
        clusters: page,
        ...(start + max < clusters.length
          ? { nextToken: String(start + max) }
          : {}),
      });
    }
    const match = /^\/aws\/eks\/clusters\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && match) {
      const name = decodeURIComponent(match[1]);
      const cluster = clusters.find(c => c.name === name);
      if (!cluster)
        return awsError(
          404,
          'ResourceNotFoundException',
          `No cluster found for name: ${name}.`,
        );
      return json(200, {
        cluster: {
          name,
          arn: `arn:aws:eks:${cluster.region}:${seed.aws.accountId}:cluster/${name}`,
          createdAt: 1767225600,
          version: '1.31',
          endpoint: `${baseUrl()}/k8s/${name}`,
          roleArn: `arn:aws:iam::${seed.aws.accountId}:role/eks-cluster`,
          status: 'ACTIVE',
          certificateAuthority: { data: caData },
          platformVersion: 'eks.sandbox',
          tags: cluster.tags,
        },
      });
    }
    return awsError(
      404,
      'NotFoundException',
      `The sandbox's EKS stand-in does not serve ${req.method} ${path}`,
    );
  };
}
