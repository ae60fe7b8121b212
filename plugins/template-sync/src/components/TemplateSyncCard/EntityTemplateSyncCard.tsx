import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Alert,
  Button,
  Card,
  CardBody,
  CardFooter,
  CardHeader,
  Flex,
  Skeleton,
  Text,
} from '@backstage/ui';
import {
  errorMessage,
  relativeTime,
  type TemplateInstanceState,
  type TemplateSyncSchedule,
} from '@paved/plugin-paved-common';
import {
  pullRequestText,
  sourceLink,
  STATUS,
  versionRange,
} from '../../lib/present';
import { Muted, OutLink, StatusPill } from '../common';
import { useTemplateSyncState } from './useTemplateSyncState';

/** "Template sync checks every 30 minutes", or without words when the schedule could not be read. */
const checks = (schedule?: TemplateSyncSchedule) =>
  schedule?.enabled === false
    ? 'The fleet job is switched off'
    : `The fleet job checks ${schedule?.description ?? 'on its schedule'}`;

function Facts(props: {
  state: TemplateInstanceState;
  schedule?: TemplateSyncSchedule;
}) {
  const { state, schedule } = props;
  const link = sourceLink(state.source);
  const pr = state.pullRequest;
  return (
    <dl className="paved-ts-facts">
      <dt>Template</dt>
      <dd>
        {link ? (
          <OutLink href={link} variant="body-medium">
            {state.templateName}
          </OutLink>
        ) : (
          state.templateName
        )}
        {state.answersFile !== '.copier-answers.yml' && (
          <Muted> · {state.answersFile}</Muted>
        )}
      </dd>
      <dt>Version</dt>
      <dd>
        <Text variant="body-medium">{versionRange(state)}</Text>
      </dd>
      <dt>Status</dt>
      <dd>
        <Flex direction="column" gap="1">
          <span>
            <StatusPill status={state.status} />
          </span>
          <Muted>{state.error ?? STATUS[state.status].help}</Muted>
        </Flex>
      </dd>
      {pr && (
        <>
          <dt>Pull request</dt>
          <dd>
            <OutLink href={pr.url} variant="body-medium">
              {pullRequestText(pr)}
            </OutLink>{' '}
            <Muted>
              brings {pr.version}, {pr.changedFiles} file
              {pr.changedFiles === 1 ? '' : 's'}
            </Muted>
          </dd>
        </>
      )}
      <dt>Last check</dt>
      <dd>
        <Flex direction="column" gap="1">
          <span>
            {state.lastCheckedAt ? (
              <time dateTime={state.lastCheckedAt} title={state.lastCheckedAt}>
                {relativeTime(state.lastCheckedAt)}
              </time>
            ) : (
              'never'
            )}
          </span>
          <Muted>{checks(schedule)}.</Muted>
        </Flex>
      </dd>
    </dl>
  );
}

/**
 * The entity's template: which one, the version it is at and the newest, its status, the open pull request and the
 * last check, with "Check now" (needs `paved.template-sync.run`).
 * @public
 */
export function EntityTemplateSyncCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { state, loading, error, syncing, syncError, sync, schedule } =
    useTemplateSyncState(entityRef);

  let body;
  if (error) {
    body = (
      <Alert
        status="danger"
        icon
        title="Template sync state could not be loaded"
        description={errorMessage(error)}
      />
    );
  } else if (loading && state === undefined) {
    body = (
      <Flex
        direction="column"
        gap="2"
        aria-busy="true"
        aria-label="Loading template sync state"
      >
        <Skeleton width="60%" height={16} />
        <Skeleton width="40%" height={16} />
        <Skeleton width="50%" height={16} />
      </Flex>
    );
  } else if (!state) {
    body = (
      <Text variant="body-medium">
        Template sync has not checked this entity yet. {checks(schedule)};
        “Check now” does it at once.
      </Text>
    );
  } else {
    body = <Facts state={state} schedule={schedule} />;
  }

  return (
    <Card>
      <CardHeader>
        <Text as="h2" variant="title-small">
          Template
        </Text>
      </CardHeader>
      <CardBody>
        <Flex direction="column" gap="3">
          {body}
          {syncError && (
            <Alert
              status="danger"
              icon
              title="The check did not run"
              description={errorMessage(syncError)}
            />
          )}
        </Flex>
      </CardBody>
      <CardFooter>
        <Flex justify="end">
          <Button
            size="small"
            variant="secondary"
            onPress={sync}
            isPending={syncing}
            isDisabled={loading && state === undefined}
          >
            Check now
          </Button>
        </Flex>
      </CardFooter>
    </Card>
  );
}
