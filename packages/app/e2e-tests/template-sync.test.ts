import { expect, test } from '@playwright/test';
import { openEntity, screenshots, signIn } from './helpers';

// The development sandbox seeds three services scaffolded from its service template: payments-api at v1.0.0 (behind),
// orders-api at v2.0.0 (current) and ledger-worker at v1.0.0 with an edit on the line v2.0.0 changes (a conflict).

test('a service owner sees the template card, checks now, and follows the update pull request', async ({
  page,
}) => {
  await openEntity(page, 'payments-api');
  const card = page
    .getByRole('heading', { name: 'Template', exact: true })
    .locator('xpath=ancestor::*[.//button[normalize-space()="Check now"]][1]');
  await expect(
    card.getByRole('link', { name: 'service-template' }),
  ).toBeVisible();
  await card.getByRole('button', { name: 'Check now' }).click();
  await expect(card.getByText('v1.0.0 → v2.0.0')).toBeVisible();
  await expect(card.getByText('Pull request open')).toBeVisible();
  const pr = card.getByRole('link', { name: /^#\d+$/ });
  await expect(pr).toHaveAttribute(
    'href',
    /^http:\/\/127\.0\.0\.1:7440\/paved-demo\/payments-api\/pull\/\d+$/,
  );
  await expect(card.getByText(/brings v2\.0\.0, \d+ files?/)).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: `${screenshots}/template-card-payments-api.png`,
    fullPage: true,
  });
});

test('a conflicting update is a draft pull request, and the fleet page shows the adoption of each template', async ({
  page,
}) => {
  await openEntity(page, 'ledger-worker');
  const card = page
    .getByRole('heading', { name: 'Template', exact: true })
    .locator('xpath=ancestor::*[.//button[normalize-space()="Check now"]][1]');
  await card.getByRole('button', { name: 'Check now' }).click();
  await expect(card.getByText('Conflicts', { exact: true })).toBeVisible();
  await expect(
    card.getByRole('link', { name: /^#\d+ \(draft, 1 conflict\)$/ }),
  ).toBeVisible();

  // The developer's fleet page lists only what their team owns (payments-api, ledger-worker), not orders-api.
  await page.getByRole('link', { name: 'Template fleet' }).click();
  await expect(page).toHaveURL(/\/template-sync$/);
  const mine = page.getByRole('table', { name: 'Template instances' });
  await expect(mine.getByRole('link', { name: 'ledger-worker' })).toBeVisible();
  await expect(mine.getByRole('link', { name: 'orders-api' })).toHaveCount(0);

  // From the sidebar, as the platform team finds it: every instance.
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Template fleet' }).click();
  await expect(page).toHaveURL(/\/template-sync$/);
  await expect(
    page.getByRole('heading', { name: 'service-template' }),
  ).toBeVisible();
  const chart = page.getByRole('figure', {
    name: 'Versions of service-template in use',
  });
  await expect(chart.getByText('v2.0.0')).toBeVisible();
  const table = page.getByRole('table', { name: 'Template instances' });
  for (const name of ['payments-api', 'orders-api', 'ledger-worker']) {
    await expect(table.getByRole('link', { name })).toBeVisible();
  }
  await page.getByLabel('Status').selectOption({ label: 'Conflicts' });
  await expect(
    table.getByRole('link', { name: 'ledger-worker' }),
  ).toBeVisible();
  await expect(table.getByRole('link', { name: 'payments-api' })).toHaveCount(
    0,
  );
  await page.getByLabel('Status').selectOption({ label: 'Any status' });
  await page.screenshot({
    path: `${screenshots}/template-fleet.png`,
    fullPage: true,
  });
});
