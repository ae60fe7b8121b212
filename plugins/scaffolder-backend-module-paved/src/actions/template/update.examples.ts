import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

const step = (input: Record<string, unknown>) =>
  stringify({
    steps: [
      {
        id: 'update',
        name: 'Update to the newest template version',
        action: 'paved:template:update',
        input,
      },
    ],
  });

export const examples: TemplateExample[] = [
  {
    description:
      'The repository chosen in the form (RepoUrlPicker), to the newest version: opens or refreshes one pull request',
    example: step({ repoUrl: '${{ parameters.repoUrl }}' }),
  },
  {
    description: 'One instance of a monorepo, to a given version',
    example: step({
      repoUrl: 'https://github.com/acme/platform',
      answersFile: 'services/billing-worker/.copier-answers.yml',
      version: 'v2.4.0',
    }),
  },
];
