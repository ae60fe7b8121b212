import { expect, test } from '@playwright/test';
import { screenshots, signIn } from './helpers';

test('a guest signs in and finds Paved’s own catalog', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle(/Paved/);

  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(nav.getByRole('link', { name: 'Home' })).toHaveText('Paved');
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  // The catalog is the front page. guest is a developer of the Payments team, so it opens on what that team owns
  // (once the example catalog is in); "All" lists the repository's own Components, by title.
  await expect(
    page.getByRole('heading', { name: 'Paved Catalog' }),
  ).toBeVisible();
  await page.goto('/?filters%5Bkind%5D=component&filters%5Buser%5D=all');
  const table = page.getByRole('table');
  await expect(
    table.getByRole('link', { name: 'Paved backend', exact: true }),
  ).toBeVisible();
  await expect(
    table.getByRole('link', { name: 'Paved common', exact: true }),
  ).toBeVisible();
  await page.screenshot({ path: `${screenshots}/catalog.png`, fullPage: true });

  await table.getByRole('link', { name: 'Paved common', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/paved-common/);
  await expect(
    page.getByRole('heading', { name: 'Paved common' }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Platform team' }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Paved', exact: true }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/entity-paved-common.png`,
    fullPage: true,
  });
});

test('the sandbox’s EKS clusters are discovered into the catalog as Resources', async ({
  page,
}) => {
  // The provider runs at start-up, while the backend also starts every other plugin on two cores.
  test.setTimeout(180_000);
  // Signed in before navigating: a reload before the sign-in has finished finds no session and shows the sign-in
  // page on every later reload (the cause of this test's old first-attempt failures).
  await signIn(page);
  const table = page.getByRole('table');
  // The provider's first run may still be under way: reload until it has committed the clusters.
  await expect(async () => {
    await page.goto('/?filters%5Bkind%5D=resource&filters%5Buser%5D=all');
    await expect(
      table.getByRole('link', { name: 'dev-eu', exact: true }),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 150_000 });
  await expect(
    table.getByRole('link', { name: 'prod-eu', exact: true }),
  ).toBeVisible();
  await table.getByRole('link', { name: 'prod-eu', exact: true }).click();
  await expect(page.getByText('kubernetes-cluster').first()).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/resource-prod-eu.png`,
    fullPage: true,
  });
});

test('the scaffolder offers paved:namespace:provision with its documented inputs', async ({
  page,
}) => {
  await signIn(page);
  const action = page.getByText('paved:namespace:provision', { exact: true });
  // The first test after start may arrive before the backend answers; the page does not retry by itself.
  await expect(async () => {
    await page.goto('/create/actions');
    await expect(action.first()).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
  await expect(
    page.getByText(/Provisions a team namespace on EKS/).first(),
  ).toBeVisible();
  await expect(
    page.getByText('paved:argocd:register', { exact: true }).first(),
  ).toBeVisible();
  // The detail view renders the input schema written once in the action's zod fields.
  await action.first().click();
  await expect(
    page.getByText(/Owning team: a Group entity ref/).first(),
  ).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/scaffolder-actions.png`,
    fullPage: true,
  });
});
