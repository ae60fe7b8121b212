import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Alert,
  Button,
  Card,
  CardBody,
  CardHeader,
  Container,
  Flex,
  Skeleton,
  Text,
} from '@backstage/ui';
import {
  errorMessage,
  relativeTime,
  TEMPLATE_SYNC_STATUSES,
  type TemplateFleetSummary,
  type TemplateInstanceState,
  type TemplateSyncStatus,
} from '@paved/plugin-paved-common';
import { useEffect, useState } from 'react';
import type { FleetQuery } from '../../api';
import { pullRequestText, STATUS, versionRange } from '../../lib/present';
import { Muted, OutLink, StatusPill } from '../common';
import { useFleet } from './useFleet';
import { VersionChart } from './VersionChart';

const PAGE = 50;
/** Statuses that ask someone to act. */
const ATTENTION: TemplateSyncStatus[] = [
  'error',
  'conflicts',
  'declined',
  'behind',
];

function TemplateCard(props: {
  summary: TemplateFleetSummary;
  onShow(source: string): void;
}) {
  const { summary } = props;
  const counts: Array<[string, number]> = [
    ['Instances', summary.instances],
    ['Behind', summary.behind],
    ['Open pull requests', summary.openPullRequests],
    ['Conflicted', summary.conflicted],
    ['Cannot check', summary.errors],
  ];
  return (
    <Card>
      <CardHeader>
        <Flex justify="between" align="center">
          <Text as="h3" variant="title-x-small">
            {summary.templateName}
          </Text>
          <Muted>newest {summary.latestVersion ?? 'unknown'}</Muted>
        </Flex>
      </CardHeader>
      <CardBody>
        <Flex direction="column" gap="3">
          <ul className="paved-ts-counts">
            {counts.map(([label, value]) => (
              <li key={label}>
                <strong>{value}</strong>
                <Muted>{label}</Muted>
              </li>
            ))}
          </ul>
          <VersionChart summary={summary} />
          <Flex justify="between" align="center">
            <Muted>{summary.source}</Muted>
            <Button
              size="small"
              variant="tertiary"
              onPress={() => props.onShow(summary.source)}
            >
              Show its instances
            </Button>
          </Flex>
        </Flex>
      </CardBody>
    </Card>
  );
}

function InstanceRow(props: { instance: TemplateInstanceState }) {
  const { instance } = props;
  return (
    <tr>
      <th scope="row">
        <EntityRefLink entityRef={instance.entityRef} title={instance.title} />
      </th>
      <td>
        {instance.owner ? <EntityRefLink entityRef={instance.owner} /> : '—'}
      </td>
      <td>{instance.templateName}</td>
      <td>{versionRange(instance)}</td>
      <td>
        <StatusPill status={instance.status} />
        {instance.error && (
          <div>
            <Muted>{instance.error}</Muted>
          </div>
        )}
      </td>
      <td>
        {instance.pullRequest ? (
          <OutLink href={instance.pullRequest.url} variant="body-small">
            {pullRequestText(instance.pullRequest)}
          </OutLink>
        ) : (
          '—'
        )}
      </td>
      <td>
        {instance.lastCheckedAt ? (
          <time
            dateTime={instance.lastCheckedAt}
            title={instance.lastCheckedAt}
          >
            {relativeTime(instance.lastCheckedAt)}
          </time>
        ) : (
          'never'
        )}
      </td>
    </tr>
  );
}

/**
 * The platform team's view of template adoption: per template, versions in use, instances behind and open or
 * conflicted pull requests; and every instance in a table with filters. Inside Backstage UI's Container, so it has
 * the portal's page margins (not flush against the sidebar, nothing clipped on the right) at every width.
 * @public
 */
export function TemplateSyncFleetPage() {
  return (
    <Container>
      <FleetContent />
    </Container>
  );
}

