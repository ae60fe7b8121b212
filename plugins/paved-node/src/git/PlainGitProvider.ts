import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  ChangeRequest,
  ChangeResult,
  GitProvider,
  OpenPullRequest,
  PullRequestFile,
  RepositoryInfo,
  RepositoryRead,
  RepositorySnapshot,
} from './types';

/** Credentials never reach an error message: URLs are shown without their user-info. */
function redact(text: string): string {
  return text.replace(/(\w+:\/\/)[^/@\s]+@/g, '$1***@');
}

function run(
  cwd: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env },
        maxBuffer: 64 * 1024 * 1024,
        // A stalled remote never holds a scaffolder task: the command is killed.
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(String(stdout));
          return;
        }
        const killed = (error as { killed?: boolean }).killed;
        reject(
          Object.assign(
            new Error(
              killed
                ? `git ${args[0]}: no answer within ${timeoutMs} ms (paved.git.commandTimeoutMs)`
                : `git ${args[0]}: ${redact(String(stderr).trim())}`,
            ),
            { stderr: String(stderr) },
          ),
        );
      },
    );
  });
}

/**
 * Any git remote (a bare repository path, `file://`, http(s) with the machine's credential helpers, ssh) through
 * the real git CLI, for air-gapped installations and hosts without a GitHub integration. Git has no pull requests:
 * in `pull-request` mode the change is pushed to its branch and the result carries no pull request.
 * @public
 */
export class PlainGitProvider implements GitProvider {
  private readonly env: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(
    options: {
      author?: { name: string; email: string };
      /** Time limit of each git command; default 60 s. */
      commandTimeoutMs?: number;
    } = {},
  ) {
    this.timeoutMs = options.commandTimeoutMs ?? 60_000;
    const author = options.author ?? {
      name: 'Paved',
      email: 'paved@noreply.invalid',
    };
    this.env = {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
    };
  }

