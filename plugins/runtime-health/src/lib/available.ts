import type { Entity } from '@backstage/catalog-model';
import { configuredHealthSources } from '@paved/plugin-paved-common';

/**
 * Whether the Runtime tab and card apply: a Component with at least one runtime-health annotation (Kubernetes,
 * Argo CD or New Relic). Use it with `EntitySwitch` in apps on the legacy frontend system.
 * @public
 */
export function isRuntimeHealthAvailable(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    configuredHealthSources(entity).length > 0
  );
}
