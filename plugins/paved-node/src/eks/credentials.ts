import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { EksAccess } from './EksClient';

/** Resolves AWS credentials (SDK v3 provider shape). @public */
export type CredentialsProvider = ReturnType<typeof fromTemporaryCredentials>;
type Credentials = Awaited<ReturnType<CredentialsProvider>>;

/** Renew shared credentials this long before they expire. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * One resolution shared by every caller: concurrent first calls share one request, later calls reuse the result until
 * shortly before it expires; a failure is not cached.
 */
export function shareUntilExpiry(
  provider: CredentialsProvider,
): CredentialsProvider {
  let pending: Promise<Credentials> | undefined;
  return async options => {
    if (pending) {
      const current = await pending.catch(() => undefined);
      if (
        current &&
        (!current.expiration ||
          current.expiration.getTime() - Date.now() > EXPIRY_MARGIN_MS)
      ) {
        return current;
      }
    }
    const next = provider(options);
    pending = next;
    next.catch(() => {
      if (pending === next) pending = undefined;
    });
    return next;
  };
}

/**
 * Credentials per access: the default chain (environment, SSO, web identity / IRSA, Pod Identity, instance
 * metadata), or an assumed role, with one AssumeRole per role shared across regions, SDK clients and tokens.
 * @public
 */
export class AwsCredentials {
  private readonly roles = new Map<string, CredentialsProvider>();
  private defaultChain?: CredentialsProvider;

  constructor(
    private readonly options: { defaultCredentials?: CredentialsProvider } = {},
  ) {}

  /** The assumed role's credentials, or undefined when `access` names no role (let the SDK use its default chain). */
  forRole(access: EksAccess, region: string): CredentialsProvider | undefined {
    if (!access.roleArn) return undefined;
    const key = `${access.roleArn}\0${access.externalId ?? ''}`;
    let provider = this.roles.get(key);
    if (!provider) {
      provider = shareUntilExpiry(
        fromTemporaryCredentials({
          params: {
            RoleArn: access.roleArn,
            ExternalId: access.externalId,
            RoleSessionName: 'paved-backstage',
          },
          clientConfig: { region },
        }),
      );
      this.roles.set(key, provider);
    }
    return provider;
  }

  /** Always a provider: the assumed role's, or the default chain's. */
  for(access: EksAccess, region: string): CredentialsProvider {
    return (
      this.forRole(access, region) ??
      this.options.defaultCredentials ??
      (this.defaultChain ??= shareUntilExpiry(
        defaultProvider() as CredentialsProvider,
      ))
    );
  }
}
