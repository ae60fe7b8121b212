import { ManifestError } from '../namespace/manifests';
import {
  appProjectManifest,
  applicationManifest,
  type ArgoCdRegistration,
} from './manifests';

const registration = (
  overrides: Partial<ArgoCdRegistration> = {},
): ArgoCdRegistration => ({
  appName: 'orders',
  entityRef: 'component:default/orders',
  ownerRef: 'group:default/orders-team',
  project: 'orders-team',
  argoNamespace: 'argocd',
  repoUrl: 'https://github.com/acme/orders',
  path: 'chart',
  valueFiles: ['values.yaml'],
  targetRevision: 'HEAD',
  destination: { name: 'dev-eu', namespace: 'orders' },
  syncPolicy: { automated: true, prune: true, selfHeal: false },
  sourceRepos: ['https://github.com/acme/*'],
  projectDestinations: [
    { name: 'prod-eu', namespace: 'orders' },
    { name: 'dev-eu', namespace: 'orders' },
  ],
  ...overrides,
});

describe('Argo CD manifests', () => {
  it.each<[string, Partial<ArgoCdRegistration>, Record<string, unknown>]>([
    [
      'automated with prune',
      {},
      {
        automated: { prune: true, selfHeal: false },
        syncOptions: ['CreateNamespace=false', 'ServerSideApply=true'],
      },
    ],
    [
      'manual sync',
      { syncPolicy: { automated: false, prune: true, selfHeal: true } },
      { syncOptions: ['CreateNamespace=false', 'ServerSideApply=true'] },
    ],
    [
      'self-heal',
      { syncPolicy: { automated: true, prune: false, selfHeal: true } },
      {
        automated: { prune: false, selfHeal: true },
        syncOptions: ['CreateNamespace=false', 'ServerSideApply=true'],
      },
    ],
  ])('Application sync policy: %s', (_name, overrides, syncPolicy) => {
    expect(
      applicationManifest(registration(overrides)).spec.syncPolicy,
    ).toEqual(syncPolicy);
  });

  it.each<[string[], unknown]>([
    [
      ['values.yaml', 'values-prod.yaml'],
      { valueFiles: ['values.yaml', 'values-prod.yaml'] },
    ],
    [[], undefined],
  ])('Helm values files %p', (valueFiles, helm) => {
    expect(
      applicationManifest(registration({ valueFiles })).spec.source.helm,
    ).toEqual(helm);
  });

  it('links the Application back to its entity and owner', () => {
    const app = applicationManifest(registration());
    expect(app.metadata).toEqual({
      name: 'orders',
      namespace: 'argocd',
      labels: {
        'app.kubernetes.io/managed-by': 'paved',
        'paved.dev/owner': 'group.default.orders-team',
        'paved.dev/entity': 'component.default.orders',
      },
      annotations: {
        'paved.dev/entity-ref': 'component:default/orders',
        'paved.dev/owner-ref': 'group:default/orders-team',
      },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    });
  });

  it("limits the team's AppProject to its repositories and namespaces, sorted, and keeps guardrails out", () => {
    const project = appProjectManifest(registration());
    expect(project.spec).toEqual({
      description:
        'Applications of group:default/orders-team, managed by Paved',
      sourceRepos: ['https://github.com/acme/*'],
      destinations: [
        { name: 'dev-eu', namespace: 'orders' },
        { name: 'prod-eu', namespace: 'orders' },
      ],
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: [
        { group: '', kind: 'ResourceQuota' },
        { group: '', kind: 'LimitRange' },
        { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
      ],
    });
  });

  it('refuses an object @kubernetes-models/argo-cd rejects', () => {
    expect(() =>
      applicationManifest(
        registration({
          destination:
            undefined as unknown as ArgoCdRegistration['destination'],
        }),
      ),
    ).toThrow(ManifestError);
  });
});
