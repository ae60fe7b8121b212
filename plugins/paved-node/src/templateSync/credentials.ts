import {
  DefaultGithubCredentialsProvider,
  type GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import type { Config } from '@backstage/config';
import type { GitCredentials } from '@paved/plugin-template-sync-node';

/**
 * Git credentials for template sources and instance repositories from Backstage's GitHub integrations (a token or a
 * GitHub App installation token, fetched per repository so app tokens rotate): `Authorization: Basic` with
 * `x-access-token` as user, as GitHub expects over HTTPS. Hosts without an integration get no header.
 * @public
 */
export function githubGitCredentials(
  integrations: Pick<ScmIntegrations, 'github'>,
  provider: GithubCredentialsProvider,
): GitCredentials {
  return async url => {
    if (!integrations.github.byUrl(url)) return undefined;
    const { token } = await provider.getCredentials({ url });
    if (!token) return undefined;
    return {
      Authorization: `Basic ${Buffer.from(`x-access-token:${token}`).toString(
        'base64',
      )}`,
    };
  };
}

/** {@link githubGitCredentials} from root config. @public */
export function gitCredentialsFromConfig(config: Config): GitCredentials {
  const integrations = ScmIntegrations.fromConfig(config);
  return githubGitCredentials(
    integrations,
    DefaultGithubCredentialsProvider.fromIntegrations(integrations),
  );
}
