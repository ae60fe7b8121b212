import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** EKS accepts a token for 15 minutes after it was signed. */
const MAX_AGE_MS = 15 * 60_000;

function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

/**
 * Checks a bearer token as an EKS cluster does (aws-iam-authenticator): `k8s-aws-v1.` + base64url of a presigned STS
 * GetCallerIdentity URL, signed with `x-k8s-aws-id` set to this cluster, at most 15 minutes old. Where EKS asks STS to
 * verify the signature, the stand-in re-signs with the identity it knows. Returns why it is refused, or undefined.
 */
export async function eksTokenProblem(
  token: string,
  clusterName: string,
  identity: { accessKeyId: string; secretAccessKey: string },
  now = Date.now(),
): Promise<string | undefined> {
  if (!token.startsWith('k8s-aws-v1.'))
    return 'not an EKS token (k8s-aws-v1. prefix)';
  let url: URL;
  try {
    url = new URL(
      Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString(
        'utf8',
      ),
    );
  } catch {
    return 'token does not decode to a URL';
  }
  const q = url.searchParams;
  if (
    url.protocol !== 'https:' ||
    !/^sts(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(url.hostname) ||
    url.pathname !== '/'
  ) {
    return `token URL must be an STS endpoint, got ${url.host}${url.pathname}`;
  }
  if (
    q.get('Action') !== 'GetCallerIdentity' ||
    q.get('Version') !== '2011-06-15'
  )
    return 'token is not a GetCallerIdentity request';
  const signedHeaders = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
  if (
    !signedHeaders.includes('x-k8s-aws-id') ||
    !signedHeaders.includes('host')
  )
    return 'token does not sign host and x-k8s-aws-id';
  const [accessKeyId, , region] = (q.get('X-Amz-Credential') ?? '').split('/');
  if (accessKeyId !== identity.accessKeyId)
    return 'token signed by an unknown identity';
  const signedAt = parseAmzDate(q.get('X-Amz-Date') ?? '');
  if (Number.isNaN(signedAt)) return 'token has no valid X-Amz-Date';
  if (now - signedAt > MAX_AGE_MS) return 'token expired';
  if (signedAt - now > 5 * 60_000) return 'token signed in the future';

  const request = new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname: url.hostname,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: url.hostname, 'x-k8s-aws-id': clusterName },
  });
  const signer = new SignatureV4({
    credentials: identity,
    region,
    service: 'sts',
    sha256: Sha256,
  });
  const expected = await signer.presign(request, {
    expiresIn: Number(q.get('X-Amz-Expires') ?? 60),
    signingDate: new Date(signedAt),
  });
  if (expected.query?.['X-Amz-Signature'] !== q.get('X-Amz-Signature')) {
    return `token signature does not match (was it made for cluster "${clusterName}"?)`;
  }
  return undefined;
}
