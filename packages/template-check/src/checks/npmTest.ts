import fs from 'node:fs/promises';
import path from 'node:path';
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

const problem = (file: string, message: string): CheckResult => ({
  check: 'npm-test',
  files: [file],
  problems: [{ check: 'npm-test', file, message }],
});

/**
 * The service's package as CI needs it, without running anything: a committed lockfile that belongs to this
 * package.json (`npm ci` refuses anything else), and `lint` and `test` scripts (what the platform's node-build and
 * node-test workflows run).
 */
export async function checkPackage(
  dir: string,
  files: string[],
): Promise<CheckResult> {
  if (!files.includes('package.json'))
    return { check: 'package', files: [], problems: [] };
  const problems: CheckResult['problems'] = [];
  const add = (file: string, message: string) =>
    problems.push({ check: 'package', file, message });
  let pkg: any;
  try {
    pkg = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return { check: 'package', files: ['package.json'], problems }; // the syntax check reports it
  }
  for (const script of ['lint', 'test'])
    if (!pkg.scripts?.[script])
      add(
        'package.json',
        `no "${script}" script: the platform's workflows run npm run ${script}`,
      );
  if (!files.includes('package-lock.json')) {
    add(
      'package.json',
      'no package-lock.json: CI installs with npm ci, which needs the committed lockfile',
    );
  } else {
    try {
      const lock = JSON.parse(
        await fs.readFile(path.join(dir, 'package-lock.json'), 'utf8'),
      );
      const root = lock.packages?.[''] ?? {};
      for (const key of ['name', 'version'])
        if (root[key] !== pkg[key])
          add(
            'package-lock.json',
            `its ${key} "${root[key]}" is not package.json's "${pkg[key]}": the lockfile belongs to another package`,
          );
      for (const kind of ['dependencies', 'devDependencies'])
        for (const [dep, range] of Object.entries(pkg[kind] ?? {}))
          if (root[kind]?.[dep] !== range)
            add(
              'package-lock.json',
              `${kind} ${dep}@${range} is not what the lockfile was made for: npm ci would refuse it (run npm install and commit the lockfile)`,
            );
    } catch {
      // the syntax check reports it
    }
  }
  return {
    check: 'package',
    files: ['package.json', 'package-lock.json'].filter(f => files.includes(f)),
    problems,
  };
}

/**
 * The generated service as its CI runs it: `npm ci` from the committed lockfile (no install scripts; a missing or
 * out-of-date lockfile fails here, as it would in CI), then `npm run lint` when the service has a lint script, then
 * `npm test`.
 */
export async function checkNpmTest(
  dir: string,
  files: string[],
): Promise<CheckResult> {
  if (!files.includes('package.json'))
    return { check: 'npm-test', files: [], problems: [] };
  if (!files.includes('package-lock.json'))
    return problem(
      'package.json',
      'no package-lock.json: CI installs with npm ci, which needs the committed lockfile',
    );
  const install = await run(
    dir,
    ['ci', '--no-audit', '--no-fund', '--ignore-scripts'],
    300_000,
  );
  if (install.code !== 0)
    return problem(
      'package-lock.json',
      `npm ci failed:\n${install.output.slice(-2000)}`,
    );
  const scripts =
    JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8'))
      .scripts ?? {};
  for (const script of ['lint', 'test']) {
    if (script === 'lint' && !scripts.lint) continue;
    const result = await run(dir, ['run', script], 300_000);
    if (result.code !== 0)
      return problem(
        'package.json',
        `npm run ${script} failed:\n${result.output.slice(-3000)}`,
      );
  }
  return {
    check: 'npm-test',
    files: ['package.json', 'package-lock.json'],
    problems: [],
  };
}
