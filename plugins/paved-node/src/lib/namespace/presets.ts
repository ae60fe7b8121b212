/**
 * Quota and default limits of a tier (Kubernetes quantities).
 *
 * @public
 */
export interface TierPreset {
  quota: Record<string, string>;
  limits: {
    defaultRequest: { cpu: string; memory: string };
    default: { cpu: string; memory: string };
    max: { cpu: string; memory: string };
  };
}

/**
 * Built-in tiers; `paved.namespaces.tiers` replaces or adds to them.
 *
 * @public
 */
export const DEFAULT_TIERS: Record<string, TierPreset> = {
  small: {
    quota: {
      'requests.cpu': '2',
      'requests.memory': '4Gi',
      'limits.cpu': '4',
      'limits.memory': '8Gi',
      pods: '20',
      'services.loadbalancers': '0',
    },
    limits: {
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      default: { cpu: '500m', memory: '512Mi' },
      max: { cpu: '2', memory: '4Gi' },
    },
  },
  medium: {
    quota: {
      'requests.cpu': '8',
      'requests.memory': '16Gi',
      'limits.cpu': '16',
      'limits.memory': '32Gi',
      pods: '60',
      'services.loadbalancers': '0',
    },
    limits: {
      defaultRequest: { cpu: '250m', memory: '256Mi' },
      default: { cpu: '1', memory: '1Gi' },
      max: { cpu: '4', memory: '8Gi' },
    },
  },
  large: {
    quota: {
      'requests.cpu': '32',
      'requests.memory': '64Gi',
      'limits.cpu': '64',
      'limits.memory': '128Gi',
      pods: '200',
      'services.loadbalancers': '0',
    },
    limits: {
      defaultRequest: { cpu: '500m', memory: '512Mi' },
      default: { cpu: '2', memory: '2Gi' },
      max: { cpu: '8', memory: '16Gi' },
    },
  },
};
