import fs from 'node:fs/promises';
import path from 'node:path';
import { run } from './git';

/** Labels on conflict markers, as copier writes them. */
const LABELS = ['before updating', 'last update', 'after updating'];

/** Whether content is binary, by git's own rule: a NUL byte in the first 8000 bytes. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

let counter = 0;

/**
 * Three-way merge of one file with git's own machinery (`git merge-file`): the template's change from `base` to
 * `theirs` applied onto the instance's `ours`. Conflicting hunks come back as inline markers.
 */
export async function mergeFile(
  tmpDir: string,
  base: Buffer,
  ours: Buffer,
  theirs: Buffer,
): Promise<{ content: Buffer; conflicts: number }> {
  const id = `${process.pid}-${++counter}`;
  const files = ['ours', 'base', 'theirs'].map(name =>
    path.join(tmpDir, `${id}.${name}`),
  );
  await Promise.all([
    fs.writeFile(files[0], ours),
    fs.writeFile(files[1], base),
    fs.writeFile(files[2], theirs),
  ]);
  try {
    // Exit status is the number of conflicts (capped at 127); above that is an error.
    const result = await run(
      'git',
      [
        'merge-file',
        '-p',
        '-L',
        LABELS[0],
        '-L',
        LABELS[1],
        '-L',
        LABELS[2],
        ...files,
      ],
      { okCodes: Array.from({ length: 127 }, (_, i) => i + 1) },
    );
    return { content: result.stdout, conflicts: result.code };
  } finally {
    await Promise.all(files.map(f => fs.rm(f, { force: true })));
  }
}

/** A unified diff of the template's change to one file (`base` → `theirs`), for `.rej` files. */
export async function templateDiff(
  tmpDir: string,
  rel: string,
  base: Buffer,
  theirs: Buffer,
): Promise<string> {
  const id = `${process.pid}-${++counter}`;
  const [a, b] = [`${id}.a`, `${id}.b`];
  await Promise.all([
    fs.writeFile(path.join(tmpDir, a), base),
    fs.writeFile(path.join(tmpDir, b), theirs),
  ]);
  try {
    const result = await run(
      'git',
      ['diff', '--no-index', '--no-color', '--no-ext-diff', a, b],
      {
        cwd: tmpDir,
        okCodes: [1],
      },
    );
    const lines = result.stdout.toString('utf8').split('\n');
    const start = lines.findIndex(line => line.startsWith('--- '));
    return [`--- a/${rel}`, `+++ b/${rel}`, ...lines.slice(start + 2)].join(
      '\n',
    );
  } finally {
    await Promise.all(
      [path.join(tmpDir, a), path.join(tmpDir, b)].map(f =>
        fs.rm(f, { force: true }),
      ),
    );
  }
}
