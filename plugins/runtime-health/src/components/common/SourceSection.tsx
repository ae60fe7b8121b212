import {
  Alert,
  Card,
  CardBody,
  CardHeader,
  Flex,
  Skeleton,
  Text,
} from '@backstage/ui';
import type {
  HealthSourceName,
  HealthSourceResult,
} from '@paved/plugin-paved-common';
import type { ReactNode } from 'react';
import { annotationHint, SOURCE_LABELS } from '../../lib/present';

/** Placeholder lines while the first answer is on its way. */
export function LoadingLines(props: { lines?: number; label: string }) {
  return (
    <Flex direction="column" gap="2" aria-busy="true" aria-label={props.label}>
      {Array.from({ length: props.lines ?? 3 }, (_, i) => (
        <Skeleton key={i} width={`${90 - i * 15}%`} height={16} />
      ))}
    </Flex>
  );
}

/** What a source's answer means when it is not data: not configured, failed or timed out. */
function SourceProblem(props: {
  source: HealthSourceName;
  result: HealthSourceResult<unknown>;
}) {
  const { source, result } = props;
  const label = SOURCE_LABELS[source];
  if (result.status === 'not-configured') {
    return (
      <Flex direction="column" gap="1">
        <Text weight="bold">{label} is not set up for this entity</Text>
        <Text variant="body-small" color="secondary">
          {annotationHint(source)}
        </Text>
      </Flex>
    );
  }
  const what =
    result.status === 'timeout'
      ? `${label} did not answer in time`
      : `${label} could not be read`;
  return (
    <Alert
      status={result.status === 'timeout' ? 'warning' : 'danger'}
      icon
      title={what}
      description={`${
        result.error?.message ?? 'No detail was given'
      }. The other sources are shown as usual.`}
    />
  );
}

/**
 * One source's part of the Runtime tab: a skeleton until the first answer, the source's data when it answered, an
 * empty state naming the annotation to add when it is not configured, or an error panel that leaves the other sections
 * alone.
 */
export function SourceSection<T>(props: {
  source: HealthSourceName;
  title: string;
  result?: HealthSourceResult<T>;
  children: (data: T) => ReactNode;
}) {
  const { source, title, result } = props;
  let body: ReactNode;
  if (!result) body = <LoadingLines label={`Loading ${title}`} lines={4} />;
  else if (result.status === 'ok' && result.data !== undefined)
    body = props.children(result.data);
  else body = <SourceProblem source={source} result={result} />;
  return (
    <Card>
      <CardHeader>
        <Text as="h2" variant="title-small">
          {title}
        </Text>
      </CardHeader>
      <CardBody>
        <section aria-label={title}>{body}</section>
      </CardBody>
    </Card>
  );
}
