import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createClient } from '@redis/client';
// ESM (shared with bench/runtime-health/production.mjs), so loaded with import() once the test starts.
type ProductionLib = typeof import('../../../bench/lib/production.mjs');
let lib: ProductionLib;

/**
 * The portal as production runs it: the backend bundle laid out as the image lays it out (scripts/production-bundle.mjs),
 * `NODE_ENV=production` on app-config.yaml + app-config.production.yaml and an override pointing upstreams at a
 * sandbox, on PostgreSQL and the Redis cache, serving the production frontend build; signed in through OIDC in a
 * browser. Guest sign-in is neither offered nor accepted.
 */
const root = path.resolve(__dirname, '../../..');
const screenshots = path.join(root, 'e2e-artifacts/screenshots');
const PORT = 7540;
const postgresUrl =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const redisUrl = process.env.PAVED_TEST_REDIS_URL;
const prefix = `paved_e2e_${process.pid}_`;

/** Keys in Redis matching a pattern. */
async function redisKeys(url: string, pattern: string): Promise<string[]> {
  const client = createClient({ url, socket: { connectTimeout: 5_000 } });
  await client.connect();
  try {
    return await client.keys(pattern);
  } finally {
    await client.quit();
  }
}

test.describe('production mode', () => {
  test.skip(
    !postgresUrl || !redisUrl,
    'needs PostgreSQL and Redis: BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING and PAVED_TEST_REDIS_URL (.ci/run sets both)',
  );
  const pg = postgresUrl ? new URL(postgresUrl) : undefined;
  const postgres = {
    host: pg?.hostname ?? '',
    port: Number(pg?.port || 5432),
    user: decodeURIComponent(pg?.username || 'postgres'),
    password: decodeURIComponent(pg?.password ?? ''),
  };
  let sandbox:
    | Awaited<ReturnType<ProductionLib['startSandboxWithCatalog']>>
    | undefined;
  let portal:
    | Awaited<ReturnType<ProductionLib['startProductionPortal']>>
    | undefined;
  let bundle: ReturnType<ProductionLib['productionBundle']>;

  test.beforeAll(async () => {
    test.setTimeout(15 * 60_000);
    // bench/ is not a package: its helpers are shared by the benchmark and this test.
    // eslint-disable-next-line @backstage/no-relative-monorepo-imports
    lib = await import('../../../bench/lib/production.mjs');
    const { productionBundle, startProductionPortal } = lib;
    bundle = productionBundle(
      path.join(os.tmpdir(), 'paved-production-bundle'),
    );
    sandbox = await lib.startSandboxWithCatalog(PORT);
    portal = await startProductionPortal({
      dir: bundle.dir,
      ...sandbox,
      postgres,
      redisUrl: redisUrl!,
      databasePrefix: prefix,
      port: 7107,
    });
  });

  test.afterAll(async () => {
    await portal?.stop();
    await sandbox?.stop();
    if (postgresUrl && lib) await lib.dropDatabases(postgres, prefix);
  });

  test('runs on PostgreSQL and Redis, refuses guest sign-in, and serves the Runtime tab to a user signed in through OIDC', async ({
    page,
  }) => {
    test.setTimeout(5 * 60_000);
    const { signInWithOidc, until } = lib;
    const base = portal!.base;
    // The databases are PostgreSQL's (one per plugin, under this run's prefix).
    const names = await lib.databases(postgres, prefix);
    expect(names).toEqual(
      expect.arrayContaining([`${prefix}catalog`, `${prefix}runtime-health`]),
    );

    // Guest sign-in is refused by the backend, whatever the frontend offers.
    const guest = await fetch(`${base}/api/auth/guest/refresh`, {
      method: 'POST',
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(guest.status).toBe(403);

    // The runtime health answers for ada's team's service, and is refused for another team's.
    const { backstageIdentity } = await until('ada in the catalog', () =>
      signInWithOidc(base, 'ada', 'paved-sandbox-ada'),
    );
    const headers = { authorization: `Bearer ${backstageIdentity.token}` };
    const health = await until('payments-api health', async () => {
      const res = await fetch(
        `${base}/api/runtime-health/entity/default/component/payments-api`,
        { headers },
      );
      return res.ok ? res.json() : undefined;
    });
    expect(health.verdict).toEqual(expect.any(String));
    // The verdict's sources are cached in Redis (the production cache), not in the process.
    expect(
      (await redisKeys(redisUrl!, '*runtime-health*')).length,
    ).toBeGreaterThan(0);
    expect(
      (
        await fetch(
          `${base}/api/runtime-health/entity/default/component/orders-api`,
          { headers },
        )
      ).status,
    ).toBe(403);

    // In a browser: the production sign-in page offers OIDC and GitHub, never guest.
    await page.goto(base);
    await expect(page.getByText('Single sign-on').first()).toBeVisible({
      timeout: 60_000,
    });
    await expect(
      page.getByText('GitHub', { exact: true }).first(),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Enter' })).toHaveCount(0);
    await page.screenshot({ path: `${screenshots}/production-sign-in.png` });
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page
        .locator(
          'xpath=//*[.//text()[normalize-space()="Single sign-on"]][.//button]',
        )
        .last()
        .getByRole('button', { name: 'Sign in' })
        .click(),
    ]);
    await popup.getByLabel('Username').fill('ada');
    await popup.getByLabel('Password').fill('paved-sandbox-ada');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await popup.waitForEvent('close');
    await page.goto(`${base}/catalog/default/component/payments-api/runtime`);
    await expect(
      page.getByRole('heading', { name: 'payments-api', exact: true }).first(),
    ).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText('Argo CD: reporting').first()).toBeVisible({
      timeout: 30_000,
    });
    await page.screenshot({
      path: `${screenshots}/production-runtime-tab.png`,
    });
  });
});
