import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { defaultSeed } from './seed';

// The sandbox is seeded to match the example catalog; the runtime views look services up by these annotations.
describe('seed and example catalog', () => {
  const entities = parseAllDocuments(
    fs.readFileSync(
      path.resolve(__dirname, '../../../examples/catalog.yaml'),
      'utf8',
    ),
  ).map(d => d.toJS());

  it.each(defaultSeed.services.map(s => [s.name, s]))(
    '%s has a Component whose annotations find its workloads, Argo CD apps and New Relic entity',
    (_name, service) => {
      const component = entities.find(
        e => e.kind === 'Component' && e.metadata.name === service.name,
      );
      expect(component?.spec.owner).toBe(`group:default/${service.team}`);
      expect(component?.metadata.annotations).toMatchObject({
        'backstage.io/kubernetes-id': service.name,
        'backstage.io/kubernetes-namespace': service.namespace,
        'argocd/app-selector': `backstage.io/kubernetes-id=${service.name}`,
        'argocd/instance-name': defaultSeed.argocd.instances[0].name,
        'newrelic.com/entity-guid': service.newrelicGuid,
        'paved.dev/clusters': Object.keys(service.clusters).join(','),
      });
    },
  );

  it('declares every owning team as a Group', () => {
    for (const team of new Set(defaultSeed.services.map(s => s.team))) {
      expect(
        entities.some(e => e.kind === 'Group' && e.metadata.name === team),
      ).toBe(true);
    }
  });

  it('gives every service clusters the sandbox has', () => {
    const clusters = defaultSeed.clusters.map(c => c.name);
    for (const service of defaultSeed.services) {
      expect(clusters).toEqual(
        expect.arrayContaining(Object.keys(service.clusters)),
      );
    }
  });
});
