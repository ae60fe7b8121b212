import { parse as parseYaml } from 'yaml';

/** Copier's default answers file name. @public */
export const DEFAULT_ANSWERS_FILE = '.copier-answers.yml';

/** An answer key: a Python/Jinja identifier, as copier's question names are. */
const answerKey = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The answers file a template instance carries, in copier's format: `_src_path` (where the template came from),
 * `_commit` (the version it was rendered at) and the answers to the template's questions. Other keys starting with
 * `_` are copier's own and are kept as they are.
 * @public
 */
export type AnswersFile = { _src_path: string; _commit?: string } & Record<
  string,
  unknown
>;

/**
 * Lists what is wrong with an answers file's mapping, one message per problem. Written without a schema library on
 * purpose: the template engine and the `paved` CLI parse answers files on every run, and this keeps them light.
 */
function answersFileIssues(raw: Record<string, unknown>): string[] {
  const issues: string[] = [];
  const src = raw._src_path;
  if (src === undefined) {
    issues.push(
      '_src_path: _src_path is required: the template source this instance was made from',
    );
  } else if (typeof src !== 'string') {
    issues.push('_src_path: _src_path must be a string');
  } else if (!src.trim()) {
    issues.push('_src_path: _src_path must not be empty');
  }
  const commit = raw._commit;
  if (commit !== undefined && typeof commit !== 'string') {
    issues.push('_commit: _commit must be a string such as "v1.2.0"');
  } else if (typeof commit === 'string' && !commit.trim()) {
    issues.push('_commit: _commit must not be empty');
  }
  for (const key of Object.keys(raw)) {
    if (!answerKey.test(key)) {
      issues.push(
        `${key}: "${key}" is not a valid answer name (letters, digits and _ only, not starting with a digit)`,
      );
    }
  }
  return issues;
}

/**
 * The parts of an answers file, split the way the template engine uses them.
 * @public
 */
export interface ParsedAnswers {
  /** Template source (`_src_path`). */
  srcPath: string;
  /** Template version the instance was last rendered at (`_commit`), when recorded. */
  commit?: string;
  /** Answers to the template's questions (keys without a leading `_`). */
  answers: Record<string, unknown>;
  /** Copier's other private keys (leading `_`, other than `_src_path` and `_commit`), kept for round-trips. */
  meta: Record<string, unknown>;
}

/**
 * Thrown when an answers file cannot be read; the message says what is wrong and where.
 * @public
 */
export class AnswersFileError extends Error {
  readonly name = 'AnswersFileError';
  constructor(message: string, readonly issues: string[] = []) {
    super(message);
  }
}

/**
 * Parses the text of an answers file.
 * @param text - the file's YAML
 * @param path - the file's path, used in error messages only
 * @public
 */
export function parseAnswersFile(
  text: string,
  path = DEFAULT_ANSWERS_FILE,
): ParsedAnswers {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new AnswersFileError(
      `${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AnswersFileError(
      `${path} must be a YAML mapping of answer names to values`,
    );
  }
  const issues = answersFileIssues(raw as Record<string, unknown>);
  if (issues.length) {
    throw new AnswersFileError(
      `${path} is not a valid answers file: ${issues.join('; ')}`,
      issues,
    );
  }
  const { _src_path: src, _commit: rawCommit, ...rest } = raw as AnswersFile;
  const srcPath = src.trim();
  const commit = rawCommit?.trim();
  const answers: Record<string, unknown> = {};
  const meta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    (key.startsWith('_') ? meta : answers)[key] = value;
  }
  return {
    srcPath,
    ...(commit === undefined ? {} : { commit }),
    answers,
    meta,
  };
}
