import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Octokit } from '@octokit/rest';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import {
  GitOpsWriter,
  GitProviders,
  PlainGitProvider,
} from '@paved/plugin-paved-node';
import { Sandbox, sandboxConfig, startSandbox } from './index';

function git(cwd: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'git',
      args,
      {
        cwd,
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_AUTHOR_NAME: 'Dev',
          GIT_AUTHOR_EMAIL: 'dev@example.com',
          GIT_COMMITTER_NAME: 'Dev',
          GIT_COMMITTER_EMAIL: 'dev@example.com',
        },
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(String(stderr))) : resolve(String(stdout)),
    ),
  );
}

jest.setTimeout(20_000);

describe('GitHub stand-in', () => {
  let sandbox: Sandbox;
  let octokit: Octokit;
  let work: string;
  const authed = () =>
    sandbox.url.replace('://', `://x-access-token:${sandbox.github.token}@`);

  beforeAll(async () => {
    sandbox = await startSandbox();
    octokit = new Octokit({
      baseUrl: sandbox.github.apiUrl,
      auth: sandbox.github.token,
    });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-github-test-'));
  });
  afterAll(async () => {
    await sandbox.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  describe('git smart HTTP (real git CLI)', () => {
    it('clones the seeded repository and pushes a branch back', async () => {
      const dir = path.join(work, 'clone');
      await git(
        work,
        'clone',
        '--quiet',
        `${authed()}/paved-demo/gitops.git`,
        dir,
      );
      expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(
        /^# GitOps/,
      );
      fs.writeFileSync(path.join(dir, 'hello.txt'), 'hello\n');
      await git(dir, 'add', '.');
      await git(dir, 'commit', '--quiet', '-m', 'Add hello');
      await git(dir, 'push', '--quiet', 'origin', 'HEAD:refs/heads/hello');
      const { data } = await octokit.git.getRef({
        owner: 'paved-demo',
        repo: 'gitops',
        ref: 'heads/hello',
      });
      expect(data.object.sha).toBe(
        (await git(dir, 'rev-parse', 'HEAD')).trim(),
      );
    });

    it('asks for credentials and refuses a wrong token', async () => {
      await expect(
        git(
          work,
          'ls-remote',
          `${sandbox.url.replace('://', '://x:wrong@')}/paved-demo/gitops.git`,
        ),
      ).rejects.toThrow(/Authentication failed|401|could not read/i);
    });
  });

  describe('REST subset (Octokit)', () => {
    const repo = { owner: 'paved-demo', repo: 'gitops' };

    it('requires a token, as GitHub does', async () => {
      await expect(
        new Octokit({ baseUrl: sandbox.github.apiUrl }).repos.get(repo),
      ).rejects.toMatchObject({ status: 401 });
    });

    it('serves a repository, its refs, commits, trees and contents', async () => {
      const { data: r } = await octokit.repos.get(repo);
      expect(r).toMatchObject({
        full_name: 'paved-demo/gitops',
        default_branch: 'main',
        html_url: `${sandbox.url}/paved-demo/gitops`,
        clone_url: `${sandbox.url}/paved-demo/gitops.git`,
      });
      const { data: ref } = await octokit.git.getRef({
        ...repo,
        ref: 'heads/main',
      });
      const { data: commit } = await octokit.git.getCommit({
        ...repo,
        commit_sha: ref.object.sha,
      });
      expect(commit.message).toBe('Initial commit');
      const { data: tree } = await octokit.git.getTree({
        ...repo,
        tree_sha: commit.tree.sha,
      });
      expect(tree.tree.map(e => e.path)).toEqual(['README.md']);
      const { data: file } = await octokit.repos.getContent({
        ...repo,
        path: 'README.md',
      });
      expect(
        Buffer.from((file as { content: string }).content, 'base64').toString(),
      ).toMatch(/^# GitOps/);
      await expect(
        octokit.repos.getContent({ ...repo, path: 'missing.yaml' }),
      ).rejects.toMatchObject({ status: 404 });
    });

    it('builds a commit from trees, moves refs and answers 422 as GitHub does', async () => {
      const { data: ref } = await octokit.git.getRef({
        ...repo,
        ref: 'heads/main',
      });
      const { data: base } = await octokit.git.getCommit({
        ...repo,
        commit_sha: ref.object.sha,
      });
      const { data: tree } = await octokit.git.createTree({
        ...repo,
        base_tree: base.tree.sha,
        tree: [
          {
            path: 'a/b/c.yaml',
            mode: '100644',
            type: 'blob',
            content: 'x: 1\n',
          },
        ],
      });
      expect(tree.tree.map(e => e.path).sort()).toEqual(['README.md', 'a']);
      const { data: commit } = await octokit.git.createCommit({
        ...repo,
        message: 'Add c',
        tree: tree.sha,
        parents: [base.sha],
      });
      await octokit.git.createRef({
        ...repo,
        ref: 'refs/heads/c',
        sha: commit.sha,
      });
      await expect(
        octokit.git.createRef({
          ...repo,
          ref: 'refs/heads/c',
          sha: commit.sha,
        }),
      ).rejects.toMatchObject({ status: 422 });
      // Not a fast-forward without force.
      await expect(
        octokit.git.updateRef({ ...repo, ref: 'heads/c', sha: base.sha }),
      ).rejects.toMatchObject({ status: 422 });
      await octokit.git.updateRef({
        ...repo,
        ref: 'heads/c',
        sha: base.sha,
        force: true,
      });
      // Deleting a path the base tree does not have is refused.
      await expect(
        octokit.git.createTree({
          ...repo,
          base_tree: base.tree.sha,
          tree: [
            { path: 'nope.yaml', mode: '100644', type: 'blob', sha: null },
          ],
        }),
      ).rejects.toMatchObject({ status: 422 });
    });

    it('opens, lists, refuses to duplicate and updates pull requests', async () => {
      const { data: created } = await octokit.pulls.create({
        ...repo,
        head: 'hello',
        base: 'main',
        title: 'Hello',
        body: 'Adds hello.txt',
      });
      expect(created).toMatchObject({
        number: 1,
        state: 'open',
        html_url: `${sandbox.url}/paved-demo/gitops/pull/1`,
        head: { ref: 'hello' },
        base: { ref: 'main' },
      });
      await expect(
        octokit.pulls.create({
          ...repo,
          head: 'hello',
          base: 'main',
          title: 'Again',
        }),
      ).rejects.toMatchObject({ status: 422 });
      const { data: open } = await octokit.pulls.list({
        ...repo,
        state: 'open',
        head: 'paved-demo:hello',
      });
      expect(open.map(p => p.number)).toEqual([1]);
      await octokit.pulls.update({ ...repo, pull_number: 1, state: 'closed' });
      const { data: after } = await octokit.pulls.list({
        ...repo,
        head: 'paved-demo:hello',
      });
      expect(after).toEqual([]);
    });

    it('requests and removes reviewers on a pull request, refusing its author, as GitHub does', async () => {
      const { data: pull } = await octokit.pulls.create({
        ...repo,
        head: 'hello',
        base: 'main',
        title: 'Review me',
      });
      const { data: requested } = await octokit.pulls.requestReviewers({
        ...repo,
        pull_number: pull.number,
        reviewers: ['alice'],
        team_reviewers: ['payments-team'],
      });
      expect(requested.requested_reviewers?.map(u => u.login)).toEqual([
        'alice',
      ]);
      expect(requested.requested_teams?.map(t => t.slug)).toEqual([
        'payments-team',
      ]);
      const { data: listed } = await octokit.pulls.listRequestedReviewers({
        ...repo,
        pull_number: pull.number,
      });
      expect(listed.users.map(u => u.login)).toEqual(['alice']);
      await expect(
        octokit.pulls.requestReviewers({
          ...repo,
          pull_number: pull.number,
          reviewers: [pull.user!.login],
        }),
      ).rejects.toMatchObject({ status: 422 });
      const { data: removed } = await octokit.pulls.removeRequestedReviewers({
        ...repo,
        pull_number: pull.number,
        reviewers: ['alice'],
      });
      expect(removed.requested_reviewers).toEqual([]);
      await octokit.pulls.update({
        ...repo,
        pull_number: pull.number,
        state: 'closed',
      });
    });

    /** A branch off main holding these files, made through the git data API; its head commit. */
    const branch = async (name: string, files: Record<string, string>) => {
      const { data: ref } = await octokit.git.getRef({
        ...repo,
        ref: 'heads/main',
      });
      const { data: base } = await octokit.git.getCommit({
        ...repo,
        commit_sha: ref.object.sha,
      });
      const { data: tree } = await octokit.git.createTree({
        ...repo,
        base_tree: base.tree.sha,
        tree: Object.entries(files).map(([p, content]) => ({
          path: p,
          mode: '100644' as const,
          type: 'blob' as const,
          content,
        })),
      });
      const { data: commit } = await octokit.git.createCommit({
        ...repo,
        message: name,
        tree: tree.sha,
        parents: [base.sha],
      });
      await octokit.git.createRef({
        ...repo,
        ref: `refs/heads/${name}`,
        sha: commit.sha,
      });
      return commit.sha;
    };

    it("lists a pull request's files against where its branch left the base, before and after the merge", async () => {
      // A branch that modifies README.md and adds a file; main then moves on separately.
      await branch('files-a', {
        'README.md': '# GitOps\n\nChanged.\n',
        'apps/one.yaml': 'one: 1\ntwo: 2\n',
      });
      const { data: pull } = await octokit.pulls.create({
        ...repo,
        head: 'files-a',
        base: 'main',
        title: 'Files',
      });
      // main moves on with a file the pull request never touched: it is not in the pull request's files.
      const other = await branch('files-b', { 'apps/other.yaml': 'x: 1\n' });
      await octokit.git.updateRef({ ...repo, ref: 'heads/main', sha: other });

      const listed = async () =>
        (
          await octokit.paginate(octokit.pulls.listFiles, {
            ...repo,
            pull_number: pull.number,
            per_page: 100,
          })
        )
          .map(f => ({
            filename: f.filename,
            status: f.status,
            additions: f.additions,
            deletions: f.deletions,
          }))
          .sort((a, b) => a.filename.localeCompare(b.filename));
      // The seeded README's last line is replaced: one line in, one out.
      const expected = [
        {
          filename: 'apps/one.yaml',
          status: 'added',
          additions: 2,
          deletions: 0,
        },
        {
          filename: 'README.md',
          status: 'modified',
          additions: 1,
          deletions: 1,
        },
      ];
      expect(await listed()).toEqual(expected);
      const { data: one } = await octokit.pulls.listFiles({
        ...repo,
        pull_number: pull.number,
      });
      expect(one.find(f => f.filename === 'apps/one.yaml')?.patch).toBe(
        '@@ -0,0 +1,2 @@\n+one: 1\n+two: 2',
      );
      const { data: open } = await octokit.pulls.list({
        ...repo,
        state: 'open',
        base: 'main',
      });
      expect(open.map(p => p.head.ref)).toContain('files-a');

      await octokit.pulls.merge({ ...repo, pull_number: pull.number });
      expect(await listed()).toEqual(expected);
      const { data: merged } = await octokit.pulls.get({
        ...repo,
        pull_number: pull.number,
      });
      expect(merged.merge_commit_sha).toMatch(/^[0-9a-f]{40}$/);
      await expect(
        octokit.pulls.listFiles({ ...repo, pull_number: 999 }),
      ).rejects.toMatchObject({ status: 404 });
    });

    it('serves a pull request page with its diff and a Merge button that merges, and a repository page', async () => {
      await branch('page', { 'pages/<b>.yaml': 'page: <script>1</script>\n' });
      const { data: pull } = await octokit.pulls.create({
        ...repo,
        head: 'page',
        base: 'main',
        title: 'A <page>',
      });
      const html = await fetch(pull.html_url).then(async r => ({
        type: r.headers.get('content-type'),
        text: await r.text(),
      }));
      expect(html.type).toBe('text/html; charset=utf-8');
      expect(html.text).toContain('A &lt;page&gt;');
      expect(html.text).toContain(
        '<span class="add">+page: &lt;script&gt;1&lt;/script&gt;</span>',
      );
      expect(html.text).not.toContain('<script>1');
      expect(html.text).toContain('>Merge pull request</button>');

      const merged = await fetch(`${pull.html_url}/merge`, {
        method: 'POST',
        redirect: 'manual',
      });
      expect(merged.status).toBe(303);
      expect(merged.headers.get('location')).toBe(
        `/paved-demo/gitops/pull/${pull.number}`,
      );
      const { data: after } = await octokit.pulls.get({
        ...repo,
        pull_number: pull.number,
      });
      expect(after.merged).toBe(true);
      const again = await fetch(pull.html_url).then(r => r.text());
      expect(again).toContain('class="state merged">Merged');
      expect(again).not.toContain('Merge pull request</button>');
      // Merging twice says why, as a page.
      const twice = await fetch(`${pull.html_url}/merge`, { method: 'POST' });
      expect(twice.status).toBe(405);
      expect(await twice.text()).toContain(
        'was not merged: Pull Request is not mergeable',
      );

      const repoPage = await fetch(`${sandbox.url}/paved-demo/gitops.git`).then(
        r => r.text(),
      );
      expect(repoPage).toContain('<h1>paved-demo/gitops</h1>');
      expect(repoPage).toContain('<code>pages/&lt;b&gt;.yaml</code>');
      expect((await fetch(`${sandbox.url}/paved-demo/nope`)).status).toBe(404);
    });

    it('creates repositories for an organisation', async () => {
      const { data } = await octokit.repos.createInOrg({
        org: 'paved-demo',
        name: 'new-service',
        auto_init: true,
      });
      expect(data.full_name).toBe('paved-demo/new-service');
      await expect(
        octokit.repos.createInOrg({ org: 'paved-demo', name: 'new-service' }),
      ).rejects.toMatchObject({ status: 422 });
    });
  });

  describe("GraphQL subset (validated against GitHub's schema)", () => {
    it('reads answers files of many repositories in one aliased request, as Octokit sends it', async () => {
      await octokit.repos.createInOrg({
        org: 'paved-demo',
        name: 'svc-a',
        auto_init: true,
      });
      const result = await octokit.graphql<any>(
        `query ($a: String!, $b: String!) {
          r0: repository(owner: "paved-demo", name: $a) {
            nameWithOwner
            defaultBranchRef { name target { oid } }
            object(expression: "HEAD:README.md") { ... on Blob { text byteSize isBinary } }
          }
          r1: repository(owner: "paved-demo", name: $b) {
            object(expression: "HEAD:.copier-answers.yml") { ... on Blob { text } }
          }
          rateLimit { cost remaining nodeCount }
        }`,
        { a: 'gitops', b: 'svc-a' },
      );
      expect(result.r0).toMatchObject({
        nameWithOwner: 'paved-demo/gitops',
        defaultBranchRef: {
          name: 'main',
          target: { oid: expect.stringMatching(/^[0-9a-f]{40}$/) },
        },
        object: { text: expect.stringMatching(/^# GitOps/), isBinary: false },
      });
      expect(result.r1).toEqual({ object: null });
      expect(result.rateLimit).toMatchObject({ cost: 1, nodeCount: 2 });
    });

    it('lists a tree and answers NOT_FOUND for a missing repository next to the found ones', async () => {
      const res = await fetch(`${sandbox.url}/api/graphql`, {
        method: 'POST',
        headers: { authorization: `bearer ${sandbox.github.token}` },
        body: JSON.stringify({
          query: `{ ok: repository(owner: "paved-demo", name: "gitops") { object(expression: "HEAD:") { ... on Tree { entries { name type mode } } } }
                    missing: repository(owner: "paved-demo", name: "nope") { name } }`,
        }),
      });
      const body = await res.json();
      expect(res.status).toBe(200);
      expect(body.data.ok.object.entries).toContainEqual({
        name: 'README.md',
        type: 'blob',
        mode: 0o100644,
      });
      expect(body.data.missing).toBeNull();
      expect(body.errors).toEqual([
        expect.objectContaining({
          type: 'NOT_FOUND',
          path: ['missing'],
          message:
            "Could not resolve to a Repository with the name 'paved-demo/nope'.",
        }),
      ]);
    });

    it("refuses a document GitHub's schema refuses, and an unauthenticated request", async () => {
      await expect(
        octokit.graphql(
          '{ repository(owner: "paved-demo", name: "gitops") { answersFile } }',
        ),
      ).rejects.toThrow(
        /Cannot query field "answersFile" on type "Repository"/,
      );
      const res = await fetch(`${sandbox.url}/api/graphql`, {
        method: 'POST',
        body: JSON.stringify({ query: '{ viewer { login } }' }),
      });
      expect(res.status).toBe(401);
    });
  });

  describe('Paved Git providers over the wire', () => {
    const config = () => new ConfigReader(sandboxConfig(sandbox));

    it('GitOpsWriter opens one pull request, refreshes it on change and leaves it alone when nothing changed', async () => {
      const writer = GitOpsWriter.fromConfig(
        config(),
        GitProviders.fromConfig(config(), mockServices.logger.mock(), {
          writeMinTimeMs: 0,
        }),
      );
      const change = (content: string) =>
        writer.write({
          files: [{ path: 'clusters/dev-eu/namespaces/orders.yaml', content }],
          branch: 'paved/namespace/orders',
          message: 'Namespace orders',
          title: 'Namespace orders',
          body: 'Provisioned by Paved',
        });
      const first = await change('a: 1\n');
      expect(first).toMatchObject({
        changed: true,
        branch: 'paved/namespace/orders',
        pullRequest: { created: true },
      });
      const again = await change('a: 1\n');
      expect(again).toMatchObject({
        changed: false,
        commitSha: first.commitSha,
        pullRequest: { number: first.pullRequest!.number, created: false },
      });
      const refreshed = await change('a: 2\n');
      expect(refreshed.changed).toBe(true);
      expect(refreshed.pullRequest).toEqual({
        ...first.pullRequest,
        created: false,
      });
      const { data: pulls } = await octokit.pulls.list({
        owner: 'paved-demo',
        repo: 'gitops',
        head: 'paved-demo:paved/namespace/orders',
      });
      expect(pulls).toHaveLength(1);
      const { data: file } = await octokit.repos.getContent({
        owner: 'paved-demo',
        repo: 'gitops',
        path: 'clusters/dev-eu/namespaces/orders.yaml',
        ref: 'paved/namespace/orders',
      });
      expect(
        Buffer.from((file as { content: string }).content, 'base64').toString(),
      ).toBe('a: 2\n');
      // Still on the base branch: nothing merged.
      expect(
        await writer.read('clusters/dev-eu/namespaces/orders.yaml'),
      ).toBeUndefined();
    });

    it('reads files and pull requests of many repositories in one GraphQL request per 100, reporting missing ones', async () => {
      const providers = GitProviders.fromConfig(
        config(),
        mockServices.logger.mock(),
        { writeMinTimeMs: 0 },
      );
      for (let i = 0; i < 3; i++) {
        await octokit.request('POST /orgs/{org}/repos', {
          org: 'paved-demo',
          name: `batch-${i}`,
        });
        await sandbox.github.commit(`batch-${i}`, {
          '.copier-answers.yml': `_commit: v1.${i}.0\n_src_path: x\n`,
          'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]),
        });
      }
      const pull = await providers.applyChange({
        repoUrl: `${sandbox.url}/paved-demo/batch-1`,
        mode: 'pull-request',
        branch: 'paved/batch',
        message: 'm',
        files: [{ path: 'x.txt', content: 'x\n' }],
        pullRequest: {
          title: 't',
          body: 'b',
          labels: { add: ['template-sync'] },
        },
      });
      const before = sandbox.requests.length;
      const reads = [0, 1, 2].map(i => ({
        repoUrl: `${sandbox.url}/paved-demo/batch-${i}`,
        paths: ['.copier-answers.yml', 'missing.yml', 'logo.png'],
        pullRequests: i === 1 ? [pull.pullRequest!.number, 99] : [],
      }));
      const snapshots = await providers.readBatch([
        ...reads,
        { repoUrl: `${sandbox.url}/paved-demo/nope`, paths: ['a.yml'] },
      ]);
      const made = sandbox.requests.slice(before);
      expect(made).toEqual([{ method: 'POST', path: '/api/graphql' }]);
      expect(snapshots[1]).toEqual({
        repoUrl: reads[1].repoUrl,
        found: true,
        defaultBranch: 'main',
        files: {
          '.copier-answers.yml': '_commit: v1.1.0\n_src_path: x\n',
          'missing.yml': undefined,
          'logo.png': undefined,
        },
        pullRequests: {
          [pull.pullRequest!.number]: {
            number: pull.pullRequest!.number,
            url: pull.pullRequest!.url,
            state: 'open',
            draft: false,
            labels: ['template-sync'],
          },
          99: undefined,
        },
      });
      expect(snapshots[3]).toMatchObject({
        found: false,
        error: expect.stringContaining('paved-demo/nope'),
      });

      const many = Array.from({ length: 150 }, (_, i) => reads[i % 3]);
      const mark = sandbox.requests.length;
      const all = await providers.readBatch(many);
      expect(sandbox.requests.length - mark).toBe(2);
      expect(all.map(s => s.files['.copier-answers.yml'])).toEqual(
        many.map((_, i) => `_commit: v1.${i % 3}.0\n_src_path: x\n`),
      );
    });

    it('labels and drafts pull requests on request, and writes binary and executable files', async () => {
      const providers = GitProviders.fromConfig(
        config(),
        mockServices.logger.mock(),
        { writeMinTimeMs: 0 },
      );
      const png = Buffer.from([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255,
      ]);
      const request = (content: string, conflicted: boolean) => ({
        repoUrl: `${sandbox.url}/paved-demo/gitops`,
        mode: 'pull-request' as const,
        branch: 'paved/labels',
        message: 'm',
        files: [
          {
            path: 'logo.png',
            content: png.toString('base64'),
            encoding: 'base64' as const,
          },
          { path: 'run.sh', content, executable: true },
        ],
        pullRequest: {
          title: 't',
          body: 'b',
          draft: conflicted,
          labels: conflicted
            ? { add: ['sync', 'sync:conflicts'] }
            : { add: ['sync'], remove: ['sync:conflicts'] },
        },
      });
      const first = await providers.applyChange(
        request('#!/bin/sh\necho 1\n', true),
      );
      expect(first.pullRequest).toMatchObject({
        created: true,
        draft: true,
        labels: ['sync', 'sync:conflicts'],
      });
      const second = await providers.applyChange(
        request('#!/bin/sh\necho 2\n', false),
      );
      expect(second.pullRequest).toMatchObject({
        created: false,
        draft: false,
        labels: ['sync'],
      });
      const { data: pr } = await octokit.pulls.get({
        owner: 'paved-demo',
        repo: 'gitops',
        pull_number: first.pullRequest!.number,
      });
      expect(pr.draft).toBe(false);
      expect(pr.labels.map(l => l.name)).toEqual(['sync']);
      const { data: tree } = await octokit.git.getTree({
        owner: 'paved-demo',
        repo: 'gitops',
        tree_sha: second.commitSha!,
      });
      expect(tree.tree.find(e => e.path === 'run.sh')?.mode).toBe('100755');
      const { data: blob } = await octokit.repos.getContent({
        owner: 'paved-demo',
        repo: 'gitops',
        path: 'logo.png',
        ref: 'paved/labels',
      });
      expect(
        Buffer.from((blob as { content: string }).content, 'base64'),
      ).toEqual(png);
    });

    it('commit mode lands on the base branch once', async () => {
      const providers = GitProviders.fromConfig(
        config(),
        mockServices.logger.mock(),
        { writeMinTimeMs: 0 },
      );
      const request = {
        repoUrl: `${sandbox.url}/paved-demo/gitops`,
        mode: 'commit' as const,
        branch: 'unused',
        message: 'Direct',
        files: [{ path: 'direct.yaml', content: 'd: 1\n' }],
      };
      expect((await providers.applyChange(request)).changed).toBe(true);
      expect((await providers.applyChange(request)).changed).toBe(false);
      expect(await providers.readFile(request.repoUrl, 'direct.yaml')).toBe(
        'd: 1\n',
      );
    });

    it('PlainGitProvider pushes over smart HTTP, idempotently', async () => {
      const plain = new PlainGitProvider();
      const repoUrl = `${authed()}/paved-demo/gitops.git`;
      const request = {
        repoUrl,
        mode: 'pull-request' as const,
        branch: 'paved/plain',
        message: 'Plain change',
        files: [{ path: 'plain/x.yaml', content: 'x: 1\n' }],
      };
      const first = await plain.applyChange(request);
      expect(first).toMatchObject({ changed: true, branch: 'paved/plain' });
      expect(first.pullRequest).toBeUndefined();
      const second = await plain.applyChange(request);
      expect(second).toEqual({ ...first, changed: false });
      expect(await plain.readFile(repoUrl, 'plain/x.yaml', 'paved/plain')).toBe(
        'x: 1\n',
      );
      await expect(
        plain.applyChange({
          ...request,
          files: [{ path: '../escape', content: 'x' }],
        }),
      ).rejects.toThrow(/outside the repository/);
    });
  });
});
