import {
  type Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/** The entity's owner as a full lower-case ref (`group:default/payments-team`), or undefined when it has none. */
export function ownerOf(entity: Entity): string | undefined {
  const related = entity.relations?.find(
    r => r.type === RELATION_OWNED_BY,
  )?.targetRef;
  const declared = (entity.spec as { owner?: unknown } | undefined)?.owner;
  const raw = related ?? (typeof declared === 'string' ? declared : undefined);
  if (!raw) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(raw, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
