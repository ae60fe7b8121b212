import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  ANNOTATION_NEWRELIC_ENTITY_GUID,
  ANNOTATION_NEWRELIC_ENTITY_NAME,
  type NewRelicHealth,
} from '@paved/plugin-paved-common';
import type { NewRelicClient } from '@paved/plugin-paved-node';

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
  if (!guid)
    throw new NotFoundError(`New Relic has no APM entity named ${target.name}`);
  return client.health(guid);
}
