import { Flex, Text } from '@backstage/ui';
import { ExternalLink } from '../common/ExternalLink';
import { Unattributed } from '../common/Unattributed';
import type { ArgoCdAppHealth, ArgoCdHealth } from '@paved/plugin-paved-common';
import { relativeTime, shortRevision } from '../../lib/present';
import { StatusLabel, type Tone } from '../common/Status';

const HEALTH_TONES: Record<ArgoCdAppHealth['healthStatus'], Tone> = {
  Healthy: 'ok',
  Progressing: 'pending',
  Suspended: 'neutral',
  Degraded: 'error',
  Missing: 'error',
  Unknown: 'neutral',
};

const OPERATION_TONES: Record<
  NonNullable<ArgoCdAppHealth['operationPhase']>,
  Tone
> = {
  Running: 'pending',
  Terminating: 'pending',
  Succeeded: 'ok',
  Failed: 'error',
  Error: 'error',
};

function App(props: { app: ArgoCdAppHealth }) {
  const { app } = props;
  return (
    <Flex direction="column" gap="2">
      <Flex align="baseline" justify="between" gap="2">
        <ExternalLink href={app.url} weight="bold">
          {app.name}
        </ExternalLink>
        <Text variant="body-small" color="secondary">
          {app.instance}
          {app.project ? ` · project ${app.project}` : ''}
        </Text>
      </Flex>
      <Flex gap="4" style={{ flexWrap: 'wrap' }}>
        <StatusLabel tone={app.syncStatus === 'Synced' ? 'ok' : 'warning'}>
          Sync: {app.syncStatus}
          {app.revision ? ` at ${shortRevision(app.revision)}` : ''}
        </StatusLabel>
        <StatusLabel tone={HEALTH_TONES[app.healthStatus]}>
          Health: {app.healthStatus}
        </StatusLabel>
        {app.operationPhase && (
          <StatusLabel tone={OPERATION_TONES[app.operationPhase]}>
            Last operation: {app.operationPhase}
          </StatusLabel>
        )}
      </Flex>
      {app.history.length > 0 ? (
        <table className="paved-rh-table" aria-label={`${app.name} history`}>
          <thead>
            <tr>
              <th scope="col">Revision</th>
              <th scope="col">Deployed</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {[...app.history]
              .sort(
                (a, b) => Date.parse(b.deployedAt) - Date.parse(a.deployedAt),
              )
              .map(entry => (
                <tr key={entry.id}>
                  <td>
                    <code title={entry.revision}>
                      {shortRevision(entry.revision)}
                    </code>
                  </td>
                  <td>
                    <time dateTime={entry.deployedAt} title={entry.deployedAt}>
                      {relativeTime(entry.deployedAt)}
                    </time>
                  </td>
                  <td>{entry.initiatedBy ?? 'automated sync'}</td>
                </tr>
              ))}
          </tbody>
        </table>
      ) : (
        <Text variant="body-small" color="secondary">
          No deploy history yet.
        </Text>
      )}
    </Flex>
  );
}

/** Each Argo CD Application of the entity: sync, health, last operation and its latest releases. */
export function ArgoCdApps(props: { data: ArgoCdHealth }) {
  if (props.data.apps.length === 0) {
    return (
      <Flex direction="column" gap="2">
        <Text color="secondary">
          No Argo CD Application of this entity matches its annotations.
        </Text>
        <Unattributed items={props.data.unattributed} />
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="5">
      {props.data.apps.map(app => (
        <App key={`${app.instance}/${app.name}`} app={app} />
      ))}
      <Unattributed items={props.data.unattributed} />
    </Flex>
  );
}
