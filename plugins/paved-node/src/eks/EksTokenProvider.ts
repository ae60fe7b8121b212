import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { EksAccess } from './EksClient';
import { AwsCredentials, CredentialsProvider } from './credentials';

/** A bearer token for an EKS cluster's Kubernetes API, and when to stop using it. @public */
export interface EksToken {
  token: string;
  /** Refresh after this time; the API server accepts the token for 15 minutes from signing. */
  expiresAt: Date;
}

/** EKS accepts a token for 15 minutes; Paved renews it one minute earlier. */
const TOKEN_LIFETIME_MS = 14 * 60_000;

/**
 * Builds the token EKS clusters accept, exactly as aws-iam-authenticator and `aws eks get-token` do: an STS
 * GetCallerIdentity URL presigned (SigV4, 60 s) with the `x-k8s-aws-id` header naming the cluster, base64url-encoded
 * after `k8s-aws-v1.`.
 * @public
 */
export async function createEksToken(options: {
  clusterName: string;
  region: string;
  credentials: Awaited<ReturnType<CredentialsProvider>>;
  signingDate?: Date;
}): Promise<string> {
  const hostname = `sts.${options.region}.amazonaws.com`;
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: 'sts',
    sha256: Sha256,
  });
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: hostname, 'x-k8s-aws-id': options.clusterName },
  });
  const presigned = await signer.presign(request, {
    expiresIn: 60,
    signingDate: options.signingDate,
  });
  const query = Object.entries(presigned.query ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`,
    )
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return `k8s-aws-v1.${Buffer.from(url, 'utf8').toString('base64url')}`;
}

/**
 * EKS tokens per cluster and identity, cached until shortly before they expire. Credentials come from the default
 * chain or, per access, an assumed role. Tokens are secrets: never log them.
 * @public
 */
export class EksTokenProvider {
  private readonly cache = new Map<string, Promise<EksToken>>();

  private readonly credentials: AwsCredentials;

  constructor(
    private readonly options: {
      now?: () => number;
      /** Shared credentials (assumed roles), as given to EksClient. */
      credentials?: AwsCredentials;
      /** Credentials for accesses without a role, instead of the SDK's default chain (tests). */
      defaultCredentials?: CredentialsProvider;
    } = {},
  ) {
    this.credentials =
      options.credentials ??
      new AwsCredentials({ defaultCredentials: options.defaultCredentials });
  }

  async getToken(
    clusterName: string,
    region: string,
    access: EksAccess = {},
  ): Promise<EksToken> {
    const now = this.options.now ?? Date.now;
    const key = `${clusterName}\0${region}\0${access.roleArn ?? ''}\0${
      access.externalId ?? ''
    }`;
    const cached = this.cache.get(key);
    if (cached) {
      const token = await cached.catch(() => undefined);
      if (token && token.expiresAt.getTime() > now()) return token;
    }
    const next = (async () => {
      const signedAt = now();
      const credentials = await this.credentials.for(access, region)();
      const token = await createEksToken({
        clusterName,
        region,
        credentials,
        signingDate: new Date(signedAt),
      });
      return { token, expiresAt: new Date(signedAt + TOKEN_LIFETIME_MS) };
    })();
    this.cache.set(key, next);
    next.catch(() => this.cache.get(key) === next && this.cache.delete(key));
    return next;
  }
}
