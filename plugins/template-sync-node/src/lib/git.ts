import { spawn } from 'node:child_process';

/** Result of a git (or other) command: its output and exit code. */
export interface RunResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are not failures (git merge-file returns the number of conflicts). */
  okCodes?: number[];
}

/**
 * Git's behaviour must not depend on the user's terminal or locale: no prompts for credentials (a missing template
 * fails fast), messages in English so errors can be recognised.
 */
const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: 'true',
  LC_ALL: 'C',
};

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly args: string[],
    readonly result: RunResult,
  ) {
    super(
      `${command} ${args.join(' ')} failed (exit ${
        result.code
      }): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  }
}

export function run(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...GIT_ENV, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', chunk => out.push(chunk));
    child.stderr.on('data', chunk => err.push(chunk));
    child.on('error', reject);
    child.on('close', code => {
      const result = {
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        code: code ?? -1,
      };
      if (code === 0 || options.okCodes?.includes(code ?? -1)) {
        resolve(result);
      } else {
        reject(new CommandError(command, args, result));
      }
    });
    child.stdin.on('error', () => {
      // the command may exit before reading its input; the exit code tells what happened
    });
    child.stdin.end(options.input);
  });
}

/** Runs git and returns its standard output as text. */
export async function git(
  args: string[],
  options: RunOptions = {},
): Promise<string> {
  const { stdout } = await run('git', args, options);
  return stdout.toString('utf8');
}

/** Pipes `git archive` of a tree into `tar -x`, so a version is materialised without a work tree or checkout. */
export function extractArchive(
  gitDir: string,
  treeish: string,
  targetDir: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const archive = spawn(
      'git',
      ['--git-dir', gitDir, 'archive', '--format=tar', treeish],
      {
        env: { ...process.env, ...GIT_ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const tar = spawn('tar', ['-x', '-C', targetDir], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let archiveErr = '';
    let tarErr = '';
    archive.stderr.on('data', c => (archiveErr += c));
    tar.stderr.on('data', c => (tarErr += c));
    archive.stdout.pipe(tar.stdin);
    let pending = 2;
    let failure: Error | undefined;
    const done =
      (what: string, stderr: () => string) => (code: number | null) => {
        if (code !== 0 && !failure) {
          failure = new Error(
            `${what} failed (exit ${code}): ${stderr().trim()}`,
          );
        }
        if (--pending === 0) {
          if (failure) reject(failure);
          else resolve();
        }
      };
    archive.on('error', reject);
    tar.on('error', reject);
    archive.on(
      'close',
      done(`git archive ${treeish}`, () => archiveErr),
    );
    tar.on(
      'close',
      done('tar -x', () => tarErr),
    );
  });
}
