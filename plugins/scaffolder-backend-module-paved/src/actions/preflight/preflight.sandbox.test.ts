import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConflictError, InputError } from '@backstage/errors';
import {
  type SandboxBackend,
  startSandboxBackend,
} from '../../__testUtils__/sandboxBackend';

// Real git and HTTP through the sandbox: seconds per test, more on a loaded machine (never a measure of speed).
jest.setTimeout(60_000);

/**
 * `paved:preflight` against the sandbox (GitHub, both clusters, Argo CD) and a catalog holding orders-api: each
 * problem a later step would trip over is found before anything is created, one sentence each, and nothing is written.
 */
describe('paved:preflight against the sandbox', () => {
  let harness: SandboxBackend;
  const repo = (name: string) =>
    `${new URL(harness.sandbox.url).host}?owner=paved-demo&repo=${name}`;
  const fresh = () => ({
    entityRef: 'component:default/basket-api',
    owner: 'group:default/basket-team',
    repoUrl: repo('basket-api'),
    namespace: 'basket-team',
    clusters: ['dev-eu', 'prod-eu'],
    appName: 'basket-api',
    answers: { name: 'basket-api', tier: 'small' },
  });
  const run = (input: Record<string, unknown>) =>
    harness.run('paved:preflight', input);
  const refusal = async (input: Record<string, unknown>) => {
    const before = await harness.sandbox.snapshot();
    const error = await run(input).catch(e => e);
    expect(await harness.sandbox.snapshot()).toEqual(before);
    return error;
  };

  beforeAll(async () => {
    harness = await startSandboxBackend(
      {},
      {
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'orders-api', namespace: 'default' },
            spec: { type: 'service', owner: 'group:default/orders-team' },
          },
        ],
      },
    );
    // What an earlier run of cart-api left: its repository, published, and nothing else.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-preflight-'));
    fs.writeFileSync(
      path.join(dir, 'catalog-info.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: cart-api\n  annotations:\n    paved.dev/template-version: v1.0.0\nspec:\n  type: service\n  owner: group:default/basket-team\n',
    );
    fs.writeFileSync(
      path.join(dir, '.copier-answers.yml'),
      '_commit: v1.0.0\n_src_path: x\nname: cart-api\ntier: small\nclusters:\n  - dev-eu\n',
    );
    await harness.sandbox.github.publish('cart-api', dir);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => harness?.stop());

  it('passes a new service, saying what it checked, and writes nothing', async () => {
    const before = await harness.sandbox.snapshot();
    expect(await run(fresh())).toEqual({
      resume: false,
      checked: [
        'the name component:default/basket-api in the catalog',
        `the repository ${harness.sandbox.url}/paved-demo/basket-api`,
        'the namespace basket-team on dev-eu, prod-eu',
        'the Argo CD applications and project',
      ],
    });
    expect(await harness.sandbox.snapshot()).toEqual(before);
  });

  it("refuses another team's duplicate of orders-api with one sentence per problem", async () => {
    const error = await refusal({
      ...fresh(),
      entityRef: 'component:default/orders-api',
      owner: 'group:default/payments-team',
      repoUrl: repo('orders-api'),
      namespace: 'orders',
      appName: 'orders-api',
    });
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      [
        'Cannot create component:default/orders-api:',
        '(1) component:default/orders-api is already in the catalog (owned by group:default/orders-team): choose another name.',
        `(2) Repository ${harness.sandbox.url}/paved-demo/orders-api already exists: choose another repository name.`,
        '(3) Namespace orders on cluster dev-eu belongs to group:default/orders-team, not group:default/payments-team: ask the platform team, or scaffold for the team that owns it.',
        '(4) Namespace orders on cluster prod-eu belongs to group:default/orders-team, not group:default/payments-team: ask the platform team, or scaffold for the team that owns it.',
        'Nothing was created.',
      ].join(' '),
    );
  });

  it("refuses a new entity whose Argo CD applications would replace another entity's", async () => {
    const error = await refusal({
      ...fresh(),
      entityRef: 'component:default/orders',
      owner: 'group:default/orders-team',
      repoUrl: repo('orders'),
      namespace: 'orders',
      appName: 'orders-api',
    });
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      'Cannot create component:default/orders: (1) Argo CD application orders-api-dev-eu on main belongs to component:default/orders-api, not component:default/orders (Argo CD): choose another name, or ask its owner. (2) Argo CD application orders-api-prod-eu on main belongs to component:default/orders-api, not component:default/orders (Argo CD): choose another name, or ask its owner. Nothing was created.',
    );
  });

  it('refuses a repository owner that does not exist (a typo) before publish:github meets it', async () => {
    const error = await refusal({
      ...fresh(),
      repoUrl: `${
        new URL(harness.sandbox.url).host
      }?owner=paved-dmeo&repo=basket-api`,
    });
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      `Cannot create component:default/basket-api: ${
        harness.sandbox.url
      }/paved-dmeo/basket-api cannot be created: ${
        new URL(harness.sandbox.url).host
      } has no organisation or user paved-dmeo: check the owner on the Repository step. Nothing was created.`,
    );
  });

  it('refuses a reserved namespace as the input problem it is', async () => {
    const error = await refusal({ ...fresh(), namespace: 'kube-system' });
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^Cannot create component:default\/basket-api: \(1\) Namespace kube-system is reserved \(.+\): pick an owner whose namespace is not a platform one\. \(2\) Cannot register component:default\/basket-api with Argo CD: namespace "kube-system" is reserved .+ Nothing was created\.$/,
    );
  });

  it('resumes with the repository an earlier, unfinished run of the same service left', async () => {
    const out = await run({
      ...fresh(),
      entityRef: 'component:default/cart-api',
      repoUrl: repo('cart-api'),
      appName: 'cart-api',
      answers: { name: 'cart-api', tier: 'small', clusters: ['dev-eu'] },
    });
    expect(out).toMatchObject({
      resume: true,
      remoteUrl: `${harness.sandbox.url}/paved-demo/cart-api.git`,
      repoContentsUrl: `${harness.sandbox.url}/paved-demo/cart-api/blob/main`,
    });
  });

  it('refuses to resume with other answers than the earlier run recorded, or for another team', async () => {
    const other = await refusal({
      ...fresh(),
      entityRef: 'component:default/cart-api',
      repoUrl: repo('cart-api'),
      appName: 'cart-api',
      answers: { name: 'cart-api', tier: 'medium', clusters: ['dev-eu'] },
    });
    expect(other).toBeInstanceOf(ConflictError);
    expect(other.message).toBe(
      `Cannot create component:default/cart-api: Repository ${harness.sandbox.url}/paved-demo/cart-api is left from an earlier run of component:default/cart-api with other answers (tier: "small" there, "medium" now): run again with the earlier answers to finish it, or delete the repository to start afresh. Nothing was created.`,
    );
    const foreign = await refusal({
      ...fresh(),
      entityRef: 'component:default/cart-api',
      owner: 'group:default/orders-team',
      namespace: 'orders',
      repoUrl: repo('cart-api'),
      appName: 'cart-api',
    });
    expect(foreign.message).toContain(
      `Repository ${harness.sandbox.url}/paved-demo/cart-api already exists and is not an earlier run of component:default/cart-api for group:default/orders-team: choose another repository name.`,
    );
  });

  it('checks in dry runs too, since it only reads', async () => {
    const error = await harness
      .run(
        'paved:preflight',
        { ...fresh(), entityRef: 'component:default/orders-api' },
        { isDryRun: true },
      )
      .catch(e => e);
    expect(error.message).toContain(
      'component:default/orders-api is already in the catalog',
    );
  });
});
