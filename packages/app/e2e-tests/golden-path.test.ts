import {
  expect,
  type Page,
  type APIRequestContext,
  test,
} from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { screenshots, signIn } from './helpers';

// The whole golden path as a new user walks it, against `yarn dev` (portal + sandbox): scaffold a TypeScript service
// from the portal, follow the links the run gives, merge the GitOps pull requests as the platform team's reviewer
// would, watch the service turn healthy once the sandbox's Argo CD has synced it, then release a new version of the
// template and find the update pull request on the service's Template card.

const sandbox = process.env.PAVED_SANDBOX_URL ?? 'http://127.0.0.1:7440';
const org = 'paved-demo';
// The sandbox's fixed, public development token (packages/sandbox/src/seed.ts).
const token = 'paved-sandbox-github-token';
const github = { authorization: `token ${token}` };

/** Merges a GitOps pull request through the GitHub API, as a reviewer on the platform team would. */
async function merge(request: APIRequestContext, url: string) {
  const number = /\/pull\/(\d+)$/.exec(url)?.[1];
  expect(number, `a pull request URL: ${url}`).toBeDefined();
  const merged = await request.put(
    `${sandbox}/api/v3/repos/${org}/gitops/pulls/${number}/merge`,
    { headers: github, data: { merge_method: 'merge' } },
  );
  expect(merged.status(), await merged.text()).toBe(200);
}

