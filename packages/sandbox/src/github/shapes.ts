/**
 * GitHub's REST shapes, complete: every field GitHub's published description (`@octokit/openapi`, recorded in
 * data/github/rest-openapi.json.gz) requires of a user, team, label, repository and pull request, with the URL
 * templates GitHub itself answers. githubOpenapi.test.ts validates every response the stand-in serves against it.
 */

/** Where the stand-in is served from: the web base (html and clone URLs) and the REST base. */
export interface GitHubUrls {
  web: string;
  api: string;
}

let nextId = 1000;
const ids = new Map<string, number>();
/** A stable numeric id per key for the sandbox's lifetime (GitHub's ids are integers). */
export const idOf = (key: string) => {
  if (!ids.has(key)) ids.set(key, nextId++);
  return ids.get(key)!;
};
export const nodeId = (kind: string, key: string) =>
  Buffer.from(`${kind}:${key}`).toString('base64');

export type AccountType = 'User' | 'Organization' | 'Bot';

/** simple-user: an account as it appears inside other objects. */
export const simpleUser = (
  urls: GitHubUrls,
  login: string,
  type: AccountType = 'User',
) => {
  const api = `${urls.api}/users/${login}`;
  return {
    login,
    id: idOf(`owner:${login}`),
    node_id: nodeId(type === 'Organization' ? 'Organization' : 'User', login),
    avatar_url: `${urls.web}/${login}.png`,
    gravatar_id: '',
    url: api,
    html_url: `${urls.web}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
};

/** public-user (`GET /users/{username}`); `created` is when the sandbox first saw the account. */
export const publicUser = (
  urls: GitHubUrls,
  login: string,
  type: AccountType,
  created: string,
  publicRepos: number,
) => ({
  ...simpleUser(urls, login, type),
  name: login,
  company: null,
  blog: '',
  location: null,
  email: null,
  hireable: null,
  bio: null,
  twitter_username: null,
  public_repos: publicRepos,
  public_gists: 0,
  followers: 0,
  following: 0,
  created_at: created,
  updated_at: created,
});

/** private-user (`GET /user`): the token's own account. */
export const privateUser = (
  urls: GitHubUrls,
  login: string,
  created: string,
  privateRepos: number,
) => ({
  ...publicUser(urls, login, 'User', created, 0),
  private_gists: 0,
  total_private_repos: privateRepos,
  owned_private_repos: privateRepos,
  disk_usage: 0,
  collaborators: 0,
  two_factor_authentication: true,
  plan: {
    name: 'enterprise',
    space: 976562499,
    collaborators: 0,
    private_repos: 9999,
  },
});

/** team (requested reviewers). */
export const teamJson = (urls: GitHubUrls, org: string, slug: string) => {
  const url = `${urls.api}/orgs/${org}/teams/${slug}`;
  return {
    id: idOf(`team:${org}/${slug}`),
    node_id: nodeId('Team', `${org}/${slug}`),
    url,
    html_url: `${urls.web}/orgs/${org}/teams/${slug}`,
    name: slug,
    slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    parent: null,
    type: 'organization',
  };
};

/** label (labels added by name get GitHub's default colour). */
export const labelJson = (urls: GitHubUrls, full: string, name: string) => ({
  id: idOf(`label:${name}`),
  node_id: nodeId('Label', `${full}:${name}`),
  url: `${urls.api}/repos/${full}/labels/${encodeURIComponent(name)}`,
  name,
  description: null,
  color: 'ededed',
  default: false,
});

/** What a repository's JSON is made of that only its store knows. */
export interface RepositoryFacts {
  owner: string;
  ownerType: AccountType;
  name: string;
  defaultBranch: string;
  createdAt: string;
  pushedAt: string;
  /** Kilobytes on disk, as GitHub counts `size`. */
  sizeKb: number;
  openIssues: number;
}

/** repository and full-repository (the union of their required fields; GitHub answers the same object). */
export function repositoryJson(urls: GitHubUrls, f: RepositoryFacts) {
  const full = `${f.owner}/${f.name}`;
  const api = `${urls.api}/repos/${full}`;
  const host = new URL(urls.web).host;
  return {
    id: idOf(full),
    node_id: nodeId('Repository', full),
    name: f.name,
    full_name: full,
    private: true,
    visibility: 'private',
    owner: simpleUser(urls, f.owner, f.ownerType),
    html_url: `${urls.web}/${full}`,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `${urls.web}/${full}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${host}:${full}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${urls.web}/${full}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: `${urls.web}/${full}`,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: f.sizeKb,
    default_branch: f.defaultBranch,
    open_issues: f.openIssues,
    open_issues_count: f.openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    pushed_at: f.pushedAt,
    created_at: f.createdAt,
    updated_at: f.pushedAt,
    permissions: {
      admin: true,
      maintain: true,
      push: true,
      triage: true,
      pull: true,
    },
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    allow_forking: false,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
  };
}

