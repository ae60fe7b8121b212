import {
  ManifestError,
  namespaceManifests,
  NamespaceRequest,
  refLabel,
} from './manifests';
import { DEFAULT_TIERS } from './presets';

const request = (
  overrides: Partial<NamespaceRequest> = {},
): NamespaceRequest => ({
  name: 'payments-prod',
  ownerRef: 'group:default/payments',
  tier: 'small',
  preset: DEFAULT_TIERS.small,
  teamGroup: 'paved:team:payments',
  viewerGroups: ['paved:viewers'],
  ingressNamespaces: ['ingress-nginx'],
  workloadRoleArn: 'arn:aws:iam::111111111111:role/payments',
  labels: { 'cost-center': 'cc-42' },
  ...overrides,
});

describe('namespaceManifests', () => {
  it('builds the guarded tenant: namespace, quota, limits, network policies, bindings and workload identity', () => {
    const objects = namespaceManifests(request());
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/payments-prod',
      'ResourceQuota/paved-quota',
      'LimitRange/paved-limits',
      'NetworkPolicy/default-deny-ingress',
      'NetworkPolicy/allow-same-namespace',
      'NetworkPolicy/allow-from-ingress',
      'RoleBinding/paved-team-edit',
      'RoleBinding/paved-viewers',
      'ServiceAccount/workload',
    ]);
    const [ns, quota, limits, deny, same, ingress, edit, view, sa] = objects;
    expect(ns).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'payments-prod',
        labels: {
          'cost-center': 'cc-42',
          'paved.dev/owner': 'group.default.payments',
          'paved.dev/tier': 'small',
          'app.kubernetes.io/managed-by': 'paved',
        },
        annotations: { 'paved.dev/owner-ref': 'group:default/payments' },
      },
    });
    expect(
      objects.slice(1).every(o => o.metadata.namespace === 'payments-prod'),
    ).toBe(true);
    expect(quota.spec).toEqual({ hard: DEFAULT_TIERS.small.quota });
    expect((limits.spec as any).limits[0]).toMatchObject({
      type: 'Container',
      default: { cpu: '500m', memory: '512Mi' },
    });
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(same.spec).toMatchObject({
      ingress: [{ from: [{ podSelector: {} }] }],
    });
    expect(ingress.spec).toMatchObject({
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
              },
            },
          ],
        },
      ],
    });
    expect(edit).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', name: 'paved:team:payments' }],
    });
    expect(view).toMatchObject({
      roleRef: { name: 'view' },
      subjects: [{ name: 'paved:viewers' }],
    });
    expect(sa.metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/payments',
    });
  });

  it('admits the load balancer subnets besides the ingress namespaces (ALB IP targets and health checks)', () => {
    const policy = namespaceManifests(
      request({ ingressCidrs: ['10.0.0.0/20', '10.0.16.0/20'] }),
    ).find(o => o.metadata?.name === 'allow-from-ingress') as any;
    expect(policy.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
            },
          },
          { ipBlock: { cidr: '10.0.0.0/20' } },
          { ipBlock: { cidr: '10.0.16.0/20' } },
        ],
      },
    ]);
  });

  it('leaves out what was not asked for', () => {
    const objects = namespaceManifests(
      request({
        viewerGroups: [],
        workloadRoleArn: undefined,
        labels: undefined,
      }),
    );
    expect(objects.map(o => o.metadata.name)).not.toContain('paved-viewers');
    expect(
      objects.find(o => o.kind === 'ServiceAccount')!.metadata.annotations,
    ).toBeUndefined();
  });

  it.each([
    [
      { name: 'Payments' },
      'Namespace name "Payments" must be at most 63 lower-case letters',
    ],
    [{ name: 'a'.repeat(64) }, 'must be at most 63 lower-case letters'],
    [{ name: '-x' }, 'must be at most 63 lower-case letters'],
    [
      { labels: { team: 'has space' } },
      'Label team="has space" has an invalid value',
    ],
    [
      {
        preset: {
          ...DEFAULT_TIERS.small,
          quota: { pods: { many: true } as unknown as string },
        },
      },
      'ResourceQuota paved-quota is not a valid Kubernetes object',
    ],
    [
      { teamGroup: ' ' },
      'The owning team needs a Kubernetes group to bind to edit',
    ],
    [{ viewerGroups: [''] }, 'Viewer groups must not be empty'],
  ])(
    'refuses %j with a message that says what to change',
    (overrides, message) => {
      expect(() => namespaceManifests(request(overrides))).toThrow(
        ManifestError,
      );
      expect(() => namespaceManifests(request(overrides))).toThrow(message);
    },
  );
});

describe('refLabel', () => {
  it('turns entity refs into label values', () => {
    expect(refLabel('group:default/Payments_Team')).toBe(
      'group.default.payments_team',
    );
  });
});
