import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: os.tmpdir(),
};

export function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' });
}

/** Files of a version: text or bytes to write, `null` to delete. */
export type Files = Record<string, string | Buffer | null>;

export function writeFiles(dir: string, files: Files): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    if (content === null) {
      fs.rmSync(abs, { force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** A temporary folder removed after the test file. */
export function tempDir(prefix = 'paved-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A template repository whose versions are commits tagged in order; each version's files apply on the previous. */
export function templateRepo(
  dir: string,
  versions: Array<{ tag: string; files: Files }>,
): string {
  fs.mkdirSync(dir, { recursive: true });
  sh(dir, 'init', '-q', '-b', 'main');
  for (const { tag, files } of versions) {
    writeFiles(dir, files);
    sh(dir, 'add', '-A');
    sh(dir, 'commit', '-q', '--allow-empty', '-m', `release ${tag}`);
    if (tag) sh(dir, 'tag', tag);
  }
  return dir;
}

/** Adds a version to an existing template repository. */
export function release(dir: string, tag: string, files: Files): void {
  writeFiles(dir, files);
  sh(dir, 'add', '-A');
  sh(dir, 'commit', '-q', '--allow-empty', '-m', `release ${tag}`);
  if (tag) sh(dir, 'tag', tag);
}

/** Makes `dir` a Git repository with everything in it committed. */
export function commitAll(dir: string, message = 'commit'): void {
  if (!fs.existsSync(path.join(dir, '.git')))
    sh(dir, 'init', '-q', '-b', 'main');
  sh(dir, 'add', '-A');
  sh(dir, 'commit', '-q', '--allow-empty', '-m', message);
}

export function read(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, rel), 'utf8');
}

export function exists(dir: string, rel: string): boolean {
  return fs.existsSync(path.join(dir, rel));
}
