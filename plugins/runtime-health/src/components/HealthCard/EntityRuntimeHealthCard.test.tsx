import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import {
  degraded,
  healthy,
  notConfigured,
  sourceDown,
} from '../../__testUtils__/fixtures';
import { fakeApi, renderForEntity } from '../../__testUtils__/render';
import { EntityRuntimeHealthCard } from './EntityRuntimeHealthCard';

const chips = () =>
  within(screen.getByRole('list', { name: 'Sources' }))
    .getAllByRole('listitem')
    .map(li => li.textContent);

describe('EntityRuntimeHealthCard', () => {
  it('shows a healthy service: verdict, every source reporting, the last deploy and links out', async () => {
    const { api, calls } = fakeApi(healthy);
    renderForEntity(<EntityRuntimeHealthCard />, api);

    expect(
      await screen.findByRole('status', { name: 'Runtime verdict: Healthy' }),
    ).toBeInTheDocument();
    expect(calls).toEqual(['component:default/orders-api']);
    expect(chips()).toEqual([
      'Argo CD: reporting',
      'Kubernetes: reporting',
      'New Relic: reporting',
    ]);
    expect(screen.getByText(/Last deploy:/).textContent).toMatch(
      /^Last deploy: 4f2a9c1 to orders-api-dev-eu .+ by alice@example\.com$/,
    );
    expect(
      screen.getByRole('link', { name: 'Argo CD: orders-api-dev-eu' }),
    ).toHaveAttribute(
      'href',
      'https://argocd.example.com/applications/argocd/orders-api-dev-eu',
    );
    expect(
      screen.getByRole('link', { name: 'New Relic: orders-api' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Cluster: dev-eu' }),
    ).toHaveAttribute('href', 'https://dash.example.com/dev-eu');
    expect(
      screen.getByText(/^Updated \d\d:\d\d:\d\d · refreshes every 30 s$/),
    ).toBeInTheDocument();
  });

  it('shows a degraded service with its reasons, most severe first, at most three', async () => {
    const { api } = fakeApi({
      ...degraded,
      reasons: [...degraded.reasons, 'A fourth reason'],
    });
    renderForEntity(<EntityRuntimeHealthCard />, api);

    expect(
      await screen.findByRole('status', { name: 'Runtime verdict: Degraded' }),
    ).toBeInTheDocument();
    const reasons = within(screen.getByRole('list', { name: 'Reasons' }))
      .getAllByRole('listitem')
      .map(li => li.textContent);
    expect(reasons).toEqual([...degraded.reasons, 'and 1 more']);
  });

  it('names the sources that are down or slow without losing the ones that answered', async () => {
    const { api } = fakeApi(sourceDown);
    renderForEntity(<EntityRuntimeHealthCard />, api);

    await screen.findByRole('status', { name: 'Runtime verdict: Healthy' });
    expect(chips()).toEqual([
      'Argo CD: timed out',
      'Kubernetes: reporting',
      'New Relic: unavailable',
    ]);
    expect(
      screen.getByText('No deploy recorded by Argo CD.'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Cluster: dev-eu' }),
    ).toBeInTheDocument();
    // A verdict that stands on part of the sources says so beside it.
    expect(
      within(screen.getByRole('list', { name: 'Verdict context' })).getByText(
        'Partial view: a source could not be read',
      ),
    ).toBeInTheDocument();
  });

  it('names the expected clusters that run nothing', async () => {
    const health = structuredClone(healthy);
    health.verdict = 'partially-deployed';
    health.deployment = {
      expected: ['dev-eu', 'prod-eu'],
      deployed: ['dev-eu'],
      missing: ['prod-eu'],
      unread: [],
    };
    const { api } = fakeApi(health);
    renderForEntity(<EntityRuntimeHealthCard />, api);
    await screen.findByRole('status', {
      name: 'Runtime verdict: Partially deployed',
    });
    expect(
      within(screen.getByRole('list', { name: 'Verdict context' })).getByText(
        'Not deployed on prod-eu',
      ),
    ).toBeInTheDocument();
  });

  it('adds nothing beside a verdict that saw everything', async () => {
    const { api } = fakeApi(healthy);
    renderForEntity(<EntityRuntimeHealthCard />, api);
    await screen.findByRole('status', { name: 'Runtime verdict: Healthy' });
    expect(screen.queryByRole('list', { name: 'Verdict context' })).toBeNull();
  });

  it('marks sources that are not configured as such', async () => {
    const { api } = fakeApi(notConfigured);
    renderForEntity(<EntityRuntimeHealthCard />, api);

    await screen.findByRole('status', { name: 'Runtime verdict: Healthy' });
    expect(chips()).toEqual([
      'Argo CD: not configured',
      'Kubernetes: reporting',
      'New Relic: not configured',
    ]);
  });

  it('says why when the backend refuses, for example without permission', async () => {
    const denied = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message:
              'You may not read the runtime health of component:default/orders-api',
          },
          request: {
            method: 'GET',
            url: '/entity/default/component/orders-api',
          },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'content-type': 'application/json' } },
      ) as any,
    );
    const { api } = fakeApi(denied);
    renderForEntity(<EntityRuntimeHealthCard />, api);

    expect(
      await screen.findByText('Runtime health could not be loaded'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/You may not read the runtime health/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('status', { name: /Runtime verdict/ }),
    ).toBeNull();
  });

  it('shows placeholders until the first answer arrives', async () => {
    const api = { getEntityHealth: () => new Promise<never>(() => {}) };
    renderForEntity(<EntityRuntimeHealthCard />, api);

    expect(
      await screen.findByLabelText('Loading runtime health'),
    ).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByText('Not loaded yet')).toBeInTheDocument();
  });
});
