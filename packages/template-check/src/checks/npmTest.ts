import { execFile } from 'node:child_process';
import type { CheckResult } from './types';

function run(cwd: string, args: string[], timeoutMs: number) {
  return new Promise<{ code: number; output: string }>(resolve => {
    execFile(
      'npm',
      args,
      {
        cwd,
        timeout: timeoutMs,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, CI: 'true' },
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) code = typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** The generated service's own tests: `npm install` (no install scripts), then `npm test`. */
export async function checkNpmTest(
  dir: string,
  files: string[],
): Promise<CheckResult> {
  if (!files.includes('package.json'))
    return { check: 'npm-test', files: [], problems: [] };
  const install = await run(
    dir,
    ['install', '--no-audit', '--no-fund', '--ignore-scripts'],
    300_000,
  );
  if (install.code !== 0) {
    return {
      check: 'npm-test',
      files: ['package.json'],
      problems: [
        {
          check: 'npm-test',
          file: 'package.json',
          message: `npm install failed:\n${install.output.slice(-2000)}`,
        },
      ],
    };
  }
  const test = await run(dir, ['test'], 300_000);
  return {
    check: 'npm-test',
    files: ['package.json'],
    problems:
      test.code === 0
        ? []
        : [
            {
              check: 'npm-test',
              file: 'package.json',
              message: `npm test failed:\n${test.output.slice(-3000)}`,
            },
          ],
  };
}
