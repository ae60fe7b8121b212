import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { realpathInside } from './jinjaLoader';
import {
  DEFAULT_ANSWERS_FILE,
  parseAnswersFile,
  AnswersFileError,
  ParsedAnswers,
} from '@paved/plugin-paved-common';
import { TemplateError } from '../errors';
import { normaliseRelative } from './paths';
import { runCommand } from './tasks';
import type { Task } from './config';
import { isTruthy, Jinja } from './jinja';

/** Runs `fn` with a private temporary folder that is removed afterwards, whatever happens. */
export async function withTempDir<T>(
  parent: string | undefined,
  fn: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await fs.mkdtemp(
    path.join(parent ?? os.tmpdir(), 'paved-template-'),
  );
  try {
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Reads and parses an instance's answers file. */
export async function readAnswers(
  dst: string,
  answersFile: string,
): Promise<ParsedAnswers> {
  let text: string;
  try {
    // The instance is a repository someone else wrote: its answers file may be a symlink to the renderer's own files.
    const real = realpathInside(
      dst,
      path.join(dst, answersFile),
      'The answers file',
      'the instance',
    );
    text = await fs.readFile(real ?? path.join(dst, answersFile), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new TemplateError(
        'NOT_FOUND',
        `${answersFile} not found in ${dst}: is this a template instance? (--answers-file names another file)`,
      );
    }
    throw error;
  }
  try {
    return parseAnswersFile(text, answersFile);
  } catch (error) {
    if (error instanceof AnswersFileError)
      throw new TemplateError('INVALID_INPUT', error.message);
    throw error;
  }
}

/** An instance's answers file path (default `.copier-answers.yml`, checked to stay inside it) and what it records. */
export async function readInstanceAnswers(
  dst: string,
  answersFile: string | undefined,
): Promise<{ answersRel: string; recorded: ParsedAnswers }> {
  const answersRel = normaliseRelative(
    answersFile ?? DEFAULT_ANSWERS_FILE,
    'Answers file',
  );
  return { answersRel, recorded: await readAnswers(dst, answersRel) };
}

/** Runs the template's tasks when trusted; otherwise reports how many were not run. */
export async function runTasks(
  tasks: Task[],
  options: {
    trust?: boolean;
    dst: string;
    jinja: Jinja;
    context: Record<string, unknown>;
  },
): Promise<{ ran: number; skipped: number }> {
  if (!tasks.length) return { ran: 0, skipped: 0 };
  if (!options.trust) return { ran: 0, skipped: tasks.length };
  let ran = 0;
  for (const task of tasks) {
    if (
      task.when !== undefined &&
      !isTruthy(
        options.jinja.render(String(task.when), options.context, 'task when'),
      )
    )
      continue;
    const command = options.jinja.renderValue(
      task.command,
      options.context,
      'task',
    );
    const cwd = task.workingDirectory
      ? path.resolve(options.dst, task.workingDirectory)
      : options.dst;
    await runCommand(command, cwd, { STAGE: 'task' });
    ran++;
  }
  return { ran, skipped: 0 };
}