/** The next minor version above every tag of the sandbox's template repository (runs can repeat on one sandbox). */
function nextTemplateVersion(): string {
  const tags = execFileSync(
    'git',
    [
      'ls-remote',
      '--tags',
      `${sandbox.replace(
        '://',
        `://x-access-token:${token}@`,
      )}/${org}/templates.git`,
    ],
    { encoding: 'utf8' },
  )
    .split('\n')
    .map(line => /refs\/tags\/v(\d+)\.(\d+)\.(\d+)$/.exec(line))
    .filter((m): m is RegExpExecArray => !!m)
    .map(m => [Number(m[1]), Number(m[2])] as const);
  const [major, minor] = tags.sort((a, b) => b[0] - a[0] || b[1] - a[1])[0];
  return `v${major}.${minor + 1}.0`;
}

async function shot(page: Page, name: string) {
  await page.screenshot({
    path: `${screenshots}/golden-path-${name}.png`,
    fullPage: true,
  });
}

test('a developer scaffolds a TypeScript service, sees it run, and gets the template update as a pull request', async ({
  page,
  request,
}) => {
  test.setTimeout(Number(process.env.PAVED_JOURNEY_TIMEOUT ?? 300_000));
  // Unique per attempt: a retry or a second local run must not meet the repository of the first.
  const name = `shop-${Date.now().toString(36)}`;

  await signIn(page);
  await page.getByRole('link', { name: 'Create' }).first().click();
  await expect(page).toHaveURL(/\/create/);
  const card = page
    .getByText('TypeScript service', { exact: true })
    .first()
    .locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]');
  await card.getByRole('button', { name: 'Choose' }).click();

  // Service.
  await page.getByLabel('Name').first().fill(name);
  await page.getByLabel('Description').first().fill('Shop front API');
  const owner = page.getByLabel('Owner').first();
  await owner.click();
  await owner.fill('payments');
  await page.getByRole('option', { name: 'Payments team' }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  // Runtime: small tier, dev-eu (the defaults).
  await expect(page.getByLabel('dev-eu (development)')).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();

  // Repository, on the sandbox's GitHub.
  await page
    .getByRole('combobox')
    .filter({ has: page.getByRole('option', { name: '127.0.0.1:7440' }) })
    .selectOption('127.0.0.1:7440');
  // Free-text autocompletes: the value is taken on blur.
  await page.getByLabel('Owner').first().fill(org);
  await page.getByLabel('Owner').first().press('Tab');
  await page.getByLabel('Repository').first().fill(name);
  await page.getByLabel('Repository').first().press('Tab');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByText(name).first()).toBeVisible();
  await shot(page, '1-review');
  await page.getByRole('button', { name: 'Create' }).click();

  // The run: every step, then the links.
  const opened = page.getByRole('link', { name: 'Open in the catalog' });
  await expect(opened).toBeVisible({ timeout: 120_000 });
  await shot(page, '2-run');
  const repository = page.getByRole('link', { name: 'Repository' });
  // publish:github's remoteUrl: the clone URL, which GitHub also serves as the repository's page.
  await expect(repository).toHaveAttribute(
    'href',
    `${sandbox}/${org}/${name}.git`,
  );
  // The team's namespace gets a pull request the first time one of its services is scaffolded on this sandbox; later
  // runs (a retry, a second local run) find it provisioned and open none, and the run shows no link.
  const namespaceLink = page.getByRole('link', {
    name: 'Namespace pull request',
  });
  const namespacePr = (await namespaceLink.count())
    ? await namespaceLink.getAttribute('href')
    : undefined;
  if (namespacePr)
    expect(namespacePr).toMatch(
      new RegExp(`^${sandbox}/${org}/gitops/pull/\\d+$`),
    );
  await expect(
    page.getByRole('link', { name: 'Argo CD (dev-eu)' }),
  ).toHaveAttribute('href', new RegExp(`/applications/argocd/${name}-dev-eu$`));
  const argoPrs = (await page.getByText(/Argo CD pull requests:/).innerText())
    .split(/\s+/)
    .filter(word => /\/gitops\/pull\/\d+$/.test(word));
  expect(argoPrs).toHaveLength(1);

  // The repository link leads to the new repository, with the rendered service in it.
  const readme = await request.get(
    `${sandbox}/api/v3/repos/${org}/${name}/contents/catalog-info.yaml`,
    { headers: { ...github, accept: 'application/vnd.github.raw' } },
  );
  expect(readme.status()).toBe(200);
  expect(await readme.text()).toContain(`name: "${name}"`);

  // The platform team merges the namespace and Argo CD pull requests; the sandbox's Argo CD syncs the default branch.
  if (namespacePr) await merge(request, namespacePr);
  await merge(request, argoPrs[0]);
  const synced = await request.post(`${sandbox}/__sandbox/gitops/sync`);
  expect((await synced.json()).applied).toBeGreaterThan(0);

  // The catalog entity, from the link.
  await opened.click();
  await expect(
    page.getByRole('heading', { name, exact: true }).first(),
  ).toBeVisible({ timeout: 60_000 });
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}$`),
  );

  // Runtime: healthy once Argo CD has synced and the pods run.
  await expect(async () => {
    await page.goto(`/catalog/default/component/${name}/runtime`);
    await expect(
      page.getByRole('status', { name: 'Runtime verdict: Healthy' }),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
  await expect(page.getByText(`${name}-dev-eu`).first()).toBeVisible();
  await shot(page, '3-runtime');

  // The Template card: the service is at the newest version of its template.
  await page.goto(`/catalog/default/component/${name}`);
  const template = page
    .getByRole('heading', { name: 'Template', exact: true })
    .locator('xpath=ancestor::*[.//button[normalize-space()="Check now"]][1]');
  await template.getByRole('button', { name: 'Check now' }).click();
  await expect(
    template.getByRole('link', { name: 'typescript-service' }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(template.getByText('Up to date')).toBeVisible();

  // The platform team releases a new version of the template.
  const version = nextTemplateVersion();
  const dockerignore = fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../templates/typescript-service/template/.dockerignore',
    ),
    'utf8',
  );
  const released = await request.post(`${sandbox}/__sandbox/github/commits`, {
    data: {
      repo: 'templates',
      files: {
        'typescript-service/template/.dockerignore': `${dockerignore}# ${version}: local environment files stay out of images\n.env.local\n`,
      },
      message: `feat: ${version}`,
      tag: version,
    },
  });
  expect(released.status(), await released.text()).toBeLessThan(300);

  // The service owner checks again and follows the pull request.
  await template.getByRole('button', { name: 'Check now' }).click();
  await expect(template.getByText('Pull request open')).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    template.getByText(new RegExp(`→ ${version.replace(/\./g, '\\.')}$`)),
  ).toBeVisible();
  const pr = template.getByRole('link', { name: /^#\d+$/ });
  await expect(pr).toHaveAttribute(
    'href',
    new RegExp(`^${sandbox}/${org}/${name}/pull/\\d+$`),
  );
  await template.scrollIntoViewIfNeeded();
  await shot(page, '4-template-update');

  // The pull request is open, unmerged, and its branch carries the change the new version made.
  const number = /(\d+)$/.exec((await pr.getAttribute('href'))!)![1];
  const pull = await (
    await request.get(
      `${sandbox}/api/v3/repos/${org}/${name}/pulls/${number}`,
      { headers: github },
    )
  ).json();
  expect(pull).toMatchObject({ state: 'open', merged: false });
  const changed = await request.get(
    `${sandbox}/api/v3/repos/${org}/${name}/contents/.dockerignore?ref=${encodeURIComponent(
      pull.head.ref,
    )}`,
    { headers: { ...github, accept: 'application/vnd.github.raw' } },
  );
  expect(await changed.text()).toContain(`# ${version}: local environment`);
});
