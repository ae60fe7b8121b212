import { Entity } from '@backstage/catalog-model';
import { entityProblems } from './rules';
import { labelSelectorProblem } from '@paved/plugin-paved-common';

const component = (
  annotations: Record<string, string>,
  spec: object = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments', annotations },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:payments',
    ...spec,
  },
});
const options = {
  argocdInstances: ['main', 'edge'],
  groupOwnedLifecycles: ['production'],
};
const guid = Buffer.from('1234567|APM|APPLICATION|98765').toString('base64');

describe('entityProblems', () => {
  it('accepts well-formed annotations', () => {
    expect(
      entityProblems(
        component({
          'paved.dev/template-source': 'https://github.com/acme/templates',
          'paved.dev/template-version': 'v1.2.0',
          'argocd/app-name': 'payments-prod,payments-dev',
          'argocd/instance-name': 'main',
          'argocd/project-name': 'payments',
          'backstage.io/kubernetes-id': 'payments',
          'backstage.io/kubernetes-namespace': 'payments-prod',
          'backstage.io/kubernetes-label-selector':
            'app.kubernetes.io/name=payments,tier in (web, api),!canary',
          'newrelic.com/entity-guid': guid,
          'paved.dev/clusters': 'prod-eu, resource:default/dev-eu',
        }),
        options,
      ),
    ).toEqual([]);
  });

  it.each([
    [
      { 'paved.dev/template-version': 'v1.0.0' },
      "paved.dev/template-source is missing: set it to the template's Git URL",
    ],
    [
      { 'argocd/app-name': 'Payments_API' },
      'argocd/app-name "Payments_API" is not a valid Argo CD application name: use lower-case letters, digits, "-" and ".", at most 253 characters',
    ],
    [
      { 'argocd/app-name': 'a', 'argocd/app-selector': 'x=y' },
      'Set either argocd/app-name or argocd/app-selector, not both',
    ],
    [
      { 'argocd/app-selector': 'app in (a,b' },
      'argocd/app-selector "app in (a,b" is not a label selector: unbalanced "("',
    ],
    [
      { 'argocd/instance-name': 'other' },
      'argocd/instance-name "other" is not a configured Argo CD instance: use one of main, edge',
    ],
    [
      { 'argocd/project-name': 'Team A' },
      'argocd/project-name "Team A" is not a valid AppProject name',
    ],
    [
      { 'backstage.io/kubernetes-id': '-bad-' },
      'backstage.io/kubernetes-id "-bad-" is not a valid label value',
    ],
    [
      { 'backstage.io/kubernetes-id': '' },
      'backstage.io/kubernetes-id "" is not a valid label value',
    ],
    [
      { 'backstage.io/kubernetes-namespace': 'Payments' },
      'backstage.io/kubernetes-namespace "Payments" is not a valid namespace',
    ],
    [
      { 'backstage.io/kubernetes-label-selector': 'a b' },
      'is not a requirement',
    ],
    [
      { 'newrelic.com/entity-guid': 'not-a-guid' },
      'newrelic.com/entity-guid "not-a-guid" is not a New Relic entity GUID',
    ],
    [
      { 'paved.dev/clusters': 'group:ops' },
      'paved.dev/clusters entry "group:ops" must name a cluster Resource',
    ],
  ])('reports %j', (annotations, message) => {
    const problems = entityProblems(component(annotations), options);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it('requires production Components to be owned by a Group', () => {
    expect(
      entityProblems(
        component({}, { lifecycle: 'production', owner: 'user:jane' }),
        options,
      ),
    ).toEqual([
      'spec.owner "user:jane" is not a Group: Components in lifecycle "production" must be owned by a team (spec.owner: group:<team>), so ownership survives people moving on',
    ]);
    expect(
      entityProblems(
        component({}, { lifecycle: 'production', owner: 'payments' }),
        options,
      ),
    ).toEqual([]);
    expect(
      entityProblems(
        component({}, { lifecycle: 'experimental', owner: 'user:jane' }),
        options,
      ),
    ).toEqual([]);
  });
});

describe('labelSelectorProblem', () => {
  it.each([
    'a',
    '!a',
    'a=b',
    'a==b',
    'a!=b',
    'a in (b,c)',
    'a notin (b)',
    'example.com/a=b',
    'a=b,c=d',
    'a=',
  ])('accepts %s', s => expect(labelSelectorProblem(s)).toBeUndefined());
  it.each([
    '',
    'a,',
    '=b',
    'a=b=c',
    'a in b',
    'a)',
    'Bad Key=b',
    'a=-b-',
    `${'k'.repeat(64)}=v`,
  ])('rejects %j', s => expect(labelSelectorProblem(s)).toBeDefined());
});
