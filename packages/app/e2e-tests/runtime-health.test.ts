import { expect, test } from '@playwright/test';
import { openEntity, screenshots } from './helpers';

test('a platform admin sees a degraded service on the overview card and finds why on the Runtime tab', async ({
  page,
}) => {
  // orders-api belongs to the Orders team; the platform admin may read every entity's health.
  await openEntity(page, 'orders-api', '', 'admin');

  // The overview card: verdict, reasons, a chip per source, the last deploy and links out.
  const verdict = page.getByRole('status', {
    name: 'Runtime verdict: Degraded',
  });
  await expect(verdict).toBeVisible();
  await expect(page.getByText(/CrashLoopBackOff/).first()).toBeVisible();
  const sources = page.getByRole('list', { name: 'Sources' });
  await expect(sources.getByText('Argo CD: reporting')).toBeVisible();
  await expect(sources.getByText('Kubernetes: reporting')).toBeVisible();
  await expect(sources.getByText('New Relic: reporting')).toBeVisible();
  await expect(page.getByText(/^Last deploy: [0-9a-f]{7} to /)).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Argo CD: orders-api-prod-eu' }),
  ).toBeVisible();
  await verdict.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: `${screenshots}/runtime-card-orders-api.png`,
    fullPage: true,
  });

  await page.getByRole('link', { name: 'Runtime', exact: true }).click();
  await expect(page).toHaveURL(/\/component\/orders-api\/runtime$/);
  await expect(
    page.getByRole('status', { name: 'Runtime verdict: Degraded' }),
  ).toBeVisible();

  const argo = page.getByRole('region', { name: 'Deployments (Argo CD)' });
  await expect(
    argo.getByRole('link', { name: 'orders-api-prod-eu' }),
  ).toBeVisible();
  await expect(argo.getByText('Health: Degraded')).toBeVisible();
  await expect(
    argo.getByRole('table', { name: 'orders-api-prod-eu history' }),
  ).toBeVisible();

  const workloads = page.getByRole('region', {
    name: 'Workloads (Kubernetes)',
  });
  const prod = workloads.getByRole('table', { name: 'Workloads on prod-eu' });
  await expect(prod.getByText('CrashLoopBackOff')).toBeVisible();
  await expect(
    workloads.getByRole('table', { name: 'Workloads on dev-eu' }),
  ).toBeVisible();

  // Four golden-signal charts, each drawn on a canvas, and the open incident.
  const signals = page.getByRole('region', {
    name: 'Golden signals (New Relic)',
  });
  for (const title of ['Throughput', 'Error rate', 'Response time', 'Apdex']) {
    const chart = signals.getByRole('figure', { name: title });
    await expect(chart).toBeVisible();
    await expect(chart.locator('canvas')).toBeVisible();
  }
  await expect(
    signals.getByRole('list', { name: 'Open incidents' }),
  ).toBeVisible();
  await expect(page.getByText(/^Updated \d\d:\d\d:\d\d/)).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/runtime-tab-orders-api.png`,
    fullPage: true,
  });
});

test('a healthy service reads healthy on its Runtime tab', async ({ page }) => {
  await openEntity(page, 'payments-api', '/runtime');
  await expect(
    page.getByRole('status', { name: 'Runtime verdict: Healthy' }),
  ).toBeVisible();
  const signals = page.getByRole('region', {
    name: 'Golden signals (New Relic)',
  });
  await expect(
    signals.getByRole('figure', { name: 'Throughput' }).locator('canvas'),
  ).toBeVisible();
  await expect(signals.getByText('No open incidents')).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/runtime-tab-payments-api.png`,
    fullPage: true,
  });
});

test("a developer may not read another team's runtime health", async ({
  page,
}) => {
  // guest is in the Payments team; orders-api belongs to the Orders team. The catalog shows it, its health is refused.
  await openEntity(page, 'orders-api', '/runtime');
  await expect(
    page.getByText(
      /You may not read the runtime health of component:default\/orders-api/,
    ),
  ).toBeVisible();
  await expect(
    page.getByRole('status', { name: /Runtime verdict/ }),
  ).toHaveCount(0);
  await page.screenshot({
    path: `${screenshots}/runtime-tab-refused.png`,
    fullPage: true,
  });
});
