import { Link, Text } from '@backstage/ui';
import type { TemplateSyncStatus } from '@paved/plugin-paved-common';
import type { ComponentProps } from 'react';
import { STATUS } from '../lib/present';
import './templateSync.css';

/** The status as a pill whose text carries the meaning and whose colour repeats it. */
export function StatusPill(props: { status: TemplateSyncStatus }) {
  const { label, tone, help } = STATUS[props.status];
  return (
    <span className="paved-ts-status" data-tone={tone} title={help}>
      {label}
    </span>
  );
}

/** A link out of the portal (GitHub): a new tab, no opener, no referrer. */
export function OutLink(
  props: Omit<ComponentProps<typeof Link>, 'target' | 'rel'>,
) {
  return <Link {...props} target="_blank" rel="noopener noreferrer" />;
}

/** Secondary text. */
export function Muted(props: { children: React.ReactNode }) {
  return (
    <Text variant="body-small" color="secondary">
      {props.children}
    </Text>
  );
}
