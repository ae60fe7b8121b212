import { expect, type Page, test } from '@playwright/test';
import {
  fillTypescriptService,
  sandboxOrg as org,
  sandboxUrl as sandbox,
  screenshots,
  signIn,
} from './helpers';

// The golden path when something is wrong, as a developer meets it in the portal: a name that is taken is refused
// before anything is created, and a run that a fault broke half-way is retried from the task page and completes with
// nothing duplicated.

// The sandbox's fixed, public development token (packages/sandbox/src/seed.ts).
const github = { authorization: 'token paved-sandbox-github-token' };

async function shot(page: Page, name: string) {
  await page.screenshot({
    path: `${screenshots}/golden-path-failures-${name}.png`,
    fullPage: true,
  });
}

test('a name already in the catalog is refused before any repository is created', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  // payments-api is the example catalog's service of the Payments team; the repository name is new.
  const repo = `dup-${Date.now().toString(36)}`;
  await signIn(page);
  await fillTypescriptService(page, { name: 'payments-api', repo });
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(
    page
      .getByText(
        /component:default\/payments-api is already in the catalog \(owned by group:default\/payments-team\): choose another name\./,
      )
      .first(),
  ).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/Nothing was created\./).first()).toBeVisible();
  // No "Open in the catalog" leading to the existing, unrelated service.
  await expect(
    page.getByRole('link', { name: 'Open in the catalog' }),
  ).toHaveCount(0);
  await shot(page, '1-duplicate');
  // No repository was created.
  const created = await request.get(`${sandbox}/api/v3/repos/${org}/${repo}`, {
    headers: github,
  });
  expect(created.status()).toBe(404);
});

test('a run broken by a fault is retried from the task page and completes, with nothing duplicated', async ({
  page,
  request,
}) => {
  test.setTimeout(Number(process.env.PAVED_JOURNEY_TIMEOUT ?? 300_000));
  const name = `retry-${Date.now().toString(36)}`;
  // The catalog cannot read the new repository's catalog-info.yaml: the run fails at its last step, after the
  // repository, the namespace and the Argo CD pull requests exist.
  const fault = await request.post(`${sandbox}/__sandbox/faults`, {
    data: {
      path: `/repos/${org}/${name}/contents/catalog-info\\.yaml`,
      status: 502,
    },
  });
  expect(fault.status()).toBe(201);
  try {
    await signIn(page);
    await fillTypescriptService(page, { name });
    await page.getByRole('button', { name: 'Create' }).click();
    // The error, one sentence with what to do, as the heading of the task page's error panel.
    await expect(
      page.getByRole('heading', {
        name: /^Error: The catalog could not register .*catalog-info\.yaml.*: retry the run, it resumes here\.$/,
      }),
    ).toBeVisible({ timeout: 120_000 });
    await shot(page, '2-failed');
  } finally {
    await request.delete(`${sandbox}/__sandbox/faults`);
  }

  // GitHub is back: Retry resumes at the failed step.
  await page.getByRole('button', { name: 'Retry', exact: true }).click();
  const opened = page.getByRole('link', { name: 'Open in the catalog' });
  await expect(opened).toBeVisible({ timeout: 120_000 });
  await shot(page, '3-retried');

  // One repository with one commit, one Argo CD pull request for the service, and the entity.
  const api = `${sandbox}/api/v3/repos/${org}/${name}`;
  const get = async (route: string) =>
    (await request.get(`${api}/${route}`, { headers: github })).json();
  let sha: string | undefined = (await get('git/ref/heads/main')).object?.sha;
  let commits = 0;
  for (; sha && commits < 10; commits++)
    sha = (await get(`git/commits/${sha}`)).parents?.[0]?.sha;
  expect(commits).toBe(1);
  const pulls = (await (
    await request.get(
      `${sandbox}/api/v3/repos/${org}/gitops/pulls?state=open&per_page=100`,
      { headers: github },
    )
  ).json()) as Array<{ head: { ref: string } }>;
  expect(
    pulls.map(p => p.head.ref).filter(ref => ref.endsWith(`/${name}`)),
  ).toEqual([`paved/argocd/main/payments-team/${name}`]);
  await opened.click();
  await expect(
    page.getByRole('heading', { name, exact: true }).first(),
  ).toBeVisible({ timeout: 60_000 });
});
