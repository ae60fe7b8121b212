import { expect, type Page, test } from '@playwright/test';
import { screenshots } from './helpers';

/**
 * Single sign-on through an OpenID Provider, as production signs in (Keycloak or any IdP): the sandbox's identity
 * provider is the certified `oidc-provider`, `yarn dev` starts it, and the portal's `oidc` sign-in
 * (@backstage/plugin-auth-backend-module-oidc-provider) resolves the IdP's user to the catalog User with that email —
 * whose Groups the permission policy reads.
 */
async function signInWithOidc(
  page: Page,
  username: string,
  password: string,
  shot?: string,
) {
  await page.goto('/');
  await page.evaluate(() => window.localStorage.clear());
  await page.context().clearCookies();
  await page.goto('/');
  const card = page
    .locator('xpath=//*[.//text()[normalize-space()="Sandbox SSO"]][.//button]')
    .last();
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    card.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await expect(popup.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await popup.getByLabel('Username').fill(username);
  await popup.getByLabel('Password').fill(password);
  if (shot) await popup.screenshot({ path: `${screenshots}/${shot}` });
  await popup.getByRole('button', { name: 'Sign in' }).click();
  return popup;
}

test('signs in through OIDC as the catalog User with that email, and sees only what the policy allows that user', async ({
  page,
}) => {
  // A wrong password stays on the identity provider's page, with its message; the portal is not signed in.
  const refused = await signInWithOidc(
    page,
    'ada',
    'not-her-password',
    'oidc-sign-in.png',
  );
  await expect(refused.getByRole('alert')).toHaveText(
    'Invalid username or password.',
  );
  await refused.close();

  const popup = await signInWithOidc(page, 'ada', 'paved-sandbox-ada');
  await popup.waitForEvent('close');
  await expect(
    page.getByRole('heading', { name: 'Paved Catalog' }),
  ).toBeVisible();

  // Who the portal thinks this is: the catalog User ada, a member of payments-team.
  await page.goto('/settings');
  await expect(page.getByText('Ada (Payments team)').first()).toBeVisible();
  await expect(page.getByText('ada@paved.example').first()).toBeVisible();

  // ada's team's service: its runtime health is hers to read.
  await expect(async () => {
    await page.goto('/catalog/default/component/payments-api/runtime');
    await expect(
      page.getByRole('heading', { name: 'payments-api', exact: true }).first(),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
  await expect(page.getByText('Argo CD: reporting').first()).toBeVisible();
  // Another team's service: the catalog shows it, its health is refused.
  await page.goto('/catalog/default/component/orders-api/runtime');
  await expect(
    page.getByText(
      /You may not read the runtime health of component:default\/orders-api/,
    ),
  ).toBeVisible();
  await page.screenshot({ path: `${screenshots}/oidc-signed-in-refused.png` });

  // A reload keeps the session (the provider's refresh token), as GitHub sign-in does.
  await page.reload();
  await expect(
    page.getByText(
      /You may not read the runtime health of component:default\/orders-api/,
    ),
  ).toBeVisible();
});
