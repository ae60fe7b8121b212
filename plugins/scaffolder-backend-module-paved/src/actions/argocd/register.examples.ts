import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

const step = (input: Record<string, unknown>) =>
  stringify({
    steps: [
      {
        id: 'argocd',
        name: 'Register with Argo CD',
        action: 'paved:argocd:register',
        input,
      },
    ],
  });

export const examples: TemplateExample[] = [
  {
    description:
      'A new service on two clusters: one Application per cluster (orders-dev-eu, orders-prod-eu) and the team project, in one GitOps pull request',
    example: step({
      entityRef: 'component:default/orders',
      owner: 'group:default/orders-team',
      repoUrl: 'https://github.com/acme/orders',
      path: 'chart',
      clusters: ['dev-eu', 'prod-eu'],
      namespace: 'orders',
    }),
  },
  {
    description:
      'A new service on the dev cluster, as a pull request to the GitOps repository, annotating catalog-info.yaml before publish',
    example: step({
      entityRef: 'component:default/orders',
      owner: 'group:default/orders-team',
      repoUrl: 'https://github.com/acme/orders',
      path: 'chart',
      valueFiles: ['values.yaml', 'values-dev.yaml'],
      cluster: 'dev-eu',
      namespace: 'orders',
      catalogInfoPath: 'catalog-info.yaml',
    }),
  },
  {
    description:
      'Through the Argo CD API of a named instance, pinned to a tag, with pruning and self-heal',
    example: step({
      entityRef: 'component:default/orders',
      owner: 'group:default/orders-team',
      repoUrl: 'https://github.com/acme/orders',
      cluster: 'prod-eu',
      namespace: 'orders',
      instance: 'edge',
      appName: 'orders-prod',
      targetRevision: 'v1.4.0',
      syncPolicy: { automated: true, prune: true, selfHeal: true },
      mode: 'api',
    }),
  },
];
