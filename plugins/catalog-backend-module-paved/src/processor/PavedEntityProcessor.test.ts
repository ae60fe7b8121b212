import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { PavedEntityProcessor } from './PavedEntityProcessor';

const location = {
  type: 'url',
  target: 'https://github.com/acme/payments/blob/main/catalog-info.yaml',
};
const entity = (
  annotations: Record<string, string> = {},
  kind = 'Component',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'Payments_API', namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:payments' },
});

async function run(processor: PavedEntityProcessor, input: Entity) {
  const emitted: CatalogProcessorResult[] = [];
  const pre = await processor.preProcessEntity(input);
  await processor.postProcessEntity(pre, location, r => emitted.push(r));
  return { entity: pre, emitted };
}

describe('PavedEntityProcessor', () => {
  const processor = new PavedEntityProcessor({
    deriveKubernetesId: true,
    argocdInstances: [],
    groupOwnedLifecycles: ['production'],
  });

  it('derives backstage.io/kubernetes-id from the name when configured, and only then', async () => {
    expect(
      (await run(processor, entity())).entity.metadata.annotations,
    ).toEqual({ 'backstage.io/kubernetes-id': 'payments-api' });
    expect(
      (
        await run(
          processor,
          entity({ 'backstage.io/kubernetes-label-selector': 'app=x' }),
        )
      ).entity.metadata.annotations,
    ).toEqual({
      'backstage.io/kubernetes-label-selector': 'app=x',
    });
    const off = new PavedEntityProcessor({
      deriveKubernetesId: false,
      argocdInstances: [],
      groupOwnedLifecycles: [],
    });
    expect((await run(off, entity())).entity.metadata.annotations).toEqual({});
  });

  it('relates a Component to its clusters and its template, both ways', async () => {
    const { emitted } = await run(
      processor,
      entity({
        'paved.dev/clusters': 'prod-eu,resource:shared/dev-eu',
        'backstage.io/source-template': 'template:default/ts-service',
      }),
    );
    const relations = emitted
      .filter(r => r.type === 'relation')
      .map(r => r.type === 'relation' && r.relation);
    const self = {
      kind: 'Component',
      namespace: 'default',
      name: 'Payments_API',
    };
    expect(relations).toEqual([
      {
        source: self,
        type: 'dependsOn',
        target: { kind: 'resource', namespace: 'default', name: 'prod-eu' },
      },
      {
        source: { kind: 'resource', namespace: 'default', name: 'prod-eu' },
        type: 'dependencyOf',
        target: self,
      },
      {
        source: self,
        type: 'dependsOn',
        target: { kind: 'resource', namespace: 'shared', name: 'dev-eu' },
      },
      {
        source: { kind: 'resource', namespace: 'shared', name: 'dev-eu' },
        type: 'dependencyOf',
        target: self,
      },
      {
        source: self,
        type: 'dependsOn',
        target: { kind: 'template', namespace: 'default', name: 'ts-service' },
      },
      {
        source: { kind: 'template', namespace: 'default', name: 'ts-service' },
        type: 'dependencyOf',
        target: self,
      },
    ]);
  });

  it('reports each problem as an input error naming the entity and the location', async () => {
    const { emitted } = await run(
      processor,
      entity({
        'argocd/project-name': 'Bad Name',
        'newrelic.com/entity-guid': 'x',
      }),
    );
    const errors = emitted.filter(r => r.type === 'error');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ type: 'error', location });
    expect(errors.map(e => e.type === 'error' && e.error.message)).toEqual([
      expect.stringMatching(
        /^Component Payments_API: argocd\/project-name "Bad Name" is not a valid AppProject name/,
      ),
      expect.stringMatching(
        /^Component Payments_API: newrelic\.com\/entity-guid "x" is not a New Relic entity GUID/,
      ),
    ]);
    expect(errors[0].type === 'error' && errors[0].error.name).toBe(
      'InputError',
    );
  });

  it('leaves other kinds without relations', async () => {
    const { emitted } = await run(
      processor,
      entity({ 'paved.dev/clusters': 'prod-eu' }, 'System'),
    );
    expect(emitted).toEqual([]);
  });
});

describe('PavedEntityProcessor on the example catalog', () => {
  it('accepts every example entity the sandbox is seeded for, emitting no error', async () => {
    const examples = parseAllDocuments(
      fs.readFileSync(`${__dirname}/../../../../examples/catalog.yaml`, 'utf8'),
    ).map(d => ({ metadata: { namespace: 'default' }, ...d.toJS() } as Entity));
    const processor = new PavedEntityProcessor({
      deriveKubernetesId: true,
      argocdInstances: ['main', 'edge'],
      groupOwnedLifecycles: ['production'],
    });
    for (const example of examples) {
      const { emitted } = await run(processor, {
        ...example,
        metadata: { ...example.metadata, namespace: 'default' },
      });
      expect(emitted.filter(r => r.type === 'error')).toEqual([]);
    }
  });
});
