import { expect, type Page } from '@playwright/test';
import path from 'node:path';

/** Where browser tests leave their screenshots (git-ignored; kept by CI as artifacts). */
export const screenshots = path.resolve(
  __dirname,
  '../../../e2e-artifacts/screenshots',
);

/** Who signs in: guest is a developer of the Payments team; admin is the example catalog's platform admin. */
export type DevIdentity = 'developer' | 'admin';

/** Signs in on the development sign-in page, as guest (a Payments developer) or as the platform admin. */
export async function signIn(page: Page, as: DevIdentity = 'developer') {
  await page.goto('/');
  // A fresh session each time: the sign-in page remembers the last provider in local storage.
  await page.evaluate(() => window.localStorage.clear());
  await page.context().clearCookies();
  await page.goto('/');
  if (as === 'admin') {
    await page
      .locator(
        'xpath=//*[.//text()[normalize-space()="Platform admin (development)"]][.//button]',
      )
      .last()
      .getByRole('button', { name: 'Sign in' })
      .click();
  } else {
    await page.getByRole('button', { name: 'Enter' }).click();
  }
  await expect(
    page.getByRole('heading', { name: 'Paved Catalog' }),
  ).toBeVisible();
}

/** Signs in and opens an entity page, reloading until the catalog has ingested examples/catalog.yaml. */
export async function openEntity(
  page: Page,
  name: string,
  tab = '',
  as: DevIdentity = 'developer',
) {
  await signIn(page, as);
  await expect(async () => {
    await page.goto(`/catalog/default/component/${name}${tab}`);
    await expect(
      page.getByRole('heading', { name, exact: true }).first(),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
}
