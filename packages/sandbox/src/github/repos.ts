import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Identity the sandbox commits as when a request names no author. */
const SANDBOX_AUTHOR = {
  GIT_AUTHOR_NAME: 'Paved Sandbox',
  GIT_AUTHOR_EMAIL: 'sandbox@paved.invalid',
  GIT_COMMITTER_NAME: 'Paved Sandbox',
  GIT_COMMITTER_EMAIL: 'sandbox@paved.invalid',
};

export class GitCommandError extends Error {
  constructor(message: string, readonly stderr: string) {
    super(message);
  }
}

/** Runs git in a bare repository (async: the sandbox often runs inside the test process that calls it). */
export function git(
  gitDir: string,
  args: string[],
  options: { input?: string | Buffer; env?: Record<string, string> } = {},
): Promise<string> {
  return gitBytes(gitDir, args, options).then(b => b.toString('utf8'));
}

/** {@link git}, answering bytes (object contents may be binary). */
export function gitBytes(
  gitDir: string,
  args: string[],
  options: { input?: string | Buffer; env?: Record<string, string> } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd: gitDir,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: gitDir,
          GIT_DIR: gitDir,
          GIT_CONFIG_NOSYSTEM: '1',
          ...SANDBOX_AUTHOR,
          ...options.env,
        },
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'buffer',
      },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new GitCommandError(
              `git ${args[0]} failed: ${stderr.toString('utf8').trim()}`,
              stderr.toString('utf8'),
            ),
          );
        else resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** A file as a commit should contain it. */
export interface SeedFile {
  path: string;
  content: string;
}

/** The sandbox's bare repositories, `<root>/<owner>/<name>.git`, the same ones git's smart HTTP serves. */
export class RepoStore {
  constructor(readonly root: string) {}

  dir(owner: string, name: string): string {
    return path.join(this.root, owner, `${name}.git`);
  }

  exists(owner: string, name: string): boolean {
    return fs.existsSync(path.join(this.dir(owner, name), 'HEAD'));
  }

  list(): Array<{ owner: string; name: string }> {
    if (!fs.existsSync(this.root)) return [];
    return fs.readdirSync(this.root).flatMap(owner =>
      fs
        .readdirSync(path.join(this.root, owner))
        .filter(d => d.endsWith('.git'))
        .map(d => ({ owner, name: d.slice(0, -4) })),
    );
  }

  async create(
    owner: string,
    name: string,
    defaultBranch = 'main',
  ): Promise<string> {
    const dir = this.dir(owner, name);
    fs.mkdirSync(dir, { recursive: true });
    await git(dir, [
      'init',
      '--bare',
      '--quiet',
      `--initial-branch=${defaultBranch}`,
    ]);
    return dir;
  }

  async defaultBranch(owner: string, name: string): Promise<string> {
    const head = await git(this.dir(owner, name), ['symbolic-ref', 'HEAD']);
    return head.trim().replace(/^refs\/heads\//, '');
  }

  /** The sha a ref points at, or undefined. */
  async resolve(dir: string, ref: string): Promise<string | undefined> {
    try {
      return (
        await git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])
      ).trim();
    } catch {
      return undefined;
    }
  }

  /**
   * A tree: `base` (a tree sha) with entries written (content), replaced (sha) or removed (sha null), built in a
   * private index so concurrent requests never share state.
   */
  async writeTree(
    dir: string,
    base: string | undefined,
    entries: Array<{
      path: string;
      mode: string;
      content?: string | Buffer;
      sha?: string | null;
    }>,
  ): Promise<string> {
    const index = path.join(
      dir,
      `paved-index-${process.pid}-${Math.random().toString(36).slice(2)}`,
    );
    const env = { GIT_INDEX_FILE: index };
    try {
      await git(dir, base ? ['read-tree', base] : ['read-tree', '--empty'], {
        env,
      });
      for (const entry of entries) {
        if (entry.sha === null) {
          // As GitHub: deleting a path the tree does not have is an error, not a no-op.
          const present = await git(dir, ['ls-files', '--', entry.path], {
            env,
          });
          if (!present.trim())
            throw new GitCommandError(
              `${entry.path} is not in the base tree`,
              `${entry.path} is not in the base tree`,
            );
          // Mode 0 removes the entry (`--force-remove <path>` wants a work tree, which a bare repository has not).
          await git(dir, ['update-index', '--index-info'], {
            env,
            input: `0 ${'0'.repeat(40)}\t${entry.path}\n`,
          });
          continue;
        }
        const sha =
          entry.sha ??
          (
            await git(dir, ['hash-object', '-w', '--stdin'], {
              input: entry.content ?? '',
            })
          ).trim();
        await git(
          dir,
          [
            'update-index',
            '--add',
            '--cacheinfo',
            `${entry.mode},${sha},${entry.path}`,
          ],
          { env },
        );
      }
      return (await git(dir, ['write-tree'], { env })).trim();
    } finally {
      fs.rmSync(index, { force: true });
    }
  }

  async commit(
    dir: string,
    tree: string,
    parents: string[],
    message: string,
    author?: { name: string; email: string; date?: string },
  ): Promise<string> {
    const env: Record<string, string> = author
      ? {
          GIT_AUTHOR_NAME: author.name,
          GIT_AUTHOR_EMAIL: author.email,
          ...(author.date ? { GIT_AUTHOR_DATE: author.date } : {}),
        }
      : {};
    return (
      await git(
        dir,
        ['commit-tree', tree, ...parents.flatMap(p => ['-p', p])],
        { input: message, env },
      )
    ).trim();
  }

  /**
   * A commit of `files` (content, or null to delete) on the default branch, as a person pushing would make it,
   * optionally tagged (a template release). Returns the commit.
   */
  async commitFiles(
    owner: string,
    name: string,
    files: Record<string, string | Buffer | null>,
    message: string,
    tag?: string | string[],
  ): Promise<string> {
    const dir = this.dir(owner, name);
    const branch = await this.defaultBranch(owner, name);
    const parent = await this.resolve(dir, `refs/heads/${branch}`);
    const base = parent
      ? (await git(dir, ['rev-parse', `${parent}^{tree}`])).trim()
      : undefined;
    const tree = await this.writeTree(
      dir,
      base,
      Object.entries(files).map(([p, content]) =>
        content === null
          ? { path: p, mode: '100644', sha: null }
          : { path: p, mode: '100644', content },
      ),
    );
    const sha = await this.commit(dir, tree, parent ? [parent] : [], message);
    await git(dir, [
      'update-ref',
      `refs/heads/${branch}`,
      sha,
      ...(parent ? [parent] : []),
    ]);
    for (const t of typeof tag === 'string' ? [tag] : tag ?? []) {
      await git(dir, ['tag', t, sha]);
    }
    return sha;
  }

  /** A repository with one commit holding `files` on its default branch. */
  async seed(owner: string, name: string, files: SeedFile[]): Promise<void> {
    if (this.exists(owner, name)) return;
    const dir = await this.create(owner, name);
    const tree = await this.writeTree(
      dir,
      undefined,
      files.map(f => ({ path: f.path, mode: '100644', content: f.content })),
    );
    const sha = await this.commit(dir, tree, [], 'Initial commit');
    await git(dir, ['update-ref', 'refs/heads/main', sha]);
  }
}
