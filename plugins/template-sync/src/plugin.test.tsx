import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { orders } from './__testUtils__/fixtures';
import { templateSyncApiRef } from './api';
import plugin, {
  entityTemplateSyncCard,
  templateSyncApi,
  templateSyncFleetPage,
} from './index';

describe('template-sync frontend plugin', () => {
  it('provides the API, the entity card and the fleet page', () => {
    expect(plugin.id).toBe('template-sync');
    expect(
      createExtensionTester(templateSyncApi).get(ApiBlueprint.dataRefs.factory)
        .api.id,
    ).toBe(templateSyncApiRef.id);
    const page = createExtensionTester(templateSyncFleetPage);
    expect(page.get(coreExtensionData.routePath)).toBe('/template-sync');
    expect(page.get(coreExtensionData.title)).toBe('Template fleet');
  });

  it('shows the card on template instances only', () => {
    const filter = createExtensionTester(entityTemplateSyncCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(filter?.(orders)).toBe(true);
    expect(
      filter?.({ ...orders, metadata: { name: 'plain', annotations: {} } }),
    ).toBe(false);
  });
});