  private async withClone<T>(
    repoUrl: string,
    fn: (
      dir: string,
      git: (...args: string[]) => Promise<string>,
    ) => Promise<T>,
  ): Promise<T> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-git-'));
    const git = (...args: string[]) => run(dir, args, this.env, this.timeoutMs);
    try {
      await git('init', '--quiet');
      await git('remote', 'add', 'origin', repoUrl);
      return await fn(dir, git);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  private async remoteHeads(
    git: (...args: string[]) => Promise<string>,
    repoUrl: string,
  ): Promise<{ defaultBranch?: string; heads: Map<string, string> }> {
    let out: string;
    try {
      out = await git('ls-remote', '--symref', 'origin');
    } catch (error) {
      throw new NotFoundError(
        `Cannot read ${redact(repoUrl)}: ${(error as Error).message}`,
      );
    }
    const heads = new Map<string, string>();
    let defaultBranch: string | undefined;
    for (const line of out.split('\n')) {
      const symref = /^ref: refs\/heads\/(\S+)\s+HEAD$/.exec(line);
      if (symref) defaultBranch = symref[1];
      const ref = /^([0-9a-f]{40})\s+refs\/heads\/(\S+)$/.exec(line);
      if (ref) heads.set(ref[2], ref[1]);
    }
    return { defaultBranch, heads };
  }

  async readFile(
    repoUrl: string,
    filePath: string,
    ref?: string,
  ): Promise<string | undefined> {
    return this.withClone(repoUrl, async (_dir, git) => {
      const { defaultBranch, heads } = await this.remoteHeads(git, repoUrl);
      const branch = ref ?? defaultBranch;
      if (!branch || !heads.has(branch)) return undefined;
      await git('fetch', '--quiet', '--depth', '1', 'origin', branch);
      try {
        return await git('show', `FETCH_HEAD:${filePath}`);
      } catch {
        return undefined;
      }
    });
  }

  async repository(repoUrl: string): Promise<RepositoryInfo> {
    return this.withClone(repoUrl, async (_dir, git) => {
      try {
        const { defaultBranch } = await this.remoteHeads(git, repoUrl);
        return {
          exists: true,
          htmlUrl: redact(repoUrl),
          cloneUrl: redact(repoUrl),
          defaultBranch,
        };
      } catch (error) {
        // git says so in words only: a missing repository, as opposed to a remote that cannot be reached.
        if (
          /not found|does not exist|does not appear to be a git repository|404/i.test(
            (error as Error).message,
          )
        )
          return { exists: false };
        throw error;
      }
    });
  }

  /** Git has no pull requests: nothing is open. */
  async listOpenPullRequests(): Promise<OpenPullRequest[]> {
    return [];
  }

  async listPullRequestFiles(repoUrl: string): Promise<PullRequestFile[]> {
    throw new InputError(
      `${redact(repoUrl)} is a plain git remote: git has no pull requests`,
    );
  }

  /** One shallow fetch per repository; git has no pull requests, so none are reported. */
  async readBatch(reads: RepositoryRead[]): Promise<RepositorySnapshot[]> {
    const results: RepositorySnapshot[] = [];
    for (const read of reads) {
      results.push(
        await this.withClone(read.repoUrl, async (_dir, git) => {
          const base = {
            repoUrl: read.repoUrl,
            files: {} as Record<string, string | undefined>,
            pullRequests: {},
          };
          let defaultBranch: string | undefined;
          try {
            ({ defaultBranch } = await this.remoteHeads(git, read.repoUrl));
          } catch (error) {
            return { ...base, found: false, error: (error as Error).message };
          }
          if (!defaultBranch) return { ...base, found: true };
          await git(
            'fetch',
            '--quiet',
            '--depth',
            '1',
            'origin',
            defaultBranch,
          );
          for (const p of read.paths) {
            base.files[p] = await git('show', `FETCH_HEAD:${p}`).catch(
              () => undefined,
            );
          }
          return { ...base, found: true, defaultBranch };
        }),
      );
    }
    return results;
  }

  async applyChange(request: ChangeRequest): Promise<ChangeResult> {
    return this.withClone(request.repoUrl, async (dir, git) => {
      const { defaultBranch, heads } = await this.remoteHeads(
        git,
        request.repoUrl,
      );
      const base = request.baseBranch ?? defaultBranch;
      if (!base || !heads.has(base)) {
        throw new NotFoundError(
          `Branch ${base ?? '(default)'} does not exist in ${redact(
            request.repoUrl,
          )}`,
        );
      }
      await git('fetch', '--quiet', '--depth', '1', 'origin', base);
      await git('checkout', '--quiet', '-B', 'paved-work', 'FETCH_HEAD');
      const baseSha = heads.get(base)!;
      const baseTree = (await git('rev-parse', 'HEAD^{tree}')).trim();
      for (const file of request.files) {
        let target: string;
        try {
          target = resolveSafeChildPath(dir, file.path);
        } catch {
          throw new InputError(`${file.path} is outside the repository`);
        }
        if (target === dir || file.path.split('/').includes('.git'))
          throw new InputError(`${file.path} is not a file Paved may write`);
        if (file.content === null) {
          await fs.rm(target, { force: true });
        } else {
          await fs.mkdir(path.dirname(target), { recursive: true });
          await fs.writeFile(
            target,
            Buffer.from(
              file.content,
              file.encoding === 'base64' ? 'base64' : 'utf8',
            ),
            { mode: file.executable ? 0o755 : 0o644 },
          );
          await fs.chmod(target, file.executable ? 0o755 : 0o644);
        }
      }
      await git('add', '--all');
      const tree = (await git('write-tree')).trim();
      if (request.mode === 'commit') {
        if (tree === baseTree)
          return { changed: false, commitSha: baseSha, branch: base };
        await git('commit', '--quiet', '--no-verify', '-m', request.message);
        const sha = (await git('rev-parse', 'HEAD')).trim();
        try {
          await git('push', '--quiet', 'origin', `HEAD:refs/heads/${base}`);
        } catch (error) {
          throw new ConflictError(
            `${base} of ${redact(
              request.repoUrl,
            )} moved while Paved was committing; run again (${
              (error as Error).message
            })`,
          );
        }
        return { changed: true, commitSha: sha, branch: base };
      }
      if (tree === baseTree)
        return { changed: false, commitSha: baseSha, branch: base };
      const existing = heads.get(request.branch);
      if (existing) {
        await git('fetch', '--quiet', '--depth', '1', 'origin', request.branch);
        if ((await git('rev-parse', 'FETCH_HEAD^{tree}')).trim() === tree)
          return {
            changed: false,
            commitSha: existing,
            branch: request.branch,
          };
      }
      await git('commit', '--quiet', '--no-verify', '-m', request.message);
      const sha = (await git('rev-parse', 'HEAD')).trim();
      await git(
        'push',
        '--quiet',
        '--force',
        'origin',
        `HEAD:refs/heads/${request.branch}`,
      );
      return { changed: true, commitSha: sha, branch: request.branch };
    });
  }
}