/** What a pull request's JSON is made of beyond its stored record. */
export interface PullFacts {
  full: string;
  number: number;
  state: string;
  title: string;
  body: string | null;
  draft: boolean;
  merged: boolean;
  /** Who merged it, once merged. */
  mergedBy: string | null;
  author: string;
  authorType: AccountType;
  labels: string[];
  reviewers: { users: string[]; teams: string[] };
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergeCommitSha: string | null;
  head: { ref: string; sha: string | null };
  base: { ref: string; sha: string | null };
  repo: ReturnType<typeof repositoryJson>;
}

/** pull-request-simple (lists, requested reviewers). */
export function pullRequestSimple(urls: GitHubUrls, p: PullFacts) {
  const api = `${urls.api}/repos/${p.full}`;
  const url = `${api}/pulls/${p.number}`;
  const html = `${urls.web}/${p.full}/pull/${p.number}`;
  const issue = `${api}/issues/${p.number}`;
  const [owner] = p.full.split('/');
  const side = (s: { ref: string; sha: string | null }) => ({
    label: `${owner}:${s.ref}`,
    ref: s.ref,
    sha: s.sha ?? '',
    user: p.repo.owner,
    repo: p.repo,
  });
  const headSha = p.head.sha ?? '';
  return {
    url,
    id: idOf(`pull:${p.full}#${p.number}`),
    node_id: nodeId('PullRequest', `${p.full}#${p.number}`),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${api}/statuses/${headSha}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: simpleUser(urls, p.author, p.authorType),
    body: p.body,
    labels: p.labels.map(name => labelJson(urls, p.full, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    merged_at: p.merged ? p.closedAt : null,
    merge_commit_sha: p.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: p.reviewers.users.map(login =>
      simpleUser(urls, login),
    ),
    requested_teams: p.reviewers.teams.map(slug => teamJson(urls, owner, slug)),
    head: side(p.head),
    base: side(p.base),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${api}/statuses/${headSha}` },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: p.draft,
  };
}

/** The counts a single pull request carries (`GET/PATCH/POST …/pulls`), from the repository's git. */
export interface PullStats {
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  /** Whether head merges into base without conflicts; null once closed (GitHub stops computing it). */
  mergeable: boolean | null;
}

/** pull-request: the simple shape plus its counts and merge state. */
export function pullRequestJson(
  urls: GitHubUrls,
  p: PullFacts,
  stats: PullStats,
) {
  let mergeableState = 'unknown';
  if (p.state === 'open' && stats.mergeable !== null)
    mergeableState = stats.mergeable ? 'clean' : 'dirty';
  return {
    ...pullRequestSimple(urls, p),
    merged: p.merged,
    mergeable: stats.mergeable,
    rebaseable: stats.mergeable,
    mergeable_state: mergeableState,
    merged_by: p.mergedBy ? simpleUser(urls, p.mergedBy) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: stats.commits,
    additions: stats.additions,
    deletions: stats.deletions,
    changed_files: stats.changedFiles,
  };
}
