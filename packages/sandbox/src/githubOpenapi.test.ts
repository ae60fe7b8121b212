import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Ajv, { type ValidateFunction } from 'ajv';
import { Octokit } from '@octokit/rest';
import { Sandbox, startSandbox } from './index';

jest.setTimeout(60_000);

/**
 * GitHub's published REST description for the operations the stand-in serves (data/github/rest-openapi.json.gz,
 * recorded from @octokit/openapi by scripts/github-openapi.mjs): per operation, its responses by status.
 */
const recorded: {
  source: string;
  operations: Record<string, Record<string, { schema?: object }>>;
  schemas: Record<string, object>;
} = JSON.parse(
  zlib
    .gunzipSync(
      fs.readFileSync(
        path.join(__dirname, '../data/github/rest-openapi.json.gz'),
      ),
    )
    .toString('utf8'),
);

// OpenAPI 3.0 schemas: Ajv reads `nullable`; formats (uri, date-time) and the discriminator are not enforced.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<object, ValidateFunction>();
function problems(schema: object, value: unknown): string[] {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile({
      allOf: [schema],
      components: { schemas: recorded.schemas },
    });
    validators.set(schema, validate);
  }
  return validate(value)
    ? []
    : (validate.errors ?? []).map(
        e =>
          `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
      );
}
const basicError = { $ref: '#/components/schemas/basic-error' };

/** Checks one answer against the description: its status must be one the operation documents (or GitHub's 404). */
function check(operation: string, status: number, body: unknown): string[] {
  const responses = recorded.operations[operation];
  if (!responses) return [`${operation} is not a recorded operation`];
  const response = responses[String(status)];
  // GitHub answers 404 (basic-error) for a missing repository or pull request on every route, documented or not.
  if (!response && status === 404) return problems(basicError, body);
  if (!response) return [`${operation} does not answer ${status}`];
  // A documented status without a schema: an error still carries GitHub's basic-error; a success has no body.
  if (!response.schema && status >= 400) return problems(basicError, body);
  if (!response.schema)
    return body === undefined || body === '' ? [] : ['expected no body'];
  return problems(response.schema, body);
}

/**
 * The GitHub stand-in's REST answers checked against GitHub's published OpenAPI description through Octokit: every
 * operation it serves is called (successes and the errors clients handle) and every answer must match the schema of
 * that operation and status, required fields included, so a client generated from GitHub's description reads the
 * sandbox as it reads GitHub.
 */
describe('GitHub stand-in against GitHub’s REST description', () => {
  let sandbox: Sandbox;
  let octokit: Octokit;
  const seen = new Map<string, Set<number>>();
  const failures: Record<string, string[]> = {};

  beforeAll(async () => {
    sandbox = await startSandbox();
    octokit = new Octokit({
      baseUrl: sandbox.github.apiUrl,
      auth: sandbox.github.token,
      request: { retries: 0 },
    });
    // Every request Octokit sends goes through here: `options.url` is the operation's path template.
    octokit.hook.wrap('request', async (request, options) => {
      const operation = `${options.method} ${options.url}`;
      const record = (status: number, body: unknown) => {
        if (!seen.has(operation)) seen.set(operation, new Set());
        seen.get(operation)!.add(status);
        const found = check(operation, status, body);
        if (found.length) failures[`${operation} ${status}`] = found;
      };
      try {
        const response = await request(options);
        record(response.status, response.data);
        return response;
      } catch (error: any) {
        if (error?.status) record(error.status, error.response?.data);
        throw error;
      }
    });
  });
  afterAll(() => sandbox.close());

  const fails = async (call: Promise<unknown>, status: number) => {
    await expect(call).rejects.toMatchObject({ status });
  };

  it('every operation the stand-in serves answers as GitHub’s description says', async () => {
    const { data: me } = await octokit.users.getAuthenticated();
    const org = sandbox.seed.github.org;
    await octokit.users.getByUsername({ username: org });
    await octokit.users.getByUsername({ username: me.login });
    await fails(octokit.users.getByUsername({ username: 'nobody-here' }), 404);

    // Repositories.
    const repo = 'openapi-check';
    await octokit.repos.createInOrg({ org, name: repo, auto_init: true });
    await fails(octokit.repos.createInOrg({ org, name: repo }), 422);
    await octokit.repos.createForAuthenticatedUser({ name: 'mine' });
    const { data: created } = await octokit.repos.get({ owner: org, repo });
    await fails(octokit.repos.get({ owner: org, repo: 'missing' }), 404);
    const base = { owner: org, repo };

    // Git data: blob → tree → commit → ref, read back, moved, refused, deleted.
    const { data: main } = await octokit.git.getRef({
      ...base,
      ref: `heads/${created.default_branch}`,
    });
    const { data: blob } = await octokit.git.createBlob({
      ...base,
      content: 'hello\n',
    });
    const { data: tree } = await octokit.git.createTree({
      ...base,
      base_tree: (
        await octokit.git.getCommit({ ...base, commit_sha: main.object.sha })
      ).data.tree.sha,
      tree: [
        { path: 'hello.txt', mode: '100644', type: 'blob', sha: blob.sha },
      ],
    });
    await fails(
      octokit.git.createTree({
        ...base,
        tree: [{ path: '/abs', mode: '100644', content: 'x' }],
      }),
      422,
    );
    const { data: commit } = await octokit.git.createCommit({
      ...base,
      message: 'Add hello',
      tree: tree.sha,
      parents: [main.object.sha],
    });
    await fails(
      octokit.git.createCommit({ ...base, message: 'x', tree: 'nope' }),
      422,
    );
    await octokit.git.getTree({ ...base, tree_sha: tree.sha, recursive: '1' });
    await fails(
      octokit.git.getTree({ ...base, tree_sha: 'f'.repeat(40) }),
      404,
    );
    await fails(
      octokit.git.getCommit({ ...base, commit_sha: 'f'.repeat(40) }),
      404,
    );
    await octokit.git.createRef({
      ...base,
      ref: 'refs/heads/feature',
      sha: commit.sha,
    });
    await fails(
      octokit.git.createRef({
        ...base,
        ref: 'refs/heads/feature',
        sha: commit.sha,
      }),
      422,
    );
    await fails(octokit.git.getRef({ ...base, ref: 'heads/missing' }), 404);
    await octokit.git.createRef({
      ...base,
      ref: 'refs/heads/scratch',
      sha: commit.sha,
    });
    await fails(
      octokit.git.updateRef({
        ...base,
        ref: 'heads/scratch',
        sha: main.object.sha,
      }),
      422,
    );
    await octokit.git.updateRef({
      ...base,
      ref: 'heads/scratch',
      sha: main.object.sha,
      force: true,
    });
    await octokit.git.deleteRef({ ...base, ref: 'heads/scratch' });
    await fails(octokit.git.deleteRef({ ...base, ref: 'heads/scratch' }), 422);

    // Contents: a file, a folder, a missing path.
    await octokit.repos.getContent({ ...base, path: 'README.md' });
    await octokit.repos.getContent({ ...base, path: '', ref: 'feature' });
    await fails(octokit.repos.getContent({ ...base, path: 'nope.txt' }), 404);

    // Pull requests, their labels and requested reviewers, merging.
    const { data: pull } = await octokit.pulls.create({
      ...base,
      title: 'Add hello',
      head: 'feature',
      base: created.default_branch,
      body: 'Adds hello.txt',
    });
    await fails(
      octokit.pulls.create({
        ...base,
        title: 'Again',
        head: 'feature',
        base: created.default_branch,
      }),
      422,
    );
    const number = { ...base, pull_number: pull.number };
    await octokit.pulls.list({ ...base, state: 'all' });
    await octokit.pulls.get(number);
    await fails(octokit.pulls.get({ ...base, pull_number: 999 }), 404);
    await octokit.pulls.update({ ...number, body: 'Adds hello.txt, edited' });
    await fails(
      octokit.pulls.update({ ...number, state: 'merged' as 'open' }),
      422,
    );
    await octokit.pulls.listFiles(number);
    await octokit.pulls.requestReviewers({
      ...number,
      reviewers: ['reviewer-one'],
      team_reviewers: ['platform'],
    });
    await fails(
      octokit.pulls.requestReviewers({
        ...number,
        reviewers: [pull.user.login],
      }),
      422,
    );
    await octokit.pulls.listRequestedReviewers(number);
    await octokit.pulls.removeRequestedReviewers({
      ...number,
      reviewers: ['reviewer-one'],
    });
    const issue = { ...base, issue_number: pull.number };
    await octokit.issues.addLabels({ ...issue, labels: ['paved', 'sync'] });
    await fails(octokit.issues.addLabels({ ...issue, labels: [''] }), 422);
    await octokit.issues.listLabelsOnIssue(issue);
    await octokit.issues.removeLabel({ ...issue, name: 'sync' });
    await fails(octokit.issues.removeLabel({ ...issue, name: 'sync' }), 404);
    await octokit.pulls.merge(number);
    await fails(octokit.pulls.merge(number), 405);
    await octokit.pulls.get(number);

    // Branch protection, as publish:github sets it.
    const branch = { ...base, branch: created.default_branch };
    await fails(octokit.repos.getBranchProtection(branch), 404);
    await octokit.repos.updateBranchProtection({
      ...branch,
      required_status_checks: null,
      enforce_admins: true,
      required_pull_request_reviews: { required_approving_review_count: 1 },
      restrictions: null,
    });
    await octokit.repos.getBranchProtection(branch);

    expect(failures).toEqual({});
    // Every recorded operation was called, and nothing the stand-in answered is missing from the record.
    expect([...seen.keys()].sort()).toEqual(
      Object.keys(recorded.operations).sort(),
    );
  });

  it('the check fails on a missing required field, a wrong type and an undocumented status', async () => {
    const { data } = await octokit.repos.get({
      owner: sandbox.seed.github.org,
      repo: 'gitops',
    });
    const op = 'GET /repos/{owner}/{repo}';
    expect(check(op, 200, data)).toEqual([]);
    const { pushed_at: _dropped, ...withoutPushedAt } = data;
    expect(check(op, 200, withoutPushedAt).join()).toMatch(/pushed_at/);
    expect(check(op, 200, { ...data, id: 'one' }).join()).toMatch(/\/id/);
    expect(check(op, 418, {})).toEqual([`${op} does not answer 418`]);
    expect(recorded.source).toMatch(/@octokit\/openapi@/);
  });
});
