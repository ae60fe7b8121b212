import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

const step = (input: Record<string, unknown>) =>
  stringify({
    steps: [
      {
        id: 'fetch',
        name: 'Render the template',
        action: 'paved:template:fetch',
        input,
      },
    ],
  });

export const examples: TemplateExample[] = [
  {
    description:
      "A service at the template's newest version, answers from the form, provenance on catalog-info.yaml",
    example: step({
      source: 'https://github.com/acme/templates//typescript-service',
      values: {
        name: '${{ parameters.name }}',
        owner: '${{ parameters.owner }}',
      },
    }),
  },
  {
    description:
      'One instance of a monorepo, pinned to a version, into its own folder with its own answers file',
    example: step({
      source: 'https://github.com/acme/templates//worker',
      version: 'v2.3.0',
      values: { name: 'billing-worker' },
      targetPath: 'services/billing-worker',
      answersFile: '.copier-answers.yml',
    }),
  },
];
