import {
  Alert,
  Card,
  CardBody,
  CardFooter,
  CardHeader,
  Flex,
  Text,
} from '@backstage/ui';
import { ExternalLink } from '../common/ExternalLink';
import type { EntityHealth } from '@paved/plugin-paved-common';
import { useCurrentEntityHealth } from '../../hooks/useEntityHealth';
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
  VerdictContext,
  PendingChanges,
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
        <ExternalLink key={link.url} href={link.url} variant="body-small">
          {link.title}
        </ExternalLink>
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
  const state = useCurrentEntityHealth(props.refreshIntervalMs);
  const { health, error } = state;
  let body;
  if (health) {
    body = (
      <Flex direction="column" gap="3">
        <Flex align="center" gap="3">
          <VerdictBadge verdict={health.verdict} />
        </Flex>
        <VerdictContext health={health} />
        <PendingChanges health={health} />
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
        <LastUpdated state={state} />
      </CardFooter>
    </Card>
  );
}
