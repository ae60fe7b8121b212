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

/**
 * copier's `--conflict rej`: the template's new text with the instance's own change applied onto it hunk by hunk
 * (`git apply --reject` of the instance's diff, with `contextLines` of context as copier's `--context-lines`); the
 * hunks that do not apply are the `.rej` file, in git's own format. So the template's change always lands and the
 * instance's rejected change waits in the `.rej` (and in git history).
 */
export async function applyOwnChange(
  tmpDir: string,
  rel: string,
  base: Buffer,
  ours: Buffer,
  theirs: Buffer,
  contextLines: number,
): Promise<{ content: Buffer; rejected?: Buffer }> {
  const id = `${process.pid}-${++counter}`;
  const scratch = path.join(tmpDir, `${id}.apply`);
  const name = 'file';
  await fs.mkdir(scratch);
  try {
    await Promise.all([
      fs.writeFile(path.join(scratch, 'base'), base),
      fs.writeFile(path.join(scratch, 'ours'), ours),
      fs.writeFile(path.join(scratch, name), theirs),
    ]);
    const diff = await run(
      'git',
      [
        'diff',
        '--no-index',
        '--no-color',
        '--no-ext-diff',
        `--unified=${contextLines}`,
        '--inter-hunk-context=-1',
        'base',
        'ours',
      ],
      { cwd: scratch, okCodes: [1] },
    );
    const lines = diff.stdout.toString('utf8').split('\n');
    const start = lines.findIndex(line => line.startsWith('--- '));
    if (start < 0) return { content: theirs };
    const patch = [
      `--- a/${name}`,
      `+++ b/${name}`,
      ...lines.slice(start + 2),
    ].join('\n');
    await run(
      'git',
      [
        'apply',
        '--reject',
        '--whitespace=nowarn',
        ...(contextLines === 0 ? ['--unidiff-zero'] : []),
        '-',
      ],
      // Exit 1: some hunks were rejected (they are in file.rej).
      { cwd: scratch, input: patch, okCodes: [1] },
    );
    const content = await fs.readFile(path.join(scratch, name));
    const rejected = await fs
      .readFile(path.join(scratch, `${name}.rej`))
      .catch(() => undefined);
    return {
      content,
      rejected: rejected
        ? Buffer.from(
            rejected
              .toString('utf8')
              .replace(/^diff a\/file b\/file/, `diff a/${rel} b/${rel}`),
          )
        : undefined,
    };
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Records inline conflicts in git's index as copier does (stage 1 the last update's text, 2 the instance's, 3 the
 * template's new text), so `git status` shows them unmerged (`UU`) and IDEs and mergetools find them. `files` are
 * paths relative to the work tree's top with their three sides (a missing side is left out, as git does).
 */
export async function markUnmerged(
  top: string,
  files: Array<{
    path: string;
    base?: Buffer;
    theirs?: Buffer;
    executable?: boolean;
  }>,
): Promise<void> {
  if (!files.length) return;
  const hash = async (content: Buffer) =>
    (
      await run('git', ['hash-object', '-w', '--stdin'], {
        cwd: top,
        input: content,
      })
    ).stdout
      .toString('utf8')
      .trim();
  const staged = (
    await run(
      'git',
      ['ls-files', '--stage', '-z', '--', ...files.map(f => f.path)],
      {
        cwd: top,
      },
    )
  ).stdout
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  const ours = new Map(
    staged.map(line => {
      const [meta, file] = line.split('\t');
      const [mode, sha] = meta.split(' ');
      return [file, { mode, sha }];
    }),
  );
  const lines: string[] = [];
  for (const file of files) {
    const mode = file.executable ? '100755' : '100644';
    const entry = ours.get(file.path);
    lines.push(`0 ${'0'.repeat(40)}\t${file.path}`);
    if (file.base)
      lines.push(`${mode} ${await hash(file.base)} 1\t${file.path}`);
    if (entry) lines.push(`${entry.mode} ${entry.sha} 2\t${file.path}`);
    if (file.theirs)
      lines.push(`${mode} ${await hash(file.theirs)} 3\t${file.path}`);
  }
  await run('git', ['update-index', '--index-info'], {
    cwd: top,
    input: `${lines.join('\n')}\n`,
  });
}
