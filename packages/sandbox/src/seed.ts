import type { OidcClient, OidcUser } from './oidc';
import {
  DEV_TEMPLATE_SOURCE,
  renderedServiceFixture,
  serviceTemplateFixture,
} from './fixtures';

/**
 * What the sandbox starts with, consistent with the example catalog.
 *
 * @public
 */
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
  /**
   * Services of the example catalog (examples/catalog.yaml): each runs in its team's namespace on the listed clusters,
   * with a state the runtime views should show, an Argo CD application on `main` and a New Relic APM entity.
   */
  services: Array<{
    name: string;
    team: string;
    namespace: string;
    image: string;
    replicas: number;
    clusters: Record<string, 'healthy' | 'degraded' | 'down'>;
    newrelicGuid: string;
  }>;
  /** New Relic: the account and the user API key NerdGraph accepts. */
  newrelic: { accountId: number; apiKey: string };
  /** Argo CD instances, each with an account token and an admin login. */
  argocd: {
    instances: Array<{
      name: string;
      token: string;
      username: string;
      password: string;
      /**
       * The seeded cluster the instance runs in: its `in-cluster` destination (`https://kubernetes.default.svc`).
       * Without it, in-cluster is disabled, as `cluster.inClusterEnabled: false` does.
       */
      inCluster?: string;
    }>;
  };
  /**
   * The identity provider (`startSandbox({ oidc: true })`): users who sign in with a password, and the portals that
   * may ask for them (development values). Each user's email is a catalog User's `spec.profile.email`.
   */
  oidc: {
    users: OidcUser[];
    clients: OidcClient[];
  };
  /** GitHub: the organisation, the tokens it accepts (token → user) and its repositories. */
  github: {
    org: string;
    tokens: Record<string, string>;
    repos: Array<{
      name: string;
      files: Array<{ path: string; content: string }>;
      /** Tagged commits after the first (template releases): each version's files apply on the previous; null deletes.
       * `tags` adds more tags to the same commit (a monorepo's components released together). */
      versions?: Array<{
        tag: string;
        tags?: string[];
        files: Record<string, string | null>;
      }>;
    }>;
  };
}

/** @public */
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
  services: [
    {
      name: 'payments-api',
      team: 'payments-team',
      namespace: 'payments',
      image: 'ghcr.io/paved-demo/payments-api:1.8.2',
      replicas: 3,
      clusters: { 'dev-eu': 'healthy', 'prod-eu': 'healthy' },
      newrelicGuid: 'MTExMTExfEFQTXxBUFBMSUNBVElPTnwxMDAx',
    },
    {
      name: 'orders-api',
      team: 'orders-team',
      namespace: 'orders',
      image: 'ghcr.io/paved-demo/orders-api:2.3.0',
      replicas: 2,
      clusters: { 'dev-eu': 'healthy', 'prod-eu': 'degraded' },
      newrelicGuid: 'MTExMTExfEFQTXxBUFBMSUNBVElPTnwxMDAy',
    },
    {
      name: 'ledger-worker',
      team: 'payments-team',
      namespace: 'payments',
      image: 'ghcr.io/paved-demo/ledger-worker:0.4.1',
      replicas: 1,
      clusters: { 'dev-eu': 'down' },
      newrelicGuid: 'MTExMTExfEFQTXxBUFBMSUNBVElPTnwxMDAz',
    },
  ],
  newrelic: { accountId: 1111111, apiKey: 'NRAK-PAVEDSANDBOX0000000000000' },
  argocd: {
    instances: [
      {
        name: 'main',
        token: 'paved-sandbox-argocd-main-token',
        username: 'admin',
        password: 'paved-sandbox-argocd',
        // Argo CD runs in dev-eu; the edge instance has in-cluster disabled.
        inCluster: 'dev-eu',
      },
      {
        name: 'edge',
        token: 'paved-sandbox-argocd-edge-token',
        username: 'admin',
        password: 'paved-sandbox-argocd',
      },
    ],
  },
  oidc: {
    // examples/catalog.yaml: ada is in payments-team, omar in orders-team.
    users: [
      {
        username: 'ada',
        password: 'paved-sandbox-ada',
        email: 'ada@paved.example',
        name: 'Ada (Payments team)',
        groups: ['payments-team'],
      },
      {
        username: 'omar',
        password: 'paved-sandbox-omar',
        email: 'omar@paved.example',
        name: 'Omar (Orders team)',
        groups: ['orders-team'],
      },
    ],
    clients: [
      {
        clientId: 'paved-portal',
        clientSecret: 'paved-sandbox-oidc-secret',
        redirectUris: [
          'http://localhost:7007/api/auth/oidc/handler/frame',
          'http://127.0.0.1:7007/api/auth/oidc/handler/frame',
          // The production-mode portal the browser tests start next to the development one.
          'http://localhost:7107/api/auth/oidc/handler/frame',
        ],
      },
    ],
  },
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
              '# GitOps\n\nWhat Argo CD reconciles: `clusters/<cluster>/namespaces/<namespace>.yaml` and `argocd/<instance>/{projects,applications}/<name>.yaml`.\n',
          },
        ],
      },
      // Template sync in development: a versioned template and three services scaffolded from it (examples/catalog.yaml
      // carries their provenance). payments-api is behind, orders-api current, ledger-worker behind with an edit on the
      // line the template changes next, so its update pull request has a conflict.
      serviceTemplateFixture.repo,
      {
        name: 'payments-api',
        files: renderedServiceFixture({
          name: 'payments-api',
          version: 'v1.0.0',
          srcPath: DEV_TEMPLATE_SOURCE,
        }),
      },
      {
        name: 'orders-api',
        files: renderedServiceFixture({
          name: 'orders-api',
          version: 'v2.0.0',
          srcPath: DEV_TEMPLATE_SOURCE,
        }),
      },
      {
        name: 'ledger-worker',
        files: renderedServiceFixture({
          name: 'ledger-worker',
          version: 'v1.0.0',
          srcPath: DEV_TEMPLATE_SOURCE,
        }).map(f =>
          f.path === 'config/app.properties'
            ? { ...f, content: f.content.replace('log=info', 'log=debug') }
            : f,
        ),
      },
    ],
  },
};
