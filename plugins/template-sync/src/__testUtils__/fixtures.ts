import type { Entity } from '@backstage/catalog-model';
import type {
  TemplateFleetResponse,
  TemplateInstanceState,
} from '@paved/plugin-paved-common';

export const SOURCE = 'https://github.com/acme/templates//service';

export const orders: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: {
      'paved.dev/template-source': SOURCE,
      'paved.dev/template-version': 'v1.0.0',
    },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

const checked = new Date(Date.now() - 5 * 60_000).toISOString();

export const withPullRequest: TemplateInstanceState = {
  entityRef: 'component:default/orders',
  title: 'Orders',
  owner: 'group:default/team-a',
  source: SOURCE,
  templateName: 'service',
  answersFile: '.copier-answers.yml',
  repoUrl: 'https://github.com/acme/orders',
  currentVersion: 'v1.0.0',
  latestVersion: 'v2.0.0',
  status: 'pull-request',
  pullRequest: {
    number: 12,
    url: 'https://github.com/acme/orders/pull/12',
    version: 'v2.0.0',
    draft: false,
    conflicts: 0,
    changedFiles: 4,
  },
  lastCheckedAt: checked,
};

export const conflicted: TemplateInstanceState = {
  ...withPullRequest,
  entityRef: 'component:default/payments',
  title: 'Payments',
  owner: 'group:default/team-b',
  repoUrl: 'https://github.com/acme/payments',
  status: 'conflicts',
  pullRequest: {
    number: 3,
    url: 'https://github.com/acme/payments/pull/3',
    version: 'v2.0.0',
    draft: true,
    conflicts: 2,
    changedFiles: 6,
  },
};

export const upToDate: TemplateInstanceState = {
  ...withPullRequest,
  entityRef: 'component:default/ledger',
  title: 'Ledger',
  currentVersion: 'v2.0.0',
  status: 'up-to-date',
  pullRequest: undefined,
};

export const failing: TemplateInstanceState = {
  ...withPullRequest,
  entityRef: 'component:default/gone',
  title: undefined,
  status: 'error',
  error:
    '.copier-answers.yml is not on the default branch of https://github.com/acme/gone',
  pullRequest: undefined,
  currentVersion: undefined,
};

export const fleet: TemplateFleetResponse = {
  templates: [
    {
      source: SOURCE,
      templateName: 'service',
      latestVersion: 'v2.0.0',
      instances: 4,
      behind: 2,
      openPullRequests: 2,
      conflicted: 1,
      errors: 1,
      versions: [
        { version: 'v2.0.0', count: 1 },
        { version: 'v1.0.0', count: 2 },
        { version: 'unknown', count: 1 },
      ],
    },
  ],
  instances: [failing, upToDate, withPullRequest, conflicted],
  total: 4,
};
