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