function FleetContent() {
  const [source, setSource] = useState('');
  const [status, setStatus] = useState('');
  const [owner, setOwner] = useState('');
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  // Typing waits for a pause before it asks the backend.
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);
  useEffect(() => setOffset(0), [source, status, owner, q]);

  let statuses: TemplateSyncStatus[] | undefined;
  if (status === 'attention') statuses = ATTENTION;
  else if (status) statuses = [status as TemplateSyncStatus];
  const query: FleetQuery = {
    ...(source ? { source } : {}),
    ...(statuses ? { status: statuses } : {}),
    ...(owner ? { owner } : {}),
    ...(q ? { q } : {}),
    limit: PAGE,
    offset,
  };
  const { fleet, error, loading, reload } = useFleet(query);
  const [owners, setOwners] = useState<string[]>([]);
  useEffect(() => {
    if (!fleet) return;
    setOwners(known =>
      [
        ...new Set([
          ...known,
          ...fleet.instances.flatMap(i => (i.owner ? [i.owner] : [])),
        ]),
      ].sort(),
    );
  }, [fleet]);

  if (error && !fleet) {
    return (
      <Alert
        status="danger"
        icon
        title="The template fleet could not be loaded"
        description={errorMessage(error)}
        customActions={
          <Button size="small" onPress={reload}>
            Try again
          </Button>
        }
      />
    );
  }
  if (!fleet) {
    return (
      <Flex
        direction="column"
        gap="3"
        aria-busy="true"
        aria-label="Loading the template fleet"
      >
        <Skeleton width="100%" height={120} />
        <Skeleton width="100%" height={240} />
      </Flex>
    );
  }

  const templates = fleet.templates;
  return (
    <Flex direction="column" gap="5">
      <section aria-labelledby="paved-ts-templates">
        <Text as="h2" variant="title-small" id="paved-ts-templates">
          Templates
        </Text>
        {templates.length === 0 ? (
          <Text variant="body-medium">
            No template instances yet. Entities scaffolded with
            paved:template:fetch carry paved.dev/template-* annotations;
            template sync finds them in the catalog on its next run.
          </Text>
        ) : (
          <div className="paved-ts-templates">
            {templates.map(t => (
              <TemplateCard key={t.source} summary={t} onShow={setSource} />
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="paved-ts-instances">
        <Flex direction="column" gap="3">
          <Text as="h2" variant="title-small" id="paved-ts-instances">
            Instances
          </Text>
          <form
            className="paved-ts-filters"
            role="search"
            onSubmit={e => e.preventDefault()}
          >
            <label>
              Template
              <select value={source} onChange={e => setSource(e.target.value)}>
                <option value="">All templates</option>
                {templates.map(t => (
                  <option key={t.source} value={t.source}>
                    {t.templateName}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Status
              <select value={status} onChange={e => setStatus(e.target.value)}>
                <option value="">Any status</option>
                <option value="attention">Needs attention</option>
                {TEMPLATE_SYNC_STATUSES.map(s => (
                  <option key={s} value={s}>
                    {STATUS[s].label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Owner
              <select value={owner} onChange={e => setOwner(e.target.value)}>
                <option value="">Any owner</option>
                {owners.map(o => (
                  <option key={o} value={o}>
                    {o.replace(/^group:default\//, '')}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Search
              <input
                type="search"
                value={text}
                placeholder="Entity, title or repository"
                onChange={e => setText(e.target.value)}
              />
            </label>
          </form>
          {error && (
            <Alert
              status="warning"
              icon
              title="The last refresh failed"
              description={errorMessage(error)}
            />
          )}
          <table className="paved-ts-table" aria-busy={loading}>
            <caption className="paved-ts-visually-hidden">
              Template instances
            </caption>
            <thead>
              <tr>
                <th scope="col">Entity</th>
                <th scope="col">Owner</th>
                <th scope="col">Template</th>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Pull request</th>
                <th scope="col">Last check</th>
              </tr>
            </thead>
            <tbody>
              {fleet.instances.map(i => (
                <InstanceRow key={i.entityRef} instance={i} />
              ))}
              {fleet.instances.length === 0 && (
                <tr>
                  <td colSpan={7}>No instance matches these filters.</td>
                </tr>
              )}
            </tbody>
          </table>
          <Flex justify="between" align="center">
            <Muted aria-live="polite">
              {fleet.total === 0
                ? 'No instances'
                : `Showing ${offset + 1}–${
                    offset + fleet.instances.length
                  } of ${fleet.total}`}
            </Muted>
            <Flex gap="2">
              <Button
                size="small"
                variant="secondary"
                isDisabled={offset === 0}
                onPress={() => setOffset(Math.max(0, offset - PAGE))}
              >
                Previous
              </Button>
              <Button
                size="small"
                variant="secondary"
                isDisabled={offset + PAGE >= fleet.total}
                onPress={() => setOffset(offset + PAGE)}
              >
                Next
              </Button>
            </Flex>
          </Flex>
        </Flex>
      </section>
    </Flex>
  );
}
