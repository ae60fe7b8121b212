import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ClusterRegistry } from './ClusterRegistry';

describe('ClusterRegistry', () => {
  const registry = ClusterRegistry.fromConfig(
    new ConfigReader({
      paved: {
        eks: {
          clusters: [
            { name: 'dev-eu', region: 'eu-west-1', environment: 'dev' },
            {
              name: 'prod-eu',
              region: 'eu-central-1',
              environment: 'prod',
              dashboardUrl: 'https://headlamp.example.com/c/prod-eu',
            },
          ],
        },
      },
    }),
    {} as any,
  );

  it('links each cluster to its configured dashboard, or to its page in the EKS console', () => {
    expect(registry.get('dev-eu').dashboardUrl).toBe(
      'https://eu-west-1.console.aws.amazon.com/eks/home?region=eu-west-1#/clusters/dev-eu',
    );
    expect(registry.get('prod-eu').dashboardUrl).toBe(
      'https://headlamp.example.com/c/prod-eu',
    );
  });

  it('lists clusters by environment and refuses one that is not configured', () => {
    expect(registry.list('prod').map(c => c.name)).toEqual(['prod-eu']);
    expect(registry.list().map(c => c.name)).toEqual(['dev-eu', 'prod-eu']);
    expect(() => registry.get('staging-us')).toThrow(InputError);
    expect(() => registry.get('staging-us')).toThrow(
      'configured: dev-eu, prod-eu',
    );
  });
});
