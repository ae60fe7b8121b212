import { isIP } from 'node:net';
import type { Config } from '@backstage/config';
import { DEFAULT_TIERS, type TierPreset } from '../lib/namespace/presets';

/**
 * Names no team may claim (nor deploy into through Argo CD), whatever the configuration adds: Kubernetes' own, and
 * those of the cluster add-ons an EKS platform runs (ingress, certificates, DNS, secrets, autoscaling, observability,
 * admission policy) and Paved's.
 */
const ALWAYS_RESERVED = [
  'default',
  'kube-*',
  'openshift-*',
  'argocd',
  'argo-*',
  'paved-*',
  'ingress-nginx',
  'cert-manager',
  'external-dns',
  'external-secrets',
  'karpenter',
  'amazon-cloudwatch',
  'aws-observability',
  'amazon-guardduty',
  'gatekeeper-system',
  'kyverno',
  'istio-system',
  'flux-system',
];

/** An IPv4 or IPv6 CIDR, as Kubernetes' ipBlock takes it. */
function isCidr(text: string): boolean {
  const [address, bits, ...rest] = text.split('/');
  if (rest.length || !bits || !/^\d{1,3}$/.test(bits)) return false;
  const version = isIP(address);
  return version !== 0 && Number(bits) <= (version === 4 ? 32 : 128);
}

/**
 * What platform teams decide about team namespaces (`paved.namespaces`): tiers, reserved names, the Kubernetes
 * groups bound to roles, the ingress namespaces allowed in, and the default mode. Read once, from config.
 * @public
 */
export class NamespacePolicy {
  static fromConfig(config: Config): NamespacePolicy {
    const ns = config.getOptionalConfig('paved.namespaces');
    const tiers: Record<string, TierPreset> = { ...DEFAULT_TIERS };
    const tierConfig = ns?.getOptionalConfig('tiers');
    for (const name of tierConfig?.keys() ?? []) {
      const tier = tierConfig!.getConfig(name);
      const pair = (key: string) => ({
        cpu: tier.getString(`limits.${key}.cpu`),
        memory: tier.getString(`limits.${key}.memory`),
      });
      tiers[name] = {
        // Quota keys contain dots (requests.cpu), which config paths cannot address: read the object whole.
        quota: Object.fromEntries(
          Object.entries(
            tier.get<Record<string, string | number>>('quota'),
          ).map(([k, v]) => [k, String(v)]),
        ),
        limits: {
          defaultRequest: pair('defaultRequest'),
          default: pair('default'),
          max: pair('max'),
        },
      };
    }
    const mode = ns?.getOptionalString('defaultMode') ?? 'gitops';
    if (mode !== 'gitops' && mode !== 'apply') {
      throw new Error(
        `paved.namespaces.defaultMode must be gitops or apply, not ${mode}`,
      );
    }
    const ingressCidrs = ns?.getOptionalStringArray('ingressCidrs') ?? [];
    for (const cidr of ingressCidrs)
      if (!isCidr(cidr))
        throw new Error(
          `paved.namespaces.ingressCidrs: "${cidr}" is not a CIDR such as 10.0.0.0/20`,
        );
    return new NamespacePolicy({
      tiers,
      reserved: [
        ...ALWAYS_RESERVED,
        ...(ns?.getOptionalStringArray('reservedNames') ?? []),
      ],
      teamGroupPattern:
        ns?.getOptionalString('teamGroupPattern') ?? 'paved:team:{name}',
      viewerGroups: ns?.getOptionalStringArray('viewerGroups') ?? [],
      ingressNamespaces: ns?.getOptionalStringArray('ingressNamespaces') ?? [
        'ingress-nginx',
      ],
      ingressCidrs,
      defaultMode: mode,
    });
  }

  constructor(
    readonly options: {
      tiers: Record<string, TierPreset>;
      /** Exact names, or prefixes ending in `*`. */
      reserved: string[];
      /** Kubernetes group of a team: `{name}` and `{namespace}` of its Group entity. */
      teamGroupPattern: string;
      viewerGroups: string[];
      ingressNamespaces: string[];
      /** Load balancer subnets allowed in (ALB IP targets); none by default. */
      ingressCidrs?: string[];
      defaultMode: 'gitops' | 'apply';
    },
  ) {}

  /** The reserved pattern a name matches, if any. */
  reservedBy(name: string): string | undefined {
    return this.options.reserved.find(pattern =>
      pattern.endsWith('*')
        ? name.startsWith(pattern.slice(0, -1))
        : name === pattern,
    );
  }

  tier(name: string): TierPreset | undefined {
    return Object.prototype.hasOwnProperty.call(this.options.tiers, name)
      ? this.options.tiers[name]
      : undefined;
  }

  tierNames(): string[] {
    return Object.keys(this.options.tiers);
  }

  teamGroup(owner: { namespace: string; name: string }): string {
    return this.options.teamGroupPattern
      .replace(/\{name\}/g, owner.name)
      .replace(/\{namespace\}/g, owner.namespace);
  }
}
