import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { checkRendered } from './checkOutput';
import { listFiles } from './checks/files';

jest.setTimeout(120_000);

const run = promisify(execFile);
const platformDir = path.resolve(__dirname, '../../../platform');
const platforms = [{ repo: 'paved-demo/platform', dir: platformDir }];

describe("the platform's shared pieces (platform/)", () => {
  it('parse, lint and resolve: workflows (GitHub parser, actionlint), actions, Terraform, Release Please', async () => {
    const results = await checkRendered(platformDir, {
      skipNpmTest: true,
      platforms,
    });
    expect(results.flatMap(r => r.problems)).toEqual([]);
    const looked = Object.fromEntries(results.map(r => [r.check, r.files]));
    expect(looked.workflows).toEqual(
      [
        'container-image',
        'node-build',
        'node-test',
        'release-please',
        'release',
        'terraform',
      ].map(w => `.github/workflows/${w}.yml`),
    );
    // The workflows call the actions by their release tag, and those resolve to this folder's actions.
    expect(looked['platform-refs']).toEqual(
      expect.arrayContaining([
        '.github/workflows/node-build.yml',
        '.github/workflows/release-please.yml',
        'actions/setup-node/action.yml',
      ]),
    );
    expect(looked.terraform).toEqual(
      expect.arrayContaining([
        'terraform/ecr/main.tf',
        'terraform/newrelic-service/main.tf',
        'terraform/pod-identity-role/main.tf',
        'terraform/portal-iam/main.tf',
        'terraform/state-backend/main.tf',
      ]),
    );
    expect(looked['release-please']).toEqual([
      'release-please-config.json',
      '.release-please-manifest.json',
    ]);
  });

  it('has every Terraform module declare its providers with versions, variables with descriptions', async () => {
    const files = await listFiles(platformDir);
    const modules = [
      ...new Set(
        files
          .filter(f => /^terraform\/[^/]+\/[^/]+\.tf$/.test(f))
          .map(f => path.posix.dirname(f)),
      ),
    ];
    expect(modules.sort()).toEqual([
      'terraform/ecr',
      'terraform/newrelic-service',
      'terraform/pod-identity-role',
      'terraform/portal-iam',
      'terraform/state-backend',
    ]);
    for (const m of modules) {
      const versions = await fs.readFile(
        path.join(platformDir, m, 'versions.tf'),
        'utf8',
      );
      expect(versions).toMatch(/required_providers \{[^]*version\s*=/);
      const variables = await fs.readFile(
        path.join(platformDir, m, 'variables.tf'),
        'utf8',
      );
      const blocks = variables.split(/^variable /m).slice(1);
      expect(blocks.length).toBeGreaterThan(0);
      for (const b of blocks) expect(b).toMatch(/description\s*=/);
    }
  });

  it('refuses a workflow that calls an action the platform does not ship, or at another release', async () => {
    const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-platform-'));
    try {
      await fs.cp(platformDir, copy, { recursive: true });
      const file = path.join(copy, '.github/workflows/node-test.yml');
      const text = await fs.readFile(file, 'utf8');
      await fs.writeFile(
        file,
        text.replace(
          'platform/actions/setup-node@actions-v1.0.0',
          'platform/actions/setup-python@actions-v1.0.0',
        ),
      );
      const workflowFile = path.join(copy, '.github/workflows/node-build.yml');
      await fs.writeFile(
        workflowFile,
        (
          await fs.readFile(workflowFile, 'utf8')
        ).replace(
          'platform/actions/setup-node@actions-v1.0.0',
          'platform/actions/setup-node@workflows-v1.0.0',
        ),
      );
      const results = await checkRendered(copy, {
        skipNpmTest: true,
        platforms: [{ repo: 'paved-demo/platform', dir: copy }],
      });
      const messages = results
        .find(r => r.check === 'platform-refs')!
        .problems.map(p => `${p.file}: ${p.message}`);
      expect(messages).toEqual([
        '.github/workflows/node-build.yml: job build, step 2: paved-demo/platform/actions/setup-node@workflows-v1.0.0: actions/setup-node is released as actions, not workflows (use @actions-v1.0.0)',
        '.github/workflows/node-test.yml: job test, step 2: paved-demo/platform/actions/setup-python@actions-v1.0.0 does not exist in paved-demo/platform at actions-v1.0.0 (no action.yml)',
      ]);
    } finally {
      await fs.rm(copy, { recursive: true, force: true });
    }
  });

  it.each<[string, (t: string) => string, RegExp]>([
    [
      'terraform/ecr/main.tf',
      t =>
        t.replace(
          'scan_on_push = var.scan_on_push',
          'scan_on_push_enabled = var.scan_on_push',
        ),
      /aws_ecr_repository\.this\.image_scanning_configuration: unsupported argument "scan_on_push_enabled" \(it takes scan_on_push\)\naws_ecr_repository\.this\.image_scanning_configuration: the argument "scan_on_push" is required/,
    ],
    [
      'terraform/pod-identity-role/main.tf',
      t =>
        t.replace(
          '"aws_eks_pod_identity_association"',
          '"aws_eks_pod_identity"',
        ),
      /aws_eks_pod_identity\.this: the aws provider \(6\.\d+\.\d+\) has no resource type "aws_eks_pod_identity"/,
    ],
    [
      'terraform/newrelic-service/main.tf',
      t =>
        t.replace(
          '  nrql {\n    query = "SELECT ${',
          '  nrql_query {\n    query = "SELECT ${',
        ),
      /newrelic_nrql_alert_condition\.this: unsupported argument "nrql_query"[^]*newrelic_nrql_alert_condition\.this: a "nrql" block is required/,
    ],
    [
      'terraform/newrelic-service/main.tf',
      t => t.replace('widget_billboard {', 'widget_bilboard {'),
      /newrelic_one_dashboard\.this\.page: unsupported argument "widget_bilboard"/,
    ],
    [
      'terraform/state-backend/main.tf',
      t => t.replace('sse_algorithm = "aws:kms"', 'algorithm = "aws:kms"'),
      /apply_server_side_encryption_by_default: the argument "sse_algorithm" is required/,
    ],
  ])(
    'refuses %s with an argument its provider does not have',
    async (file, breakIt, message) => {
      const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-platform-'));
      try {
        await fs.cp(platformDir, copy, { recursive: true });
        const target = path.join(copy, file);
        await fs.writeFile(target, breakIt(await fs.readFile(target, 'utf8')));
        const results = await checkRendered(copy, {
          skipNpmTest: true,
          platforms: [{ repo: 'paved-demo/platform', dir: copy }],
        });
        const problems = results.find(r => r.check === 'terraform')!.problems;
        expect(problems.map(p => p.file)).toEqual(problems.map(() => file));
        expect(problems.map(p => p.message).join('\n')).toMatch(message);
      } finally {
        await fs.rm(copy, { recursive: true, force: true });
      }
    },
  );

  it("never reads a file named by a resource type: the type's text is the template's", async () => {
    const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-platform-'));
    try {
      await fs.cp(platformDir, copy, { recursive: true });
      // "../../package" would name this package's package.json as a provider schema.
      await fs.appendFile(
        path.join(copy, 'terraform/ecr/main.tf'),
        '\nresource "../../package_x" "y" {\n  name = "z"\n}\n',
      );
      const results = await checkRendered(copy, {
        skipNpmTest: true,
        platforms: [{ repo: 'paved-demo/platform', dir: copy }],
      });
      expect(results.find(r => r.check === 'terraform')!.problems).toEqual([]);
    } finally {
      await fs.rm(copy, { recursive: true, force: true });
    }
  });

  describe('actions/set-image-tag', () => {
    const script = path.join(
      platformDir,
      'actions/set-image-tag/set-image-tag.mjs',
    );
    const values = [
      '# Defaults for every environment.',
      'image:',
      '  repository: 111111111111.dkr.ecr.eu-west-1.amazonaws.com/billing-api',
      '  # Set by the release workflow.',
      '  tag: "0.1.0" # keep this comment',
      '  pullPolicy: IfNotPresent',
      'sidecar:',
      '  tag: "9.9.9"',
      '',
    ].join('\n');

    async function setTag(content: string, tag: string) {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-tag-'));
      const file = path.join(dir, 'values.yaml');
      const output = path.join(dir, 'output');
      await fs.writeFile(file, content);
      try {
        const r = await run(process.execPath, [script], {
          env: { VALUES_FILE: file, TAG: tag, GITHUB_OUTPUT: output },
          timeout: 10_000,
        }).then(
          x => ({ code: 0, stdout: x.stdout, stderr: x.stderr }),
          (e: any) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
        );
        return {
          ...r,
          file: await fs.readFile(file, 'utf8'),
          output: await fs.readFile(output, 'utf8').catch(() => ''),
        };
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    }

    it('changes only the image.tag line, comments and every other line kept', async () => {
      const r = await setTag(values, '1.4.0');
      expect(r.code).toBe(0);
      expect(r.file).toBe(
        values.replace(
          '  tag: "0.1.0" # keep this comment',
          '  tag: "1.4.0" # keep this comment',
        ),
      );
      expect(r.output).toBe('changed=true\n');
      const again = await setTag(r.file, '1.4.0');
      expect(again.output).toBe('changed=false\n');
      expect(again.file).toBe(r.file);
    });

    it.each([
      ['$(touch /tmp/x)', values, /is not a valid image tag/],
      ['1.4.0', 'replicaCount: 2\n', /no top-level "image:" mapping/],
      ['1.4.0', 'image:\n  repository: x\nother: 1\n', /has no "tag:" key/],
    ])('refuses tag %s with a clear error', async (tag, content, message) => {
      const r = await setTag(content, tag);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.file).toBe(content);
    });
  });
});
