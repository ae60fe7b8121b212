import { Flex, Text } from '@backstage/ui';
import { ExternalLink } from '../common/ExternalLink';
import type {
  NewRelicHealth,
  NewRelicIncident,
} from '@paved/plugin-paved-common';
import { useMemo } from 'react';
import { relativeTime, SIGNALS, signalRange } from '../../lib/present';
import { StatusLabel, type Tone } from '../common/Status';
import { SignalChart } from './SignalChart';

/** Each signal's y-axis range, made once so charts are not redrawn for a new function. */
const RANGES = SIGNALS.map(signal => (max: number) => signalRange(signal, max));

const PRIORITY_TONES: Record<NewRelicIncident['priority'], Tone> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'neutral',
};

function Incidents(props: { incidents: NewRelicIncident[] }) {
  const open = props.incidents.filter(i => i.state !== 'CLOSED');
  if (open.length === 0) {
    return <StatusLabel tone="ok">No open incidents</StatusLabel>;
  }
  return (
    <ul className="paved-rh-list" aria-label="Open incidents">
      {open.map(incident => (
        <li key={incident.id}>
          <StatusLabel tone={PRIORITY_TONES[incident.priority]}>
            {incident.priority}
          </StatusLabel>{' '}
          <ExternalLink href={incident.url}>{incident.title}</ExternalLink>{' '}
          <Text variant="body-small" color="secondary">
            opened{' '}
            <time dateTime={incident.openedAt} title={incident.openedAt}>
              {relativeTime(incident.openedAt)}
            </time>
          </Text>
        </li>
      ))}
    </ul>
  );
}

/** Throughput, error rate, response time and Apdex over 30 minutes, then the entity's open incidents. */
export function GoldenSignals(props: { data: NewRelicHealth }) {
  const { data } = props;
  // One series per signal, rebuilt only when a new answer arrives, so refresh renders do not redraw the charts.
  const series = useMemo(
    () =>
      SIGNALS.map(signal =>
        data.timeseries.map(p => ({
          timestamp: p.timestamp,
          value: p[signal.key],
        })),
      ),
    [data],
  );
  const link = data.url ? (
    <ExternalLink href={data.url} variant="body-small">
      Open {data.name} in New Relic
    </ExternalLink>
  ) : null;
  if (!data.signals) {
    return (
      <Flex direction="column" gap="4">
        <Flex align="baseline" justify="between">
          <Text variant="body-medium">
            {data.entityGuid
              ? `No data: New Relic receives nothing from ${data.name}${
                  data.reporting ? '' : ' (not reporting)'
                }.`
              : `No data: New Relic has no entity named ${data.name} yet; it appears when the service first reports.`}
          </Text>
          {link}
        </Flex>
        <Text as="h3" variant="title-x-small">
          Incidents
        </Text>
        <Incidents incidents={data.incidents} />
      </Flex>
    );
  }
  const signals = data.signals;
  return (
    <Flex direction="column" gap="4">
      <Flex align="baseline" justify="between">
        <Text variant="body-small" color="secondary">
          Last 30 minutes
        </Text>
        {link}
      </Flex>
      <div className="paved-rh-charts">
        {SIGNALS.map((signal, i) => (
          <SignalChart
            key={signal.key}
            title={signal.title}
            value={signals[signal.key]}
            format={signal.format}
            range={RANGES[i]}
            points={series[i]}
          />
        ))}
      </div>
      <Text as="h3" variant="title-x-small">
        Incidents
      </Text>
      <Incidents incidents={data.incidents} />
    </Flex>
  );
}
