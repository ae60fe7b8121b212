import { Alert, Card, CardBody, Flex, Text } from '@backstage/ui';
import { useCurrentEntityHealth } from '../../hooks/useEntityHealth';
import { errorMessage } from '../../lib/present';
import {
  LastUpdated,
  Reasons,
  SourceStatusChips,
  VerdictBadge,
  VerdictContext,
  PendingChanges,
} from '../common/Status';
import { LoadingLines, SourceSection } from '../common/SourceSection';
import { ArgoCdApps } from './ArgoCdApps';
import { GoldenSignals } from './GoldenSignals';
import { Workloads } from './Workloads';

/**
 * The Runtime tab: the verdict with its reasons, then Argo CD, the workloads on each cluster and New Relic's golden
 * signals and incidents, each in its own section so one failing source never hides the others. Refreshes every
 * `refreshIntervalMs` while visible.
 * @public
 */
export function EntityRuntimeHealthContent(props: {
  refreshIntervalMs?: number;
}) {
  const state = useCurrentEntityHealth(props.refreshIntervalMs);
  const { health, error } = state;

  let summary;
  if (health) {
    summary = (
      <Flex direction="column" gap="3">
        <Flex align="center" gap="3">
          <VerdictBadge verdict={health.verdict} />
          <SourceStatusChips health={health} />
        </Flex>
        <VerdictContext health={health} />
        <PendingChanges health={health} />
        <Reasons reasons={health.reasons} />
      </Flex>
    );
  } else if (!error) {
    summary = <LoadingLines label="Loading runtime health" lines={2} />;
  }

  return (
    <Flex direction="column" gap="4">
      <Card>
        <CardBody>
          <Flex direction="column" gap="3">
            <Flex align="center" justify="between" gap="3">
              <Text as="h2" variant="title-medium">
                Runtime
              </Text>
              <LastUpdated state={state} />
            </Flex>
            {error && (
              <Alert
                status="danger"
                icon
                title={
                  health
                    ? 'Runtime health could not be refreshed; showing the last answer'
                    : 'Runtime health could not be loaded'
                }
                description={errorMessage(error)}
              />
            )}
            {summary}
          </Flex>
        </CardBody>
      </Card>
      {(health || !error) && (
        <div className="paved-rh-grid">
          <SourceSection
            source="argocd"
            title="Deployments (Argo CD)"
            result={health?.sources.argocd}
          >
            {data => <ArgoCdApps data={data} />}
          </SourceSection>
          <SourceSection
            source="kubernetes"
            title="Workloads (Kubernetes)"
            result={health?.sources.kubernetes}
          >
            {data => <Workloads data={data} />}
          </SourceSection>
        </div>
      )}
      {(health || !error) && (
        <SourceSection
          source="newrelic"
          title="Golden signals (New Relic)"
          result={health?.sources.newrelic}
        >
          {data => <GoldenSignals data={data} />}
        </SourceSection>
      )}
    </Flex>
  );
}
