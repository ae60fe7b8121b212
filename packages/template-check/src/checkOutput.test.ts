import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkOutput, checkRendered } from './checkOutput';
import { helm } from './tools/helm';

jest.setTimeout(300_000);

const repoRoot = path.resolve(__dirname, '../../..');
const sample = {
  name: 'checkout-api',
  description: 'Checkout API: takes the basket to payment',
  owner: 'group:default/payments-team',
  system: 'shop',
  tier: 'medium',
  clusters: ['dev-eu', 'prod-eu'],
};
/** This repository's platform/ folder, as the organisation's platform repository the rendered files call. */
const platforms = [
  { repo: 'paved-demo/platform', dir: path.join(repoRoot, 'platform') },
];

/** The template folder as its own repository tagged v1.0.0 (the working tree, committed or not). */
async function templateRepo(name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `paved-tpl-${name}-`));
  await fs.cp(path.join(repoRoot, 'templates', name), dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'template');
  git('tag', 'v1.0.0');
  return dir;
}

describe('the TypeScript service template renders a valid, working repository', () => {
  let out: string;
  const temp: string[] = [];
  afterAll(() =>
    Promise.all(temp.map(d => fs.rm(d, { recursive: true, force: true }))),
  );

  it('passes every check, its own npm test included', async () => {
    const src = await templateRepo('typescript-service');
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-out-'));
    temp.push(src, out);
    const report = await checkOutput({
      src,
      data: sample,
      dst: out,
      platforms,
    });
    const problems = report.results.flatMap(r => r.problems);
    expect(problems).toEqual([]);
    expect(report.version).toBe('v1.0.0');
    const looked = Object.fromEntries(
      report.results.map(r => [r.check, r.files]),
    );
    expect(looked['catalog-info']).toEqual(['catalog-info.yaml']);
    expect(looked.workflows).toEqual([
      '.github/workflows/ci.yml',
      '.github/workflows/release.yml',
      '.github/workflows/terraform.yml',
    ]);
    expect(looked['platform-refs']).toEqual([
      '.github/workflows/ci.yml',
      '.github/workflows/release.yml',
      '.github/workflows/terraform.yml',
      'terraform/main.tf',
    ]);
    expect(looked['helm-values']).toEqual([
      'chart/values.yaml',
      'chart/values-dev-eu.yaml',
      'chart/values-prod-eu.yaml',
    ]);
    expect(looked.kubernetes).toEqual([
      'chart/templates/deployment.yaml',
      'chart/templates/externalsecret.yaml',
      'chart/templates/hpa.yaml',
      'chart/templates/ingress.yaml',
      'chart/templates/pdb.yaml',
      'chart/templates/service.yaml',
      'chart/templates/serviceaccount.yaml',
    ]);
    expect(looked.terraform).toHaveLength(4);
    expect(looked['release-please']).toEqual([
      'release-please-config.json',
      '.release-please-manifest.json',
    ]);
    expect(looked['npm-test']).toEqual(['package.json', 'package-lock.json']);
    expect(looked.package).toEqual(['package.json', 'package-lock.json']);
    expect(looked.syntax.length).toBeGreaterThan(8);
    // Terraform state lives in the organisation's backend, which the platform's terraform workflow configures.
    expect(
      await fs.readFile(path.join(out, 'terraform/versions.tf'), 'utf8'),
    ).toContain('backend "s3" {}');
  });

  it('calls the platform of the organisation the answers name, and every reference resolves there', async () => {
    const src = await templateRepo('typescript-service');
    const dst = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-out-'));
    temp.push(src, dst);
    const report = await checkOutput({
      src,
      data: { ...sample, github_owner: 'acme' },
      dst,
      skipNpmTest: true,
      platforms: [{ repo: 'acme/platform', dir: platforms[0].dir }],
    });
    expect(report.results.flatMap(r => r.problems)).toEqual([]);
    const ci = await fs.readFile(
      path.join(dst, '.github/workflows/ci.yml'),
      'utf8',
    );
    expect(ci).toContain(
      'uses: acme/platform/.github/workflows/node-build.yml@workflows-v1.0.0',
    );
    expect(ci).not.toContain('paved-demo');
    expect(
      await fs.readFile(path.join(dst, 'terraform/main.tf'), 'utf8'),
    ).toContain(
      'git::https://github.com/acme/platform.git//terraform/ecr?ref=terraform-v1.0.0',
    );
  });

  it('gives each cluster its own host, ingress scheme and New Relic name, as real Helm renders the chart', async () => {
    const objects = async (valuesFile: string) => {
      const rendered = await helm([
        'template',
        'checkout-api',
        path.join(out, 'chart'),
        '--values',
        path.join(out, 'chart', valuesFile),
      ]);
      expect(rendered.stderr).toBe('');
      const docs = parseAllDocuments(rendered.stdout).map(d => d.toJS());
      const of = (kind: string) => docs.find(d => d?.kind === kind);
      const env = of('Deployment').spec.template.spec.containers[0].env;
      return {
        host: of('Ingress').spec.rules[0].host,
        scheme:
          of('Ingress').metadata.annotations[
            'alb.ingress.kubernetes.io/scheme'
          ],
        group:
          of('Ingress').metadata.annotations[
            'alb.ingress.kubernetes.io/group.name'
          ],
        newRelic: env.find((e: any) => e.name === 'NEW_RELIC_APP_NAME').value,
        kinds: docs.map(d => d?.kind).sort(),
      };
    };
    const dev = await objects('values-dev-eu.yaml');
    const prod = await objects('values-prod-eu.yaml');
    expect({ dev, prod }).toEqual({
      dev: expect.objectContaining({
        host: 'checkout-api.dev-eu.apps.paved.example',
        scheme: 'internal',
        group: 'paved-internal',
        newRelic: 'checkout-api-dev-eu',
      }),
      prod: expect.objectContaining({
        host: 'checkout-api.prod-eu.apps.paved.example',
        scheme: 'internet-facing',
        group: 'paved-internet-facing',
        newRelic: 'checkout-api',
      }),
    });
    expect(prod.kinds).toEqual([
      'Deployment',
      'ExternalSecret',
      'HorizontalPodAutoscaler',
      'Ingress',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
  });

  it.each<[string, string, (text: string) => string, RegExp]>([
    [
      'kubernetes',
      'chart/templates/deployment.yaml',
      t => t.replace(/ {10}readinessProbe:\n( {12}.*\n)+/, ''),
      /container app has no readinessProbe/,
    ],
    [
      'kubernetes',
      'chart/templates/service.yaml',
      t =>
        t.replace(
          'port: {{ .Values.service.port }}',
          'port: "{{ .Values.service.port }}x"',
        ),
      /Service checkout-api .*port/,
    ],
    [
      'kubernetes',
      'chart/templates/ingress.yaml',
      t => t.replace(/\{\{- end \}\}\s*$/, ''),
      /parse error at \(checkout-api\/templates\/ingress\.yaml:\d+\): unexpected EOF/,
    ],
    [
      'catalog-info',
      'catalog-info.yaml',
      t => t.replace('name: "checkout-api"', 'name: "Checkout API!"'),
      /metadata\.name/,
    ],
    [
      'workflows',
      '.github/workflows/ci.yml',
      t => t.replace('@workflows-v1.0.0', ''),
      /is not pinned to a version/,
    ],
    [
      'workflows',
      '.github/workflows/release.yml',
      t => t.replace('jobs:', 'jobz:'),
      /jobz|jobs/,
    ],
    [
      'helm-values',
      'chart/values.yaml',
      t => t.replace('replicaCount: 2', 'replicaCount: 0'),
      /\/replicaCount must be >= 1/,
    ],
    [
      'helm-values',
      'chart/values.yaml',
      t => `${t}surprise: true\n`,
      /must NOT have additional properties \(surprise\)/,
    ],
    [
      'helm-values',
      'chart/values.schema.json',
      t => t.replace(/\n {4}"tolerations": \{[^]*?\n {4}\},/, ''),
      /values.schema.json does not allow tolerations: the platform cannot schedule the service onto its node pools/,
    ],
    [
      'terraform',
      'terraform/main.tf',
      t => t.replace('?ref=terraform-v1.0.0', ''),
      /is not pinned/,
    ],
    [
      'terraform',
      'terraform/outputs.tf',
      t => `${t}\noutput "broken" {\n`,
      /.+/,
    ],
    [
      'release-please',
      'release-please-config.json',
      t => t.replace('"packages": {', '"packages": 5, "x": {'),
      /\/packages must be object/,
    ],
    [
      'release-please',
      'release-please-config.json',
      t =>
        t.replace(
          '[{ "type": "generic", "path": "chart/Chart.yaml" }]',
          '[{ "type": "yaml", "path": "chart/values.yaml", "jsonpath": "$.image.tag" }]',
        ),
      /extra-files chart\/values.yaml: the yaml updater rewrites the file without its comments[^]*the release pull request would set the image tag before that version's image is built[^]*chart\/Chart.yaml is not in extra-files/,
    ],
    [
      'release-please',
      'chart/Chart.yaml',
      t =>
        t.replace(
          'version: 0.1.0 # x-release-please-version',
          'version: 0.1.0',
        ),
      /chart\/Chart.yaml: the version line has no x-release-please-version marker, so releases never bump it/,
    ],
    [
      'package',
      'package.json',
      t => t.replace(/ +"lint": .*\n/, ''),
      /no "lint" script: the platform's workflows run npm run lint/,
    ],
    [
      'package',
      'package.json',
      t =>
        t.replace(
          '"dependencies": {',
          '"dependencies": {\n    "left-pad": "1.3.0",',
        ),
      /dependencies left-pad@1.3.0 is not what the lockfile was made for: npm ci would refuse it/,
    ],
    ['syntax', 'tsconfig.json', t => t.replace('{', '{{'), /JSON/],
    [
      'workflows',
      '.github/workflows/ci.yml',
      t => t.replace("node-version: '22'", 'node-version: ${{ inputs.nope }}'),
      /property "nope" is not defined .*\(actionlint expression\)/,
    ],
    [
      'platform-refs',
      '.github/workflows/ci.yml',
      t => t.replace('node-build.yml@', 'node-compile.yml@'),
      /job build: paved-demo\/platform\/.github\/workflows\/node-compile.yml@workflows-v1.0.0 does not exist/,
    ],
    [
      'platform-refs',
      '.github/workflows/ci.yml',
      t => t.replace("node-version: '22'", "node_version: '22'"),
      /has no input "node_version" \(it takes node-version, working-directory\)/,
    ],
    [
      'platform-refs',
      '.github/workflows/release.yml',
      t => t.replace(/ +role-name: .*\n/, ''),
      /job release: .*release-please.yml@workflows-v1.0.0 needs input "role-name"/,
    ],
    [
      'platform-refs',
      '.github/workflows/ci.yml',
      t => t.replaceAll('@workflows-v1.0.0', '@workflows-v1.4.0'),
      /@workflows-v1.4.0 is not a release of paved-demo\/platform: workflows is at v1.0.0/,
    ],
    [
      'platform-refs',
      '.github/workflows/ci.yml',
      t => t.replaceAll('paved-demo/platform/', 'paved-demo/workflows/'),
      /paved-demo\/workflows is not a repository the platform ships/,
    ],
    [
      'platform-refs',
      '.github/workflows/ci.yml',
      t =>
        t.replace(
          'paved-demo/platform/.github/workflows/node-build.yml@',
          'paved-demo/platform/../../../../../../etc/passwd@',
        ),
      /job build: paved-demo\/platform\/\.\.\/.*etc\/passwd@workflows-v1\.0\.0: the path must stay inside paved-demo\/platform/,
    ],
    [
      'platform-refs',
      'terraform/main.tf',
      t => t.replace('keep_last_images', 'keep_images'),
      /module "ecr": .*\/\/terraform\/ecr@terraform-v1.0.0|has no variable "keep_images"/,
    ],
    [
      'platform-refs',
      'terraform/main.tf',
      t =>
        t.replace(
          '//terraform/ecr?ref=terraform-v1.0.0',
          '//terraform/ecr?ref=actions-v1.0.0',
        ),
      /terraform\/ecr is released as terraform, not actions \(use @terraform-v1.0.0\)/,
    ],
    [
      'platform-refs',
      'terraform/main.tf',
      t =>
        t.replace('name            = "checkout-api"\n  clusters', 'clusters'),
      /module "pod_identity_role": .* needs variable "name"/,
    ],
    [
      'platform-refs',
      'terraform/outputs.tf',
      t => t.replace('module.ecr.repository_url', 'module.ecr.url'),
      /has no output "url"/,
    ],
    [
      'npm-test',
      'src/server.test.ts',
      t =>
        t.replace(
          'assert.equal(res.status, 200);',
          'assert.equal(res.status, 418);',
        ),
      /npm run test failed/,
    ],
    [
      'npm-test',
      'src/routes.ts',
      t => `${t}\nconst unused = 1;\n`,
      /npm run lint failed:[^]*'unused' is assigned a value but never used/,
    ],
    [
      'npm-test',
      'package.json',
      t =>
        t.replace(
          '"dependencies": {',
          '"dependencies": {\n    "left-pad": "1.3.0",',
        ),
      /npm ci failed/,
    ],
  ])('finds a broken %s file (%s)', async (check, file, breakIt, message) => {
    const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-broken-'));
    temp.push(copy);
    // node_modules only where the service's tests run again.
    await fs.cp(out, copy, {
      recursive: true,
      filter: from =>
        check === 'npm-test' || !from.includes(`${path.sep}node_modules`),
    });
    const target = path.join(copy, file);
    await fs.writeFile(target, breakIt(await fs.readFile(target, 'utf8')));
    const results = await checkRendered(copy, {
      skipNpmTest: check !== 'npm-test',
      platforms,
    });
    const found = results.find(r => r.check === check)!.problems;
    // npm names the package files, whichever source file broke the run.
    expect(found.map(p => p.file)).toContain(
      check === 'npm-test' || check === 'package'
        ? found.find(p => /^package(-lock)?\.json$/.test(p.file))?.file
        : file,
    );
    expect(found.map(p => p.message).join('\n')).toMatch(message);
  });

  it('refuses a template that prints an undefined variable (a typo renders as nothing in copier), naming where', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-typo-'));
    temp.push(dir);
    await fs.writeFile(
      path.join(dir, 'copier.yml'),
      'name:\n  type: str\n  default: web\n',
    );
    await fs.writeFile(
      path.join(dir, 'README.md.jinja'),
      '# {{ name }}\nOwned by {{ onwer }}\n',
    );
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    await expect(
      checkOutput({ src: dir, vcsRef: 'HEAD', skipNpmTest: true }),
    ).rejects.toThrow(
      'README.md.jinja: line 2: {{ onwer }} is undefined (no answer, variable or attribute of that name)',
    );
  });
});
