import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

const step = (name: string, input: Record<string, unknown>) =>
  stringify({
    steps: [
      {
        id: 'namespace',
        name,
        action: 'paved:namespace:provision',
        input,
      },
    ],
  });

export const examples: TemplateExample[] = [
  {
    description:
      'A team namespace on every dev cluster, as a pull request to the GitOps repository',
    example: step('Namespace', {
      name: 'payments-dev',
      owner: 'group:default/payments',
      environment: 'dev',
      tier: 'small',
      mode: 'gitops',
    }),
  },
  {
    description:
      'Applied straight to named clusters, with workload identity and extra labels',
    example: step('Namespace', {
      name: 'orders',
      owner: 'group:default/orders',
      clusters: ['dev-eu', 'prod-eu'],
      tier: 'medium',
      workloadRoleArn: 'arn:aws:iam::111111111111:role/orders-workload',
      labels: { 'cost-center': 'cc-42' },
      viewerGroups: ['support'],
      mode: 'apply',
    }),
  },
  {
    description:
      'From the form: owner from OwnerPicker, name and tier from parameters',
    example: step('Namespace', {
      name: '${{ parameters.name }}',
      owner: '${{ parameters.owner }}',
      environment: '${{ parameters.environment }}',
      tier: '${{ parameters.tier }}',
    }),
  },
];
