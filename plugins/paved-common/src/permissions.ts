import { createPermission } from '@backstage/plugin-permission-common';

/** Resource type of catalog entities, as `@backstage/plugin-catalog-common` names it. */
const CATALOG_ENTITY = 'catalog-entity';

/**
 * Read an entity's runtime health (workloads, Argo CD, New Relic). Checked per entity, so a policy can limit it to
 * the entity's owners.
 * @public
 */
export const runtimeHealthReadPermission = createPermission({
  name: 'paved.runtime-health.read',
  attributes: { action: 'read' },
  resourceType: CATALOG_ENTITY,
});

/**
 * See an entity's template-sync state (version, drift, open pull request).
 * @public
 */
export const templateSyncReadPermission = createPermission({
  name: 'paved.template-sync.read',
  attributes: { action: 'read' },
  resourceType: CATALOG_ENTITY,
});

/**
 * Ask for a template-sync run for an entity (opens or refreshes its pull request; never merges).
 * @public
 */
export const templateSyncRunPermission = createPermission({
  name: 'paved.template-sync.run',
  attributes: { action: 'update' },
  resourceType: CATALOG_ENTITY,
});

/** Every permission Paved defines, for permission policies and the permission integration router. @public */
export const pavedPermissions = [
  runtimeHealthReadPermission,
  templateSyncReadPermission,
  templateSyncRunPermission,
];
