/** What the sandbox starts with, consistent with the example catalog. */
export interface SandboxSeed {
  /** The identity the AWS stand-ins accept (the default credential chain's, in development). */
  aws: { accountId: string; accessKeyId: string; secretAccessKey: string };
  clusters: Array<{
    name: string;
    region: string;
    tags: Record<string, string>;
  }>;
  /** Namespaces every cluster starts with. */
  namespaces: string[];
  /** GitHub: the organisation, the tokens it accepts (token → user) and its repositories. */
  github: {
    org: string;
    tokens: Record<string, string>;
    repos: Array<{
      name: string;
      files: Array<{ path: string; content: string }>;
    }>;
  };
}

export const defaultSeed: SandboxSeed = {
  aws: {
    accountId: '111111111111',
    accessKeyId: 'AKIAPAVEDSANDBOX0001',
    secretAccessKey: 'paved-sandbox-secret',
  },
  clusters: [
    {
      name: 'dev-eu',
      region: 'eu-west-1',
      tags: {
        owner: 'group:platform-team',
        lifecycle: 'experimental',
        environment: 'dev',
      },
    },
    {
      name: 'prod-eu',
      region: 'eu-west-1',
      tags: {
        owner: 'group:platform-team',
        lifecycle: 'production',
        environment: 'prod',
      },
    },
  ],
  namespaces: ['default', 'kube-system', 'kube-public', 'argocd'],
  github: {
    org: 'paved-demo',
    tokens: { 'paved-sandbox-github-token': 'paved-bot' },
    repos: [
      {
        name: 'gitops',
        files: [
          {
            path: 'README.md',
            content:
              '# GitOps\n\nCluster state Argo CD reconciles: `clusters/<cluster>/namespaces/<namespace>.yaml` and `apps/`.\n',
          },
        ],
      },
    ],
  },
};
