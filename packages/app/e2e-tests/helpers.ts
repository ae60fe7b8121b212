import { expect, type Page } from '@playwright/test';
import path from 'node:path';

/** Where browser tests leave their screenshots (git-ignored; kept by CI as artifacts). */
export const screenshots = path.resolve(
  __dirname,
  '../../../e2e-artifacts/screenshots',
);

/** Signs in as guest (the development sign-in page). */
export async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { name: 'Paved Catalog' }),
  ).toBeVisible();
}

/** Signs in as guest and opens an entity page, reloading until the catalog has ingested examples/catalog.yaml. */
export async function openEntity(page: Page, name: string, tab = '') {
  await signIn(page);
  await expect(async () => {
    await page.goto(`/catalog/default/component/${name}${tab}`);
    await expect(
      page.getByRole('heading', { name, exact: true }).first(),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
}
