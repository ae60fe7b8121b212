import { ConfigReader } from '@backstage/config';
import { DEFAULT_TIERS } from '../lib/namespace/presets';
import { NamespacePolicy } from './NamespacePolicy';

describe('NamespacePolicy', () => {
  const policy = NamespacePolicy.fromConfig(
    new ConfigReader({
      paved: {
        namespaces: {
          reservedNames: ['platform-*', 'monitoring'],
          teamGroupPattern: 'eks:{namespace}:{name}-devs',
          tiers: {
            small: {
              quota: { 'requests.cpu': '1', pods: 5 },
              limits: {
                defaultRequest: { cpu: '50m', memory: '64Mi' },
                default: { cpu: '100m', memory: '128Mi' },
                max: { cpu: '1', memory: '1Gi' },
              },
            },
          },
        },
      },
    }),
  );

  it.each([
    ['default', 'default'],
    ['kube-system', 'kube-*'],
    ['kube-anything', 'kube-*'],
    ['openshift-x', 'openshift-*'],
    ['argocd', 'argocd'],
    ['paved-system', 'paved-*'],
    ['platform-tools', 'platform-*'],
    ['monitoring', 'monitoring'],
    ['monitoring-team', undefined],
    ['payments', undefined],
    ['kube', undefined],
  ])('%p is reserved by %p', (name, pattern) => {
    expect(policy.reservedBy(name)).toBe(pattern);
  });

  it('lets config replace a built-in tier and keeps the others', () => {
    expect(policy.tier('small')?.quota).toEqual({
      'requests.cpu': '1',
      pods: '5',
    });
    expect(policy.tier('large')).toEqual(DEFAULT_TIERS.large);
    expect(policy.tier('toString')).toBeUndefined();
  });

  it('names the team group from the pattern', () => {
    expect(policy.teamGroup({ namespace: 'default', name: 'payments' })).toBe(
      'eks:default:payments-devs',
    );
  });

  it('defaults: gitops, ingress-nginx, no viewers, paved:team:{name}', () => {
    const defaults = NamespacePolicy.fromConfig(new ConfigReader({}));
    expect(defaults.options).toMatchObject({
      defaultMode: 'gitops',
      ingressNamespaces: ['ingress-nginx'],
      viewerGroups: [],
      teamGroupPattern: 'paved:team:{name}',
    });
    expect(defaults.tierNames()).toEqual(['small', 'medium', 'large']);
    expect(defaults.options.ingressCidrs).toEqual([]);
  });

  it('takes load balancer subnets as CIDRs and refuses anything else', () => {
    const read = (ingressCidrs: string[]) =>
      NamespacePolicy.fromConfig(
        new ConfigReader({ paved: { namespaces: { ingressCidrs } } }),
      ).options.ingressCidrs;
    expect(read(['10.0.0.0/20', 'fd00::/64'])).toEqual([
      '10.0.0.0/20',
      'fd00::/64',
    ]);
    for (const bad of ['10.0.0.0', '10.0.0.0/33', 'ten/8', '10.0.0.0/8/1'])
      expect(() => read([bad])).toThrow(
        `paved.namespaces.ingressCidrs: "${bad}" is not a CIDR such as 10.0.0.0/20`,
      );
  });
});
