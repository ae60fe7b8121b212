import type { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { healthy, ordersApi } from './__testUtils__/fixtures';
import { fakeApi } from './__testUtils__/render';
import { runtimeHealthApiRef } from './api';
import plugin, {
  entityRuntimeHealthCard,
  entityRuntimeHealthContent,
  runtimeHealthApi,
} from './alpha';
import * as legacy from './index';

const entity = (kind: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x', annotations },
  spec: {},
});

describe('runtime-health for the new frontend system', () => {
  it('provides the API, the overview card and the Runtime tab', () => {
    expect(plugin.id).toBe('runtime-health');
    const content = createExtensionTester(entityRuntimeHealthContent);
    expect(content.get(EntityContentBlueprint.dataRefs.title)).toBe('Runtime');
    expect(content.get(coreExtensionData.routePath)).toBe('/runtime');
    expect(
      createExtensionTester(runtimeHealthApi).get(ApiBlueprint.dataRefs.factory)
        .api.id,
    ).toBe(runtimeHealthApiRef.id);
  });

  it.each<[string, Record<string, string>, boolean]>([
    ['Component', { 'backstage.io/kubernetes-id': 'x' }, true],
    ['Component', { 'argocd/app-name': 'x' }, true],
    ['Component', { 'newrelic.com/entity-guid': 'x' }, true],
    ['component', { 'backstage.io/kubernetes-label-selector': 'app=x' }, true],
    ['Component', { 'backstage.io/techdocs-ref': 'dir:.' }, false],
    ['Group', { 'backstage.io/kubernetes-id': 'x' }, false],
  ])('shows on a %s annotated %j: %s', (kind, annotations, shown) => {
    const card = createExtensionTester(entityRuntimeHealthCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    const tab = createExtensionTester(entityRuntimeHealthContent).get(
      EntityContentBlueprint.dataRefs.filterFunction,
    );
    expect(card?.(entity(kind, annotations))).toBe(shown);
    expect(tab?.(entity(kind, annotations))).toBe(shown);
    expect(legacy.isRuntimeHealthAvailable(entity(kind, annotations))).toBe(
      shown,
    );
  });

  it('takes its refresh interval from the extension config', async () => {
    const { api } = fakeApi(healthy);
    const card = createExtensionTester(entityRuntimeHealthCard, {
      config: { refreshIntervalSeconds: 10 },
    });
    await renderInTestApp(
      <EntityProvider entity={ordersApi}>{card.reactElement()}</EntityProvider>,
      { apis: [[runtimeHealthApiRef, api]] },
    );
    expect(
      await screen.findByText(/refreshes every 10 s$/),
    ).toBeInTheDocument();
  });
});

describe('runtime-health for the legacy frontend system', () => {
  it('exports the plugin, its API factory and both extensions', () => {
    expect(legacy.runtimeHealthPlugin.getId()).toBe('runtime-health');
    expect(
      [...legacy.runtimeHealthPlugin.getApis()].map(f => f.api.id),
    ).toEqual([runtimeHealthApiRef.id]);
    expect(legacy.EntityRuntimeHealthCard).toBeInstanceOf(Function);
    expect(legacy.EntityRuntimeHealthContent).toBeInstanceOf(Function);
  });
});
