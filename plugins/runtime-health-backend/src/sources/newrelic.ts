import type { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  ANNOTATION_NEWRELIC_ENTITY_GUID,
  ANNOTATION_NEWRELIC_ENTITY_NAME,
  type NewRelicHealth,
} from '@paved/plugin-paved-common';
import type { NewRelicClient } from '@paved/plugin-paved-node';

/** The New Relic tag (an agent label) that names the catalog entity an APM entity reports for. */
export const NEWRELIC_ENTITY_TAG = 'paved.dev/entity';

export function newRelicTarget(entity: Entity) {
  const a = entity.metadata.annotations ?? {};
  const guid = a[ANNOTATION_NEWRELIC_ENTITY_GUID];
  const name = a[ANNOTATION_NEWRELIC_ENTITY_NAME];
  return guid || name ? { guid, name } : undefined;
}

export async function readNewRelic(
  entity: Entity,
  client: NewRelicClient,
): Promise<NewRelicHealth> {
  const target = newRelicTarget(entity)!;
  const guid = target.guid ?? (await client.findEntityGuid(target.name!));
  // A service not deployed yet has reported nothing, so New Relic knows no entity of its name: no data, not an error.
  if (!guid)
    return {
      name: target.name!,
      reporting: false,
      signals: null,
      timeseries: [],
      incidents: [],
    };
  const health = await client.health(guid);
  // Annotations are written by whoever registers an entity: a New Relic entity counts only when its own tags name
  // this entity, as the golden path's agent labels it.
  const expected = `${entity.kind}.${entity.metadata.namespace ?? 'default'}.${
    entity.metadata.name
  }`.toLocaleLowerCase('en-US');
  const named = (health.tags ?? [])
    .filter(t => t.key === NEWRELIC_ENTITY_TAG)
    .flatMap(t => t.values.map(v => v.toLocaleLowerCase('en-US')));
  if (!named.includes(expected)) {
    throw new NotAllowedError(
      `New Relic entity ${
        health.name
      } is not attributable to this entity: its tag ${NEWRELIC_ENTITY_TAG} is ${
        named.length ? named.join(', ') : 'missing'
      }, not ${expected}`,
    );
  }
  return health;
}
