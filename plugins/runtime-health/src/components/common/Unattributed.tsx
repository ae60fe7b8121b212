import { Text } from '@backstage/ui';
import type { UnattributedItem } from '@paved/plugin-paved-common';

/**
 * What a source found by the entity's annotations but did not count, and why: it belongs to another owner. Shown so
 * an owner can fix wrong annotations, never counted in the verdict.
 */
export function Unattributed(props: { items?: UnattributedItem[] }) {
  const items = props.items ?? [];
  if (!items.length) return null;
  return (
    <div>
      <Text variant="body-small" color="secondary">
        Not attributable to this entity, so not counted:
      </Text>
      <ul aria-label="Not attributable" className="paved-rh-unattributed">
        {items.map(i => (
          <li key={`${i.kind}/${i.name}`}>
            <Text variant="body-small" color="secondary">
              {i.kind} {i.name}: {i.reason}
            </Text>
          </li>
        ))}
      </ul>
    </div>
  );
}
