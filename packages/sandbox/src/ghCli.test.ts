import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Sandbox, startSandbox } from './index';

jest.setTimeout(120_000);

const run = promisify(execFile);
const available = (() => {
  try {
    execFileSync('gh', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!available) {
  // CI installs it (.ci/run); on a laptop: apt-get install gh.
  // eslint-disable-next-line no-console
  console.warn(
    'Skipping the gh CLI conformance suite: install the Debian package gh',
  );
}

/**
 * GitHub's own CLI (`gh`, a Go client nobody here wrote) against the GitHub stand-in as a GitHub Enterprise host over
 * TLS: REST through `gh api`, GraphQL through `gh api graphql`, `gh pr list` and `gh pr view`.
 */
(available ? describe : describe.skip)('gh against the GitHub stand-in', () => {
  let sandbox: Sandbox;
  let dir: string;
  let gh: (...args: string[]) => Promise<string>;

  beforeAll(async () => {
    sandbox = await startSandbox();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-gh-'));
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, sandbox.caPem);
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      GH_CONFIG_DIR: path.join(dir, 'gh'),
      GH_HOST: new URL(sandbox.tlsUrl).host,
      GH_ENTERPRISE_TOKEN: sandbox.github.token,
      GH_PROMPT_DISABLED: '1',
      GH_NO_UPDATE_NOTIFIER: '1',
      NO_COLOR: '1',
      // Go reads the trusted CAs from here: the sandbox's own certificate.
      SSL_CERT_FILE: ca,
    };
    gh = async (...args) =>
      (await run('gh', args, { env, timeout: 60_000 })).stdout;

    // A branch with a commit, pushed with git, and its pull request opened through gh's REST.
    const work = path.join(dir, 'work');
    const remote = `${sandbox.url.replace(
      '://',
      `://x:${sandbox.github.token}@`,
    )}/paved-demo/gitops.git`;
    const git = (...args: string[]) =>
      run('git', args, {
        cwd: work,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.com',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.com',
        },
      });
    await run('git', ['clone', '-q', remote, work]);
    await git('checkout', '-qb', 'paved/template-sync/orders');
    fs.writeFileSync(path.join(work, 'gh.txt'), 'from gh\n');
    await git('add', 'gh.txt');
    await git('commit', '-qm', 'gh conformance');
    await git('push', '-q', remote, 'paved/template-sync/orders');
  });
  afterAll(async () => {
    await sandbox?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gh api: REST with the enterprise token, and GraphQL', async () => {
    expect(JSON.parse(await gh('api', 'user')).login).toBe('paved-bot');
    const repo = JSON.parse(await gh('api', 'repos/paved-demo/gitops'));
    expect(repo).toMatchObject({
      full_name: 'paved-demo/gitops',
      default_branch: 'main',
    });
    const viewer = JSON.parse(
      await gh('api', 'graphql', '-f', 'query={ viewer { login } }'),
    );
    expect(viewer.data.viewer.login).toBe('paved-bot');
  });

  it('opens a pull request with gh api, labels it, and gh pr list / view show it', async () => {
    const number = (
      await gh(
        'api',
        '-X',
        'POST',
        'repos/paved-demo/gitops/pulls',
        '-f',
        'title=Update template orders',
        '-f',
        'head=paved/template-sync/orders',
        '-f',
        'base=main',
        '-f',
        'body=From gh',
        '--jq',
        '.number',
      )
    ).trim();
    expect(
      await gh(
        'api',
        '-X',
        'POST',
        `repos/paved-demo/gitops/issues/${number}/labels`,
        '-f',
        'labels[]=template-sync',
        '--jq',
        '.[].name',
      ),
    ).toBe('template-sync\n');

    const listed = JSON.parse(
      await gh(
        'pr',
        'list',
        '-R',
        'paved-demo/gitops',
        '--json',
        'number,title,headRefName,isDraft,labels,state',
      ),
    );
    expect(listed).toEqual([
      {
        number: Number(number),
        title: 'Update template orders',
        headRefName: 'paved/template-sync/orders',
        isDraft: false,
        state: 'OPEN',
        labels: [expect.objectContaining({ name: 'template-sync' })],
      },
    ]);
    // --label and --search go through GitHub's issue search.
    const byLabel = (label: string) =>
      gh(
        'pr',
        'list',
        '-R',
        'paved-demo/gitops',
        '--label',
        label,
        '--json',
        'number',
        '--jq',
        '.[].number',
      );
    expect(await byLabel('template-sync')).toBe(`${number}\n`);
    expect(await byLabel('unrelated')).toBe('');
    expect(
      await gh(
        'pr',
        'list',
        '-R',
        'paved-demo/gitops',
        '--search',
        'orders in:title',
        '--json',
        'title',
        '--jq',
        '.[].title',
      ),
    ).toBe('Update template orders\n');
    // The plain listing, as a person reads it (tab-separated when not on a terminal).
    expect(await gh('pr', 'list', '-R', 'paved-demo/gitops')).toMatch(
      new RegExp(
        `^${number}\\tUpdate template orders\\tpaved/template-sync/orders\\tOPEN\\t`,
      ),
    );
    const viewed = JSON.parse(
      await gh(
        'pr',
        'view',
        number,
        '-R',
        'paved-demo/gitops',
        '--json',
        'number,url,author,baseRefName,labels',
      ),
    );
    expect(viewed).toMatchObject({
      number: Number(number),
      url: `${sandbox.url}/paved-demo/gitops/pull/${number}`,
      baseRefName: 'main',
      author: { is_bot: true },
    });
  });
});
