import { expect, type Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  fillTypescriptService,
  sandboxOrg as org,
  sandboxUrl as sandbox,
  screenshots,
  signIn,
} from './helpers';

// The whole golden path as a new user walks it, against `yarn dev` (portal + sandbox): scaffold a TypeScript service
// on two clusters from the portal, follow the links the run gives, merge the GitOps pull requests the Runtime tab
// lists in the sandbox's pull request pages as the platform team's reviewer would, watch the service turn healthy on
// both clusters once the sandbox's Argo CD has synced it, then release a new version of the template and find the
// update pull request on the service's Template card.

// The sandbox's fixed, public development token (packages/sandbox/src/seed.ts).
const token = 'paved-sandbox-github-token';
const github = { authorization: `token ${token}` };

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
  await fillTypescriptService(page, { name, extraClusters: ['prod-eu'] });
  await shot(page, '1-review');
  const createdAt = Date.now();
  await page.getByRole('button', { name: 'Create' }).click();

  // The run: every step, then the links.
  const opened = page.getByRole('link', { name: 'Open in the catalog' });
  await expect(opened).toBeVisible({ timeout: 120_000 });
  // eslint-disable-next-line no-console
  console.log(
    `timing: Create click → task done (two clusters) ${
      Date.now() - createdAt
    } ms`,
  );
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
  for (const cluster of ['dev-eu', 'prod-eu'])
    await expect(
      page.getByRole('link', { name: `Argo CD (${cluster})` }),
    ).toHaveAttribute(
      'href',
      new RegExp(`/applications/argocd/${name}-${cluster}$`),
    );
  const argoApp = await page
    .getByRole('link', { name: 'Argo CD (prod-eu)' })
    .getAttribute('href');
  // Every cluster's application and the team's project come in one pull request.
  const argoPr = await page
    .getByRole('link', { name: 'Argo CD pull request' })
    .getAttribute('href');
  expect(argoPr).toMatch(new RegExp(`^${sandbox}/${org}/gitops/pull/\\d+$`));

  // The repository link leads to the new repository, with the rendered service in it.
  const readme = await request.get(
    `${sandbox}/api/v3/repos/${org}/${name}/contents/catalog-info.yaml`,
    { headers: { ...github, accept: 'application/vnd.github.raw' } },
  );
  expect(readme.status()).toBe(200);
  expect(await readme.text()).toContain(`name: "${name}"`);

  // The catalog entity, from the link.
  await opened.click();
  await expect(
    page.getByRole('heading', { name, exact: true }).first(),
  ).toBeVisible({ timeout: 60_000 });
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}$`),
  );

  // Nothing is deployed before the GitOps pull requests merge, and the Runtime tab says so (never "Healthy").
  await page.goto(`/catalog/default/component/${name}/runtime`);
  await expect(
    page.getByRole('status', { name: 'Runtime verdict: Not deployed' }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    page.getByText(/^Not deployed on dev-eu, prod-eu yet/),
  ).toBeVisible();
  // The pull requests that would deploy it, linked: the namespace (when this run opened one) first, then Argo CD.
  const pending = page.getByRole('list', { name: 'Pending pull requests' });
  await expect(pending.getByRole('link', { name: /Argo CD/ })).toHaveAttribute(
    'href',
    argoPr!,
  );
  const pendingUrls = await pending
    .getByRole('link')
    .evaluateAll(links => links.map(a => (a as HTMLAnchorElement).href));
  expect(pendingUrls[pendingUrls.length - 1]).toBe(argoPr);
  if (namespacePr) expect(pendingUrls[0]).toBe(namespacePr);
  await shot(page, '3-not-deployed');

  // The platform team merges them in the sandbox's pull request pages; its Argo CD syncs the default branch.
  for (const [i, url] of pendingUrls.entries()) {
    await page.goto(url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    if (i === pendingUrls.length - 1) await shot(page, '3b-pull-request');
    await page.getByRole('button', { name: 'Merge pull request' }).click();
    await expect(page.getByText('Merged', { exact: true })).toBeVisible();
  }
  const mergedAt = Date.now();
  const synced = await request.post(`${sandbox}/__sandbox/gitops/sync`);
  expect((await synced.json()).applied).toBeGreaterThan(0);

  // Runtime: healthy on both clusters once Argo CD has synced and the pods run.
  await page.goto(`/catalog/default/component/${name}/runtime`);
  await expect(
    page.getByRole('status', { name: 'Runtime verdict: Healthy' }),
  ).toBeVisible({ timeout: 90_000 });
  // eslint-disable-next-line no-console
  console.log(
    `timing: merge → healthy on the open Runtime tab ${
      Date.now() - mergedAt
    } ms`,
  );
  await expect(page.getByText(`${name}-prod-eu`).first()).toBeVisible();
  await expect(page.getByText(`${name}-dev-eu`).first()).toBeVisible();
  await shot(page, '4-runtime');

  // The run's Argo CD link opens the application in the sandbox's Argo CD: synced, healthy, its pods and history.
  await page.goto(argoApp!);
  await expect(
    page.getByRole('heading', { name: new RegExp(`^${name}-prod-eu`) }),
  ).toBeVisible();
  await expect(page.getByText('Synced', { exact: true }).first()).toBeVisible();
  await expect(
    page.getByText('Healthy', { exact: true }).first(),
  ).toBeVisible();
  // The chart's own objects, rendered by real Helm with the cluster's values and applied by the sandbox's Argo CD.
  for (const kind of [
    'Deployment',
    'Service',
    'Ingress',
    'PodDisruptionBudget',
    'HorizontalPodAutoscaler',
    'ExternalSecret',
    'ServiceAccount',
    'ReplicaSet',
    'Pod',
  ]) {
    await expect(
      page.getByRole('cell', { name: kind, exact: true }).first(),
    ).toBeVisible();
  }
  await shot(page, '4b-argocd');

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
  await shot(page, '5-template-update');

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
