import { spawn } from 'node:child_process';

/** Runs one task or migration command in `cwd`; strings go through `sh -c`, lists run as argv. */
export function runCommand(
  command: string | string[],
  cwd: string,
  env: Record<string, string>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const [file, args] = Array.isArray(command)
      ? [command[0], command.slice(1)]
      : ['sh', ['-c', command]];
    const child = spawn(file, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', code =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `Command ${JSON.stringify(
                command,
              )} failed with exit code ${code}`,
            ),
          ),
    );
  });
}
