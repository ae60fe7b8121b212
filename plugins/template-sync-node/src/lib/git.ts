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
  /** Time limit; default {@link commandTimeoutMs} (60 s unless set). The command is killed when it is reached. */
  timeoutMs?: number;
}

let defaultTimeoutMs = 60_000;

/** The time limit of every git (and tar) subprocess the engine starts, unless a call gives its own. @public */
export function setCommandTimeout(ms: number): void {
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(
      `A command time limit must be a positive number of milliseconds, not ${ms}`,
    );
  }
  defaultTimeoutMs = ms;
}

/** The current default time limit of engine subprocesses, in milliseconds. */
export function commandTimeoutMs(): number {
  return defaultTimeoutMs;
}

/**
 * Kills `child` and every process it started (git runs its transports as children, which hold its output open) when
 * `ms` pass first; returns a function that cancels the timer. The child must be spawned `detached` (its own process
 * group).
 */
function limit(
  child: { pid?: number; kill(signal: NodeJS.Signals): boolean },
  ms: number,
  onTimeout: () => void,
): () => void {
  const timer = setTimeout(() => {
    onTimeout();
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, ms);
  return () => clearTimeout(timer);
}

/**
 * Git's behaviour must not depend on the user's terminal or locale: no prompts for credentials (a missing template
 * fails fast), messages in English so errors can be recognised.
 */
const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: 'true',
  LC_ALL: 'C',
  // Only transports a template source may use: never ext:: (runs a command) or fd::.
  GIT_ALLOW_PROTOCOL: 'https:http:ssh:file',
};

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly args: string[],
    readonly result: RunResult,
    /** The time limit that was reached, when the command was killed for it. */
    readonly timedOutAfterMs?: number,
  ) {
    super(
      timedOutAfterMs
        ? `${command} ${
            args[0] === '--git-dir' ? args[2] : args[0]
          } took longer than ${timedOutAfterMs / 1000} s and was stopped`
        : `${command} ${args.join(' ')} failed (exit ${
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
      // Its own process group, so a time limit stops git's transport helpers too.
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const ms = options.timeoutMs ?? defaultTimeoutMs;
    let timedOut = false;
    const cancel = limit(child, ms, () => {
      timedOut = true;
      reject(
        new CommandError(
          command,
          args,
          { stdout: Buffer.alloc(0), stderr: '', code: -1 },
          ms,
        ),
      );
    });
    child.stdout.on('data', chunk => out.push(chunk));
    child.stderr.on('data', chunk => err.push(chunk));
    child.on('error', error => {
      cancel();
      reject(error);
    });
    child.on('close', code => {
      cancel();
      const result = {
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        code: code ?? -1,
      };
      if (timedOut) {
        return; // already refused
      } else if (code === 0 || options.okCodes?.includes(code ?? -1)) {
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
        detached: true,
      },
    );
    const tar = spawn('tar', ['-x', '-C', targetDir], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const ms = defaultTimeoutMs;
    let timedOut = false;
    const stop = () => {
      timedOut = true;
      tar.kill('SIGKILL');
    };
    const cancel = limit(archive, ms, stop);
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
          cancel();
          if (timedOut)
            reject(
              new CommandError(
                'git',
                ['archive', treeish],
                { stdout: Buffer.alloc(0), stderr: '', code: -1 },
                ms,
              ),
            );
          else if (failure) reject(failure);
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
