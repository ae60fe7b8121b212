import type { Sandbox } from './server';

/**
 * The app-config a Paved backend needs to talk to this sandbox: the GitHub integration (host, REST base, token),
 * the EKS endpoint and the seeded clusters (with their environment tags), and the GitOps repository. The same shape
 * as app-config.sandbox.yaml, for a sandbox on any port.
 *
 * @public
 */
export function sandboxConfig(sandbox: Sandbox) {
  return {
    integrations: {
      github: [
        {
          host: new URL(sandbox.url).host,
          apiBaseUrl: sandbox.github.apiUrl,
          token: sandbox.github.token,
        },
      ],
    },
    paved: {
      eks: {
        endpoint: `${sandbox.url}/aws/eks`,
        clusters: sandbox.seed.clusters.map(c => ({
          name: c.name,
          region: c.region,
          accountId: sandbox.seed.aws.accountId,
          ...(c.tags.environment ? { environment: c.tags.environment } : {}),
        })),
      },
      gitops: { repoUrl: `${sandbox.url}/${sandbox.github.org}/gitops` },
      newrelic: {
        endpoint: `${sandbox.url}/newrelic/graphql`,
        accountId: sandbox.seed.newrelic.accountId,
        apiKey: sandbox.seed.newrelic.apiKey,
      },
      argocd: {
        instances: sandbox.seed.argocd.instances.map(i => ({
          name: i.name,
          url: `${sandbox.url}/argocd/${i.name}`,
          token: i.token,
        })),
      },
    },
  };
}
