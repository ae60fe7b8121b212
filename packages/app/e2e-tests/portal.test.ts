import { expect, test } from '@playwright/test';
import path from 'node:path';

const screenshots = path.resolve(
  __dirname,
  '../../../e2e-artifacts/screenshots',
);

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

  // The catalog is the front page and lists the repository's own Components, by title.
  await expect(
    page.getByRole('heading', { name: 'Paved Catalog' }),
  ).toBeVisible();
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
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.goto('/?filters%5Bkind%5D=resource&filters%5Buser%5D=all');
  const table = page.getByRole('table');
  await expect(
    table.getByRole('link', { name: 'dev-eu', exact: true }),
  ).toBeVisible();
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
