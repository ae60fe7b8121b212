import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  degraded,
  healthy,
  notConfigured,
  sourceDown,
} from '../../__testUtils__/fixtures';
import { fakeApi, renderForEntity } from '../../__testUtils__/render';
import { EntityRuntimeHealthContent } from './EntityRuntimeHealthContent';

const section = (name: string) => screen.getByRole('region', { name });
const rows = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map(r => [...r.querySelectorAll('th, td')].map(c => c.textContent));

describe('EntityRuntimeHealthContent', () => {
  it('lists what the annotations matched but the entity does not own, apart from what it counts', async () => {
    const health = structuredClone(healthy);
    health.sources.kubernetes.data!.clusters[0].unattributed = [
      {
        kind: 'Deployment',
        name: 'payments/payments-api',
        reason: 'namespace payments belongs to group:default/payments-team',
      },
    ];
    health.sources.argocd.data!.unattributed = [
      {
        kind: 'Application',
        name: 'payments-api-dev-eu',
        reason: 'it names component:default/payments-api',
      },
    ];
    const { api } = fakeApi(health);
    renderForEntity(<EntityRuntimeHealthContent />, api);
    await screen.findByRole('status', { name: 'Runtime verdict: Healthy' });
    const workloads = within(section('Workloads (Kubernetes)')).getByRole(
      'list',
      { name: 'Not attributable' },
    );
    expect(workloads).toHaveTextContent(
      'Deployment payments/payments-api: namespace payments belongs to group:default/payments-team',
    );
    expect(
      within(section('Deployments (Argo CD)')).getByRole('list', {
        name: 'Not attributable',
      }),
    ).toHaveTextContent(
      'Application payments-api-dev-eu: it names component:default/payments-api',
    );
  });

  it('says "Not deployed" and "No data" for a service nothing runs of yet, never zeros', async () => {
    const health = structuredClone(healthy);
    health.verdict = 'not-deployed';
    health.reasons = [
      'Not deployed on dev-eu, prod-eu yet: no workload runs and no Argo CD application has deployed anything',
    ];
    health.deployment = {
      expected: ['dev-eu', 'prod-eu'],
      deployed: [],
      missing: ['dev-eu', 'prod-eu'],
      unread: [],
    };
    health.sources.newrelic.data = {
      ...health.sources.newrelic.data!,
      reporting: false,
      signals: null,
      timeseries: [],
    };
    health.pending = [
      {
        kind: 'namespace',
        number: 12,
        title: 'Namespace orders',
        url: 'https://github.com/acme/gitops/pull/12',
        draft: false,
      },
      {
        kind: 'argocd',
        number: 13,
        title: 'Argo CD: orders-api on dev-eu, prod-eu',
        url: 'https://github.com/acme/gitops/pull/13',
        draft: true,
      },
    ];
    const { api } = fakeApi(health);
    renderForEntity(<EntityRuntimeHealthContent />, api);
    await screen.findByRole('status', {
      name: 'Runtime verdict: Not deployed',
    });
    expect(
      screen.getByText(/^Not deployed on dev-eu, prod-eu yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Waiting for pull requests to merge'),
    ).toBeInTheDocument();
    const pending = screen.getByRole('list', { name: 'Pending pull requests' });
    expect(
      within(pending)
        .getAllByRole('link')
        .map(a => [a.textContent, a.getAttribute('href')]),
    ).toEqual([
      ['#12 Namespace orders', 'https://github.com/acme/gitops/pull/12'],
      [
        '#13 Argo CD: orders-api on dev-eu, prod-eu',
        'https://github.com/acme/gitops/pull/13',
      ],
    ]);
    expect(pending).toHaveTextContent('(draft)');
    const signals = section('Golden signals (New Relic)');
    expect(signals).toHaveTextContent(
      'No data: New Relic receives nothing from orders-api (not reporting).',
    );
    expect(within(signals).queryByRole('figure')).toBeNull();
    expect(signals).not.toHaveTextContent(/0\.00|0 ms|0 rpm/);
  });

  it('says New Relic has no entity of that name yet, with no link, when nothing ever reported', async () => {
    const health = structuredClone(healthy);
    health.verdict = 'not-deployed';
    health.sources.newrelic.data = {
      name: 'orders-api',
      reporting: false,
      signals: null,
      timeseries: [],
      incidents: [],
    };
    const { api } = fakeApi(health);
    renderForEntity(<EntityRuntimeHealthContent />, api);
    await screen.findByRole('status', {
      name: 'Runtime verdict: Not deployed',
    });
    const signals = section('Golden signals (New Relic)');
    expect(signals).toHaveTextContent(
      'No data: New Relic has no entity named orders-api yet; it appears when the service first reports.',
    );
    expect(
      within(signals).queryByRole('link', { name: /in New Relic/ }),
    ).toBeNull();
  });

  it('shows a healthy service: Argo CD apps with history, workloads per cluster, four charts, no incidents', async () => {
    const { api } = fakeApi(healthy);
    renderForEntity(<EntityRuntimeHealthContent />, api);

    await screen.findByRole('status', { name: 'Runtime verdict: Healthy' });

    const argo = section('Deployments (Argo CD)');
    expect(
      within(argo).getByRole('link', { name: 'orders-api-dev-eu' }),
    ).toHaveAttribute(
      'href',
      'https://argocd.example.com/applications/argocd/orders-api-dev-eu',
    );
    expect(
      within(argo).getByText('Sync: Synced at 4f2a9c1'),
    ).toBeInTheDocument();
    expect(within(argo).getByText('Health: Healthy')).toBeInTheDocument();
    expect(
      within(argo).getByText('Last operation: Succeeded'),
    ).toBeInTheDocument();
    const history = rows(
      within(argo).getByRole('table', { name: 'orders-api-dev-eu history' }),
    );
    // Newest first; an automated sync has no initiator.
    expect(history.map(r => [r[0], r[2]])).toEqual([
      ['4f2a9c1', 'alice@example.com'],
      ['0c1d2e3', 'automated sync'],
    ]);

    const workloads = section('Workloads (Kubernetes)');
    expect(
      rows(
        within(workloads).getByRole('table', { name: 'Workloads on dev-eu' }),
      ),
    ).toEqual([['orders-apiDeployment in orders', '2/2', '2', '1', '—']]);
    expect(
      within(workloads).getByRole('link', { name: 'Cluster dashboard' }),
    ).toHaveAttribute('href', 'https://dash.example.com/dev-eu');

    const signals = section('Golden signals (New Relic)');
    const charts = within(signals).getAllByRole('figure');
    expect(charts.map(c => c.getAttribute('aria-label'))).toEqual([
      'Throughput',
      'Error rate',
      'Response time',
      'Apdex',
    ]);
    expect(within(charts[0]).getByText('1,345 rpm')).toBeInTheDocument();
    expect(within(charts[1]).getByText('0.12%')).toBeInTheDocument();
    expect(within(charts[2]).getByText('82 ms')).toBeInTheDocument();
    expect(within(charts[3]).getByText('0.97')).toBeInTheDocument();
    // Each chart is drawn (uPlot puts its canvas in the container) and summarised for screen readers.
    expect(charts[0].querySelector('canvas')).not.toBeNull();
    expect(
      within(charts[0]).getByText(
        'Throughput over 30 points: from 1,200 rpm to 1,490 rpm, latest 1,490 rpm.',
      ),
    ).toBeInTheDocument();
    expect(within(signals).getByText('No open incidents')).toBeInTheDocument();
  });

  it('highlights what is wrong on a degraded service', async () => {
    const { api } = fakeApi(degraded);
    renderForEntity(<EntityRuntimeHealthContent />, api);

    await screen.findByRole('status', { name: 'Runtime verdict: Degraded' });
    expect(
      within(screen.getByRole('list', { name: 'Reasons' }))
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(degraded.reasons);

    const argo = section('Deployments (Argo CD)');
    expect(
      within(argo).getByText('Sync: OutOfSync at 4f2a9c1'),
    ).toBeInTheDocument();
    expect(within(argo).getByText('Health: Degraded')).toBeInTheDocument();
    expect(
      within(argo).getByText('Last operation: Failed'),
    ).toBeInTheDocument();

    const table = within(section('Workloads (Kubernetes)')).getByRole('table', {
      name: 'Workloads on prod-eu',
    });
    expect(rows(table)).toEqual([
      ['orders-apiDeployment in orders', '1/2', '2', '7', 'CrashLoopBackOff'],
    ]);
    expect(within(table).getAllByRole('row')[1]).toHaveAttribute(
      'data-state',
      'error',
    );
    expect(within(table).getByText('CrashLoopBackOff')).toHaveClass(
      'paved-rh-problem',
    );

    const incidents = within(section('Golden signals (New Relic)')).getByRole(
      'list',
      { name: 'Open incidents' },
    );
    // Closed incidents are left out.
    expect(within(incidents).getAllByRole('listitem')).toHaveLength(1);
    expect(
      within(incidents).getByRole('link', {
        name: 'High error rate on orders-api',
      }),
    ).toHaveAttribute(
      'href',
      'https://one.newrelic.com/alerts-ai/issues/inc-1',
    );
    expect(within(incidents).getByText('CRITICAL')).toBeInTheDocument();
  });

  it('puts a source that is down or slow in its own error panel and keeps showing the rest', async () => {
    const { api } = fakeApi(sourceDown);
    renderForEntity(<EntityRuntimeHealthContent />, api);

    await screen.findByRole('status', { name: 'Runtime verdict: Healthy' });
    const argo = section('Deployments (Argo CD)');
    expect(
      within(argo).getByText('Argo CD did not answer in time'),
    ).toBeInTheDocument();
    const newrelic = section('Golden signals (New Relic)');
    expect(
      within(newrelic).getByText('New Relic could not be read'),
    ).toBeInTheDocument();
    expect(
      within(newrelic).getByText(
        'NerdGraph answered 503 Service Unavailable. The other sources are shown as usual.',
      ),
    ).toBeInTheDocument();
    expect(within(newrelic).queryByRole('figure')).toBeNull();

    const workloads = section('Workloads (Kubernetes)');
    expect(
      within(workloads).getByRole('table', { name: 'Workloads on dev-eu' }),
    ).toBeInTheDocument();
    expect(
      within(workloads).getByText('prod-eu could not be read'),
    ).toBeInTheDocument();
    expect(
      within(workloads).getByText('connect ECONNREFUSED 10.0.0.1:443'),
    ).toBeInTheDocument();
  });

  it('explains which annotation turns on a source that is not configured', async () => {
    const { api } = fakeApi(notConfigured);
    renderForEntity(<EntityRuntimeHealthContent />, api);

    await screen.findByRole('status', { name: 'Runtime verdict: Healthy' });
    const argo = section('Deployments (Argo CD)');
    expect(
      within(argo).getByText('Argo CD is not set up for this entity'),
    ).toBeInTheDocument();
    expect(
      within(argo).getByText(
        "Add `argocd/app-name` or `argocd/app-selector` to the entity's catalog-info.yaml to see Argo CD here.",
      ),
    ).toBeInTheDocument();
    expect(
      within(section('Golden signals (New Relic)')).getByText(
        /`newrelic.com\/entity-guid` or `newrelic.com\/entity-name`/,
      ),
    ).toBeInTheDocument();
    expect(
      within(section('Workloads (Kubernetes)')).getByRole('table'),
    ).toBeInTheDocument();
  });

  it('shows skeletons per section while loading', async () => {
    const api = { getEntityHealth: () => new Promise<never>(() => {}) };
    renderForEntity(<EntityRuntimeHealthContent />, api);

    for (const title of [
      'Deployments (Argo CD)',
      'Workloads (Kubernetes)',
      'Golden signals (New Relic)',
    ]) {
      expect(await screen.findByLabelText(`Loading ${title}`)).toHaveAttribute(
        'aria-busy',
        'true',
      );
    }
  });

  it('keeps the last answer when a refresh fails, says so, and recovers on the next one', async () => {
    const { api, calls } = fakeApi(
      healthy,
      new Error('Backend unreachable'),
      degraded,
    );
    renderForEntity(<EntityRuntimeHealthContent />, api);
    await screen.findByRole('status', { name: 'Runtime verdict: Healthy' });

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(
      await screen.findByText(
        'Runtime health could not be refreshed; showing the last answer',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Backend unreachable')).toBeInTheDocument();
    expect(
      screen.getByRole('status', { name: 'Runtime verdict: Healthy' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/the last refresh failed/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(
      await screen.findByRole('status', { name: 'Runtime verdict: Degraded' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/could not be refreshed/)).toBeNull();
    expect(calls).toHaveLength(3);
  });
});
