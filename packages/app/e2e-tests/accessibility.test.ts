import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { openEntity, signIn } from './helpers';

// axe (WCAG 2.x A and AA rules) on the pages Paved adds to the portal: no serious or critical violation.
const check = async (page: import('@playwright/test').Page) => {
  // The settled page: Backstage's own cards (the catalog graph) show unnamed spinners while they load.
  await expect(page.getByRole('progressbar')).toHaveCount(0, {
    timeout: 30_000,
  });
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map(n => `${n.target.join(' ')} ${n.html.slice(0, 160)}`)
          .join(' | ')}`,
    );
};

test('the entity overview, its Runtime tab and the Template fleet page have no serious or critical axe violation', async ({
  page,
}) => {
  await openEntity(page, 'payments-api');
  await expect(
    page.getByRole('heading', { name: 'Runtime health' }).first(),
  ).toBeVisible();
  await expect(page.getByRole('status').first()).toBeVisible({
    timeout: 30_000,
  });
  expect(await check(page), 'entity overview').toEqual([]);

  await page.goto('/catalog/default/component/payments-api/runtime');
  await expect(
    page.getByRole('status', { name: /Runtime verdict/ }),
  ).toBeVisible({ timeout: 30_000 });
  expect(await check(page), 'Runtime tab').toEqual([]);

  await signIn(page, 'admin');
  await page.goto('/template-sync');
  await expect(
    page.getByRole('heading', { name: 'Template fleet' }).first(),
  ).toBeVisible({ timeout: 30_000 });
  expect(await check(page), 'Template fleet page').toEqual([]);
});
