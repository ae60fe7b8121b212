import type { SandboxRequest, SandboxResponse } from '../http';
import { escape, page as sandboxPage } from '../pages';
import type { PullStore } from './pulls';
import { git, RepoStore } from './repos';
import { changedFiles, pullRange, type RestContext } from './rest';

const page = (title: string, body: string, status = 200) =>
  sandboxPage('GitHub', title, body, status);

function patchHtml(patch: string) {
  return patch
    .split('\n')
    .map(line => {
      const cls = ({ '+': 'add', '-': 'del' } as Record<string, string>)[
        line[0]
      ];
      return cls ? `<span class="${cls}">${escape(line)}</span>` : escape(line);
    })
    .join('\n');
}

/**
 * Plain server-rendered pages behind the links the golden path prints, so a newcomer can click through it: a
 * repository (files, branches, open pull requests) and a pull request (its diff, and a Merge button that merges
 * through the same REST route a person's click on GitHub would). Development only: no sign-in, the sandbox's bot acts.
 */
export async function servePage(
  ctx: RestContext,
  pulls: PullStore,
  store: RepoStore,
  req: SandboxRequest,
  rest: (method: string, path: string) => Promise<SandboxResponse | undefined>,
): Promise<SandboxResponse | undefined> {
  const pathname = decodeURIComponent(req.url.pathname);
  const merge = /^\/([^/]+)\/([^/]+)\/pull\/(\d+)\/merge$/.exec(pathname);
  if (merge && req.method === 'POST') {
    const [, owner, repo, number] = merge;
    const answer = await rest(
      'PUT',
      `/repos/${owner}/${repo}/pulls/${number}/merge`,
    );
    if (answer?.status === 200)
      return {
        status: 303,
        headers: { location: `/${owner}/${repo}/pull/${number}` },
        text: 'Merged',
      };
    const message = (answer?.json as { message?: string } | undefined)?.message;
    return page(
      'Not merged',
      `<p class="note">Pull request #${escape(number)} was not merged: ${escape(
        message ?? 'unknown error',
      )}.</p><p><a href="/${escape(owner)}/${escape(repo)}/pull/${escape(
        number,
      )}">Back to the pull request</a></p>`,
      answer?.status ?? 500,
    );
  }
  if (req.method !== 'GET') return undefined;

  const pullPage = /^\/([^/]+)\/([^/]+)\/pull\/(\d+)$/.exec(pathname);
  if (pullPage) {
    const [, owner, repo, number] = pullPage;
    const pull = pulls.get(owner, repo, Number(number));
    if (!pull || !store.exists(owner, repo))
      return page('Not found', '<p>No such pull request.</p>', 404);
    const dir = store.dir(owner, repo);
    const range = await pullRange(ctx, dir, pull);
    const files = range ? await changedFiles(ctx, dir, owner, repo, range) : [];
    let state: string = pull.state;
    let label = pull.state === 'open' ? 'Open' : 'Closed';
    if (pull.merged) {
      state = 'merged';
      label = 'Merged';
    } else if (pull.state === 'open' && pull.draft) label = 'Draft';
    return page(
      `#${pull.number} ${pull.title}`,
      `<h1>${escape(pull.title)} <small>#${pull.number}</small></h1>
<p><span class="state ${state}">${label}</span> ${escape(
        pull.user,
      )} wants to merge
<code>${escape(pull.head)}</code> into <code>${escape(pull.base)}</code> of
<a href="/${escape(owner)}/${escape(repo)}">${escape(owner)}/${escape(
        repo,
      )}</a></p>
${
  pull.labels.length
    ? `<p>Labels: ${pull.labels.map(escape).join(', ')}</p>`
    : ''
}
<pre>${escape(pull.body ?? '')}</pre>
${
  pull.state === 'open'
    ? `<form method="post" action="/${escape(owner)}/${escape(repo)}/pull/${
        pull.number
      }/merge"><button type="submit">Merge pull request</button></form>`
    : ''
}
<h2>Files changed (${files.length})</h2>
${files
  .map(
    f =>
      `<h3><code>${escape(f.filename)}</code> <small>${escape(f.status)} +${
        f.additions
      } −${f.deletions}</small></h3>${
        f.patch ? `<pre>${patchHtml(f.patch)}</pre>` : ''
      }`,
  )
  .join('\n')}`,
    );
  }

  const repoPage = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(pathname);
  if (repoPage && store.exists(repoPage[1], repoPage[2])) {
    const [, owner, repo] = repoPage;
    const dir = store.dir(owner, repo);
    const branch = await store.defaultBranch(owner, repo);
    const head = await store.resolve(dir, `refs/heads/${branch}`);
    const files = head
      ? (await git(dir, ['ls-tree', '-r', '--name-only', head]))
          .split('\n')
          .filter(Boolean)
      : [];
    const branches = (
      await git(dir, [
        'for-each-ref',
        '--format=%(refname:short)',
        'refs/heads',
      ])
    )
      .split('\n')
      .filter(Boolean);
    const open = pulls.list(owner, repo).filter(p => p.state === 'open');
    return page(
      `${owner}/${repo}`,
      `<h1>${escape(owner)}/${escape(repo)}</h1>
<p>Clone: <code>${escape(`${ctx.web}/${owner}/${repo}.git`)}</code></p>
<h2>Open pull requests (${open.length})</h2>
<ul>${open
        .map(
          p =>
            `<li><a href="/${escape(owner)}/${escape(repo)}/pull/${
              p.number
            }">#${p.number} ${escape(p.title)}</a></li>`,
        )
        .join('')}</ul>
<h2>Branches (${branches.length})</h2>
<ul>${branches
        .map(
          b =>
            `<li><code>${escape(b)}</code>${
              b === branch ? ' (default)' : ''
            }</li>`,
        )
        .join('')}</ul>
<h2>Files on ${escape(branch)} (${files.length})</h2>
<ul>${files.map(f => `<li><code>${escape(f)}</code></li>`).join('')}</ul>`,
    );
  }
  return undefined;
}
