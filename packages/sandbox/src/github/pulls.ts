import fs from 'node:fs';
import path from 'node:path';

/** A pull request as the sandbox keeps it; the head sha is read from the branch when it is served. */
export interface StoredPull {
  number: number;
  owner: string;
  repo: string;
  title: string;
  body: string | null;
  head: string;
  base: string;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  /** Once merged: the merge commit, and the diff the pull request showed (where head left the base, and head). */
  mergeCommitSha?: string;
  mergedRange?: { from: string; to: string };
  labels: string[];
  /** Users and teams (slugs) whose review is requested; older state files have none. */
  reviewers?: { users: string[]; teams: string[] };
  user: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** Pull requests of every sandbox repository, persisted as one JSON file next to the repositories. */
export class PullStore {
  private pulls: StoredPull[];

  constructor(private readonly file: string) {
    this.pulls = fs.existsSync(file)
      ? JSON.parse(fs.readFileSync(file, 'utf8'))
      : [];
  }

  private save() {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(this.pulls, null, 2));
  }

  list(owner: string, repo: string): StoredPull[] {
    return this.pulls.filter(p => p.owner === owner && p.repo === repo);
  }

  get(owner: string, repo: string, number: number): StoredPull | undefined {
    return this.list(owner, repo).find(p => p.number === number);
  }

  create(
    pull: Omit<
      StoredPull,
      'number' | 'createdAt' | 'updatedAt' | 'closedAt' | 'merged' | 'state'
    >,
  ): StoredPull {
    const now = new Date().toISOString();
    const created: StoredPull = {
      ...pull,
      number:
        Math.max(0, ...this.list(pull.owner, pull.repo).map(p => p.number)) + 1,
      state: 'open',
      merged: false,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    this.pulls.push(created);
    this.save();
    return created;
  }

  update(pull: StoredPull, changes: Partial<StoredPull>): StoredPull {
    Object.assign(pull, changes, { updatedAt: new Date().toISOString() });
    if (changes.state === 'closed' && !pull.closedAt)
      pull.closedAt = pull.updatedAt;
    if (changes.state === 'open') pull.closedAt = null;
    this.save();
    return pull;
  }
}
