import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { Button, Flex, Link, Text } from '@backstage/ui';
import type {
  EntityHealth,
  HealthSourceName,
  HealthSourceResult,
  HealthVerdict,
} from '@paved/plugin-paved-common';
import type { ReactNode } from 'react';
import type { EntityHealthState } from '../../hooks/useEntityHealth';
import { SOURCE_LABELS, sourceStatusText } from '../../lib/present';
import '../runtimeHealth.css';

/** How alarming a value is, which picks its colour and icon. */
export type Tone = 'ok' | 'warning' | 'error' | 'pending' | 'neutral';

const TONES = {
  ok: StatusOK,
  warning: StatusWarning,
  error: StatusError,
  pending: StatusPending,
  neutral: StatusAborted,
} as const;

/** A coloured status icon followed by its text (the text carries the meaning, the colour repeats it). */
export function StatusLabel(props: { tone: Tone; children: ReactNode }) {
  const Status = TONES[props.tone];
  return <Status>{props.children}</Status>;
}

const VERDICT_TEXT: Record<HealthVerdict, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  down: 'Down',
  'partially-deployed': 'Partially deployed',
  'not-deployed': 'Not deployed',
  unknown: 'Unknown',
};

/** The one-word verdict, as a pill. */
export function VerdictBadge(props: { verdict: HealthVerdict }) {
  return (
    <span
      className="paved-rh-verdict"
      data-verdict={props.verdict}
      role="status"
      aria-label={`Runtime verdict: ${VERDICT_TEXT[props.verdict]}`}
    >
      {VERDICT_TEXT[props.verdict]}
    </span>
  );
}

/**
 * Beside the verdict: how much of the picture it stands on, and which expected clusters run nothing — so a partial
 * view never passes for a full one.
 */
export function VerdictContext(props: { health: EntityHealth }) {
  const { confidence, deployment } = props.health;
  const items: Array<{ tone: Tone; text: string }> = [];
  if (confidence === 'partial')
    items.push({
      tone: 'warning',
      text: 'Partial view: a source could not be read',
    });
  if (deployment?.missing.length && props.health.verdict !== 'not-deployed')
    items.push({
      tone: 'warning',
      text: `Not deployed on ${deployment.missing.join(', ')}`,
    });
  if (deployment?.unread.length)
    items.push({
      tone: 'pending',
      text: `Not read: ${deployment.unread.join(', ')}`,
    });
  if (!items.length) return null;
  return (
    <ul className="paved-rh-chips" aria-label="Verdict context">
      {items.map(item => (
        <li key={item.text}>
          <StatusLabel tone={item.tone}>{item.text}</StatusLabel>
        </li>
      ))}
    </ul>
  );
}

const PENDING_KIND = { namespace: 'Namespace', argocd: 'Argo CD' } as const;

/**
 * While the service is not (fully) deployed: the GitOps pull requests that would deploy it, namespace first, each a
 * link, so a service owner knows what to ask the platform team to merge.
 */
export function PendingChanges(props: { health: EntityHealth }) {
  const pending = props.health.pending;
  if (!pending?.length) return null;
  return (
    <Flex direction="column" gap="1">
      <Text variant="body-medium" weight="bold">
        Waiting for {pending.length === 1 ? 'a pull request' : 'pull requests'}{' '}
        to merge
      </Text>
      <ul className="paved-rh-reasons" aria-label="Pending pull requests">
        {pending.map(change => (
          <li key={change.url}>
            <Text variant="body-medium">
              {PENDING_KIND[change.kind]}:{' '}
              <Link href={change.url}>
                #{change.number} {change.title}
              </Link>
              {change.draft ? ' (draft)' : ''}
            </Text>
          </li>
        ))}
      </ul>
    </Flex>
  );
}

const SOURCE_TONES: Record<HealthSourceResult<unknown>['status'], Tone> = {
  ok: 'ok',
  error: 'error',
  timeout: 'warning',
  'not-configured': 'neutral',
};

/** One chip per source: reporting, unavailable, timed out or not configured. */
export function SourceStatusChips(props: { health: EntityHealth }) {
  const names = Object.keys(SOURCE_LABELS) as HealthSourceName[];
  return (
    <ul className="paved-rh-chips" aria-label="Sources">
      {names.map(name => {
        const result = props.health.sources[name];
        return (
          <li key={name}>
            <StatusLabel tone={SOURCE_TONES[result.status]}>
              {SOURCE_LABELS[name]}: {sourceStatusText(result)}
            </StatusLabel>
          </li>
        );
      })}
    </ul>
  );
}

/** Why the verdict is what it is, most severe first. */
export function Reasons(props: { reasons: string[]; limit?: number }) {
  const shown = props.reasons.slice(0, props.limit ?? props.reasons.length);
  if (shown.length === 0) return null;
  return (
    <ul className="paved-rh-reasons" aria-label="Reasons">
      {shown.map(reason => (
        <li key={reason}>
          <Text variant="body-medium">{reason}</Text>
        </li>
      ))}
      {shown.length < props.reasons.length && (
        <li>
          <Text variant="body-small" color="secondary">
            and {props.reasons.length - shown.length} more
          </Text>
        </li>
      )}
    </ul>
  );
}

const clock = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** When the shown answer arrived, how often it refreshes, whether the last refresh failed; and a refresh button. */
export function LastUpdated(props: {
  state: Pick<
    EntityHealthState,
    'updatedAt' | 'loading' | 'error' | 'refresh'
  > & { refreshIntervalMs: number };
}) {
  const { updatedAt, loading, error, refresh, refreshIntervalMs } = props.state;
  const every = Math.round(refreshIntervalMs / 1000);
  return (
    <Flex align="center" gap="2" justify="end">
      <Text variant="body-small" color="secondary" aria-live="polite">
        {updatedAt
          ? `Updated ${clock.format(updatedAt)} · refreshes every ${every} s`
          : 'Not loaded yet'}
        {error && updatedAt ? ' · the last refresh failed' : ''}
      </Text>
      <Button
        size="small"
        variant="secondary"
        onPress={refresh}
        isPending={loading}
      >
        Refresh
      </Button>
    </Flex>
  );
}
