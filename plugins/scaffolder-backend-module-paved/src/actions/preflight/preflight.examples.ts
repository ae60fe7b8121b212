import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'First step of a golden path: the name, the repository, the team namespace on both clusters and the Argo CD applications, before anything is created; publish is skipped when an earlier run of the same service left its repository',
    example: stringify({
      steps: [
        {
          id: 'preflight',
          name: 'Check before creating anything',
          action: 'paved:preflight',
          input: {
            entityRef: 'component:default/orders-api',
            owner: 'group:default/orders-team',
            repoUrl: 'github.com?owner=acme&repo=orders-api',
            namespace: 'orders-team',
            clusters: ['dev-eu', 'prod-eu'],
            appName: 'orders-api',
            answers: { name: 'orders-api', tier: 'small' },
          },
        },
        {
          id: 'publish',
          if: '${{ not steps.preflight.output.resume }}',
          action: 'publish:github',
          input: { repoUrl: 'github.com?owner=acme&repo=orders-api' },
        },
      ],
    }),
  },
];
