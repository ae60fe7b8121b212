import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Alert,
  Card,
  CardBody,
  CardFooter,
  CardHeader,
  Flex,
  Link,
  Text,
} from '@backstage/ui';
import type { EntityHealth } from '@paved/plugin-paved-common';
import {
  DEFAULT_REFRESH_INTERVAL_MS,
  useEntityHealth,
} from '../../hooks/useEntityHealth';
import {
  errorMessage,
  lastDeploy,
  linksOut,
  relativeTime,
  shortRevision,
} from '../../lib/present';
import {
  LastUpdated,
  Reasons,
  SourceStatusChips,
  VerdictBadge,
} from '../common/Status';
import { LoadingLines } from '../common/SourceSection';

function LastDeploy(props: { health: EntityHealth }) {
  const deploy = lastDeploy(props.health.sources.argocd.data);
  if (!deploy) {
    return (
      <Text variant="body-small" color="secondary">
        No deploy recorded by Argo CD.
      </Text>
    );
  }
  return (
    <Text variant="body-medium">
      Last deploy: <strong>{shortRevision(deploy.revision)}</strong> to{' '}
      {deploy.app}{' '}
      <time dateTime={deploy.deployedAt} title={deploy.deployedAt}>
        {relativeTime(deploy.deployedAt)}
      </time>
      {deploy.initiatedBy ? ` by ${deploy.initiatedBy}` : ''}
    </Text>
  );
}

function Links(props: { health: EntityHealth }) {
  const links = linksOut(props.health);
  if (links.length === 0) return null;
  return (
    <Flex gap="3" style={{ flexWrap: 'wrap' }}>
      {links.map(link => (
        <Link
          key={link.url}
          href={link.url}
          target="_blank"
          rel="noopener noreferrer"
          variant="body-small"
        >
          {link.title}
        </Link>
      ))}
    </Flex>
  );
}

/**
 * The overview card: one verdict with its reasons, a chip per source, the last deploy and links out. Refreshes every
 * `refreshIntervalMs` while visible.
 * @public
 */
export function EntityRuntimeHealthCard(props: { refreshIntervalMs?: number }) {
  const { entity } = useEntity();
  const refreshIntervalMs =
    props.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
  const { health, error, loading, updatedAt, refresh } = useEntityHealth(
    entity,
    refreshIntervalMs,
  );
  let body;
  if (health) {
    body = (
      <Flex direction="column" gap="3">
        <Flex align="center" gap="3">
          <VerdictBadge verdict={health.verdict} />
        </Flex>
        <Reasons reasons={health.reasons} limit={3} />
        <SourceStatusChips health={health} />
        <LastDeploy health={health} />
        <Links health={health} />
      </Flex>
    );
  } else if (error) {
    body = (
      <Alert
        status="danger"
        icon
        title="Runtime health could not be loaded"
        description={errorMessage(error)}
      />
    );
  } else {
    body = <LoadingLines label="Loading runtime health" />;
  }
  return (
    <Card>
      <CardHeader>
        <Text as="h2" variant="title-small">
          Runtime health
        </Text>
      </CardHeader>
      <CardBody>{body}</CardBody>
      <CardFooter>
        <LastUpdated
          updatedAt={updatedAt}
          loading={loading}
          error={error}
          refreshIntervalMs={refreshIntervalMs}
          onRefresh={refresh}
        />
      </CardFooter>
    </Card>
  );
}
