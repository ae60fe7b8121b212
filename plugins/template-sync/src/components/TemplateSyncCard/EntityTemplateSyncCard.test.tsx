import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { templateSyncApiRef, type TemplateSyncApi } from '../../api';
import { backendError, fakeApi } from '../../__testUtils__/fakeApi';
import {
  conflicted,
  failing,
  orders,
  upToDate,
  withPullRequest,
} from '../../__testUtils__/fixtures';
import { EntityTemplateSyncCard } from './EntityTemplateSyncCard';

const render = (api: TemplateSyncApi) =>
  renderInTestApp(
    <EntityProvider entity={orders}>
      <EntityTemplateSyncCard />
    </EntityProvider>,
    { apis: [[templateSyncApiRef, api]] },
  );

describe('EntityTemplateSyncCard', () => {
  it('shows the template, the versions, the status and the open pull request', async () => {
    await render(fakeApi({ state: withPullRequest }).api);
    expect(
      await screen.findByRole('link', { name: 'service' }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/templates/tree/HEAD/service',
    );
    expect(screen.getByText('v1.0.0 → v2.0.0')).toBeInTheDocument();
    expect(screen.getByText('Pull request open')).toBeInTheDocument();
    const pr = screen.getByRole('link', { name: '#12' });
    expect(pr).toHaveAttribute(
      'href',
      'https://github.com/acme/orders/pull/12',
    );
    expect(pr).toHaveAttribute('target', '_blank');
    expect(screen.getByText('brings v2.0.0, 4 files')).toBeInTheDocument();
    expect(screen.getByText('5 minutes ago')).toBeInTheDocument();
    // The schedule, in the words the backend reads from its config.
    expect(
      await screen.findByText('The fleet job checks every 30 minutes.'),
    ).toBeInTheDocument();
  });

  it('says when the pull request has conflicts and is a draft', async () => {
    await render(fakeApi({ state: conflicted }).api);
    expect(await screen.findByText('Conflicts')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: '#3 (draft, 2 conflicts)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/has conflict markers to resolve/),
    ).toBeInTheDocument();
  });

  it('shows why an instance cannot be checked', async () => {
    await render(fakeApi({ state: failing }).api);
    expect(await screen.findByText('Cannot check')).toBeInTheDocument();
    expect(
      screen.getByText(
        /is not on the default branch of https:\/\/github.com\/acme\/gone/,
      ),
    ).toBeInTheDocument();
  });

  it('explains an entity not checked yet, and checks it on request', async () => {
    const fake = fakeApi({
      state: undefined,
      sync: upToDate,
      schedule: { enabled: true, description: 'every day' },
    });
    await render(fake.api);
    expect(
      await screen.findByText(
        'Template sync has not checked this entity yet. The fleet job checks every day; “Check now” does it at once.',
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Check now' }));
    expect(await screen.findByText('Up to date')).toBeInTheDocument();
    expect(fake.synced).toEqual(['component:default/orders']);
  });

  it("shows the backend's refusal to load, in its words", async () => {
    await render(
      fakeApi({
        state: backendError(
          'You may not read the template sync state of component:default/orders',
        ),
      }).api,
    );
    const alert = await screen.findByText(
      'Template sync state could not be loaded',
    );
    expect(
      within(alert.closest('[role="alert"], div')!.parentElement!).getByText(
        /You may not read/,
      ),
    ).toBeInTheDocument();
  });

  it('keeps the state shown when a check is refused, and says why', async () => {
    await render(
      fakeApi({
        state: withPullRequest,
        sync: backendError(
          'component:default/orders is being synced by another run; try again in a minute',
        ),
      }).api,
    );
    await screen.findByText('Pull request open');
    await userEvent.click(screen.getByRole('button', { name: 'Check now' }));
    expect(
      await screen.findByText('The check did not run'),
    ).toBeInTheDocument();
    expect(screen.getByText(/being synced by another run/)).toBeInTheDocument();
    expect(screen.getByText('Pull request open')).toBeInTheDocument();
  });
});
