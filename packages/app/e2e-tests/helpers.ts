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

/** The development sandbox (GitHub, EKS, Argo CD, New Relic stand-ins) that `yarn dev` starts. */
export const sandboxUrl =
  process.env.PAVED_SANDBOX_URL ?? 'http://127.0.0.1:7440';
/** The sandbox's GitHub organisation. */
export const sandboxOrg = 'paved-demo';

/**
 * Opens Create → TypeScript service and fills its three steps as a developer would, up to the Review page: the
 * Payments team as owner, dev-eu (the default) plus `extraClusters`, and a repository on the sandbox's GitHub.
 */
export async function fillTypescriptService(
  page: Page,
  options: { name: string; repo?: string; extraClusters?: string[] },
) {
  const { name, repo = name, extraClusters = [] } = options;
  await page.getByRole('link', { name: 'Create' }).first().click();
  await expect(page).toHaveURL(/\/create/);
  const card = page
    .getByText('TypeScript service', { exact: true })
    .first()
    .locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]');
  await card.getByRole('button', { name: 'Choose' }).click();

  // Service.
  await page.getByLabel('Name').first().fill(name);
  await page.getByLabel('Description').first().fill(`${name} API`);
  const owner = page.getByLabel('Owner').first();
  await owner.click();
  await owner.fill('payments');
  await page.getByRole('option', { name: 'Payments team' }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  // Runtime: small tier; dev-eu (the default) and the extra clusters.
  await expect(page.getByLabel('dev-eu (development)')).toBeChecked();
  for (const cluster of extraClusters)
    await page.getByLabel(new RegExp(`^${cluster} `)).check();
  await page.getByRole('button', { name: 'Next' }).click();

  // Repository: it opens on the sandbox's GitHub and organisation (paved.scaffolder.repository); only the name is typed.
  const host = new URL(sandboxUrl).host;
  await expect(
    page
      .getByRole('combobox')
      .filter({ has: page.getByRole('option', { name: host }) }),
  ).toHaveValue(host);
  await expect(page.getByLabel('Owner').first()).toHaveValue(sandboxOrg);
  await page.screenshot({ path: `${screenshots}/repository-step.png` });
  await page.getByLabel('Repository').first().fill(repo);
  await page.getByLabel('Repository').first().press('Tab');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByText(name).first()).toBeVisible();
}
