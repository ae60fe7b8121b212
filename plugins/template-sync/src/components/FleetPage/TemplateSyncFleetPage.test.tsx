import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TemplateFleetResponse } from '@paved/plugin-paved-common';
import { templateSyncApiRef, type TemplateSyncApi } from '../../api';
import { backendError, fakeApi } from '../../__testUtils__/fakeApi';
import { fleet } from '../../__testUtils__/fixtures';
import { TemplateSyncFleetPage } from './TemplateSyncFleetPage';

const render = (api: TemplateSyncApi) =>
  renderInTestApp(<TemplateSyncFleetPage />, {
    apis: [[templateSyncApiRef, api]],
    // Entity links need the catalog's entity page.
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

describe('TemplateSyncFleetPage', () => {
  it('summarises each template with its versions in use', async () => {
    await render(fakeApi({ fleet: () => fleet }).api);
    expect(
      await screen.findByRole('heading', { name: 'service' }),
    ).toBeInTheDocument();
    expect(screen.getByText('newest v2.0.0')).toBeInTheDocument();
    const counts = screen.getByText('Open pull requests').closest('li')!;
    expect(within(counts).getByText('2')).toBeInTheDocument();
    const chart = screen.getByRole('figure', {
      name: 'Versions of service in use',
    });
    expect(
      within(chart).getByText('v1.0.0').nextElementSibling?.nextElementSibling,
    ).toHaveTextContent('2 instances');
  });

  it('lists instances with owner, versions, status, pull request and last check', async () => {
    await render(fakeApi({ fleet: () => fleet }).api);
    const table = await screen.findByRole('table', {
      name: 'Template instances',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(4);
    const payments = rows.find(r => within(r).queryByText('Payments'))!;
    expect(within(payments).getByText('Conflicts')).toBeInTheDocument();
    expect(
      within(payments).getByRole('link', { name: '#3 (draft, 2 conflicts)' }),
    ).toHaveAttribute('href', 'https://github.com/acme/payments/pull/3');
    expect(within(payments).getByText('v1.0.0 → v2.0.0')).toBeInTheDocument();
    const gone = rows.find(r => within(r).queryByText('Cannot check'))!;
    expect(
      within(gone).getByText(/is not on the default branch/),
    ).toBeInTheDocument();
    expect(screen.getByText('Showing 1–4 of 4')).toBeInTheDocument();
  });

  it('asks the backend again with each filter, and searches after a pause in typing', async () => {
    const fake = fakeApi({ fleet: () => fleet });
    await render(fake.api);
    await screen.findByRole('table');
    await userEvent.selectOptions(
      screen.getByLabelText('Status'),
      'Needs attention',
    );
    await waitFor(() =>
      expect(fake.queries.at(-1)).toEqual({
        status: ['error', 'conflicts', 'declined', 'behind'],
        limit: 50,
        offset: 0,
      }),
    );
    await userEvent.selectOptions(screen.getByLabelText('Owner'), 'team-b');
    await waitFor(() =>
      expect(fake.queries.at(-1)?.owner).toBe('group:default/team-b'),
    );
    const before = fake.queries.length;
    await userEvent.type(screen.getByLabelText('Search'), 'pay');
    await waitFor(() => expect(fake.queries.at(-1)?.q).toBe('pay'));
    // One query for the finished word, not one per keystroke.
    expect(fake.queries.length - before).toBe(1);
    await userEvent.click(
      screen.getByRole('button', { name: 'Show its instances' }),
    );
    await waitFor(() =>
      expect(fake.queries.at(-1)?.source).toBe(fleet.templates[0].source),
    );
  });

  it('pages through many instances', async () => {
    const many: TemplateFleetResponse = { ...fleet, total: 120 };
    const fake = fakeApi({ fleet: () => many });
    await render(fake.api);
    await screen.findByText('Showing 1–4 of 120');
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(fake.queries.at(-1)?.offset).toBe(50));
    expect(await screen.findByText('Showing 51–54 of 120')).toBeInTheDocument();
  });

  it("shows the backend's refusal and offers to try again", async () => {
    let fail = true;
    const fake = fakeApi({
      fleet: () =>
        fail
          ? backendError('The template-sync backend is not reachable')
          : fleet,
    });
    await render(fake.api);
    expect(
      await screen.findByText('The template fleet could not be loaded'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('The template-sync backend is not reachable'),
    ).toBeInTheDocument();
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table')).toBeInTheDocument();
  });

  it('explains an empty fleet', async () => {
    await render(
      fakeApi({ fleet: () => ({ templates: [], instances: [], total: 0 }) })
        .api,
    );
    expect(
      await screen.findByText(/No template instances yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No instance matches these filters.'),
    ).toBeInTheDocument();
  });
});
