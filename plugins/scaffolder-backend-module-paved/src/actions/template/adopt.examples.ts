import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'A service copied from the TypeScript service template at v1.2.0 before template sync existed',
    example: stringify({
      steps: [
        {
          id: 'adopt',
          name: 'Register for template sync',
          action: 'paved:template:adopt',
          input: {
            repoUrl: '${{ parameters.repoUrl }}',
            template: 'typescript-service',
            version: 'v1.2.0',
            values: {
              name: '${{ parameters.name }}',
              owner: '${{ parameters.owner }}',
            },
          },
        },
      ],
    }),
  },
];
