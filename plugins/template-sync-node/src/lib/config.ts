import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TemplateError } from '../errors';
import type { EnvOps } from './jinja';
import { realpathInside } from './jinjaLoader';
import { pep440 } from './versions';

/**
 * copier's answer types.
 *
 * @public
 */
export type QuestionType = 'str' | 'int' | 'float' | 'bool' | 'json' | 'yaml';

/**
 * One choice of a question: what it is called and what it means.
 *
 * @public
 */
export interface Choice {
  label: string;
  value: unknown;
  /** Jinja template; a non-empty rendering disables the choice with that message. */
  validator?: string;
}

/**
 * A question from copier.yml. Strings may hold Jinja templates, rendered with the answers given so far.
 *
 * @public
 */
export interface Question {
  name: string;
  type: QuestionType;
  default?: unknown;
  help?: string;
  choices?: Choice[] | string;
  multiselect: boolean;
  /** Jinja condition (or boolean); a false one skips the question, uses its default and does not record it. */
  when: unknown;
  secret: boolean;
  /** Jinja template; a non-empty rendering rejects the answer with that message. */
  validator?: string;
}

/**
 * A migration step. With a `version` it runs when updating across it (`from < version <= to`, PEP 440); without one,
 * on every update.
 *
 * @public
 */
export interface Migration {
  version?: string;
  /** `any`: copier 9's forms, whose `when` decides per stage (`_stage`); without `when` it runs after. */
  stage: 'before' | 'after' | 'any';
  command: string | string[];
  when?: unknown;
  workingDirectory?: string;
}

/**
 * A task run after copy/update; never run unless the caller trusts the template.
 *
 * @public
 */
export interface Task {
  command: string | string[];
  when?: unknown;
  workingDirectory?: string;
}

/** @public */
export interface TemplateConfig {
  questions: Question[];
  subdirectory?: string;
  /** `_exclude` patterns, Jinja templates each (rendered per operation; a rendering may hold several lines). */
  exclude: string[];
  /** `_skip_if_exists` patterns, Jinja templates each. */
  skipIfExists: string[];
  /** `_answers_file`, a Jinja template. */
  answersFile: string;
  /** `_preserve_symlinks`: copy symlinks as symlinks instead of what they point at. */
  preserveSymlinks: boolean;
  templatesSuffix: string;
  envops: EnvOps;
  migrations: Migration[];
  tasks: Task[];
  /** Settings the engine reads but does not implement (reported, never silently ignored). */
  unsupported: string[];
}

/**
 * copier's default `_answers_file` (`DEFAULT_ANSWERS_FILE` of paved-common, which the render process does not load:
 * it is the one dependency that would double its start-up time).
 */
export const COPIER_ANSWERS_FILE = '.copier-answers.yml';

/**
 * copier's default `_exclude`.
 *
 * @public
 */
export const DEFAULT_EXCLUDE = [
  'copier.yaml',
  'copier.yml',
  '~*',
  '*.py[co]',
  '__pycache__',
  '.git',
  '.DS_Store',
  '.svn',
];

const IGNORED_SETTINGS = new Set([
  '_min_copier_version',
  '_message_before_copy',
  '_message_after_copy',
  '_message_before_update',
  '_message_after_update',
  '_skip_tasks',
  '_version',
  '_copier_conf',
]);

const TYPES: QuestionType[] = ['str', 'int', 'float', 'bool', 'json', 'yaml'];

function fail(message: string): never {
  throw new TemplateError('INVALID_INPUT', `copier.yml: ${message}`);
}

function stringList(value: unknown, key: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every(v => typeof v === 'string'))
    return value;
  return fail(`${key} must be a list of strings`);
}

function inferType(value: unknown): QuestionType {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  return 'yaml';
}

function parseChoices(
  name: string,
  raw: unknown,
): Choice[] | string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return raw; // a Jinja template rendering to a YAML list
  const toChoice = (label: string, value: unknown): Choice => {
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      'value' in value
    ) {
      const v = value as { value: unknown; validator?: string };
      return { label, value: v.value, validator: v.validator };
    }
    return { label, value };
  };
  if (Array.isArray(raw)) {
    return raw.map(item =>
      Array.isArray(item) && item.length === 2
        ? toChoice(String(item[0]), item[1])
        : toChoice(String(item), item),
    );
  }
  if (typeof raw === 'object') {
    return Object.entries(raw as Record<string, unknown>).map(
      ([label, value]) => toChoice(label, value),
    );
  }
  return fail(`question "${name}": choices must be a list or a mapping`);
}

function parseQuestion(name: string, raw: unknown): Question {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    fail(`question name "${name}" must be an identifier (letters, digits, _)`);
  }
  const spec =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? (raw as Record<string, unknown>)
      : { default: raw, type: inferType(raw) };
  const type =
    (spec.type as QuestionType | undefined) ??
    (spec.default === undefined ? 'str' : inferType(spec.default));
  if (!TYPES.includes(type)) {
    fail(
      `question "${name}": type "${String(
        spec.type,
      )}" is not one of ${TYPES.join(', ')}`,
    );
  }
  return {
    name,
    type,
    default: spec.default,
    help: typeof spec.help === 'string' ? spec.help : undefined,
    choices: parseChoices(name, spec.choices),
    multiselect: spec.multiselect === true,
    when: spec.when ?? true,
    secret: spec.secret === true,
    validator: typeof spec.validator === 'string' ? spec.validator : undefined,
  };
}

function command(value: unknown, where: string): string | string[] {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length)
    return value.map(part =>
      typeof part === 'string' || typeof part === 'number'
        ? String(part)
        : fail(`${where}: each argument must be a string`),
    );
  return fail(`${where} must be a command (a string or a list of arguments)`);
}

function parseMigrations(raw: unknown): Migration[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return fail('_migrations must be a list');
  return raw.flatMap((item, i): Migration[] => {
    const where = `_migrations[${i}]`;
    // copier 9: a command alone (a string or an argument list) runs after every update.
    if (typeof item === 'string' || Array.isArray(item))
      return [{ stage: 'any', command: command(item, where) }];
    if (!item || typeof item !== 'object')
      return fail(`${where} must be a command or a mapping`);
    const m = item as Record<string, unknown>;
    if (
      m.version !== undefined &&
      typeof m.version !== 'string' &&
      typeof m.version !== 'number'
    ) {
      return fail(`${where}: version must be a string`);
    }
    const version = m.version === undefined ? undefined : String(m.version);
    if (version !== undefined && !pep440(version))
      fail(`${where}: version "${version}" is not a PEP 440 version`);
    if ('command' in m) {
      // copier 9: { command, version?, when?, working_directory? } where `when` usually tests `_stage`
      return [
        {
          version,
          stage: 'any',
          command: command(m.command, `${where}.command`),
          when: m.when,
          workingDirectory:
            typeof m.working_directory === 'string'
              ? m.working_directory
              : undefined,
        },
      ];
    }
    if (version === undefined)
      return fail(`${where} needs a command (or a version with before/after)`);
    const steps: Migration[] = [];
    for (const stage of ['before', 'after'] as const) {
      const list = m[stage] ?? [];
      if (!Array.isArray(list)) fail(`${where}.${stage} must be a list`);
      for (const [j, step] of (list as unknown[]).entries()) {
        steps.push({
          version,
          stage,
          command: command(step, `${where}.${stage}[${j}]`),
        });
      }
    }
    return steps;
  });
}

function parseTasks(raw: unknown): Task[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return fail('_tasks must be a list');
  return raw.map(item => {
    if (typeof item === 'string' || Array.isArray(item))
      return { command: item };
    const t = item as Record<string, unknown>;
    return {
      command: t.command as string | string[],
      when: t.when,
      workingDirectory:
        typeof t.working_directory === 'string'
          ? t.working_directory
          : undefined,
    };
  });
}

/**
 * Parses the text of copier.yml (one YAML document, or several that are merged as copier does).
 *
 * @public
 */
export function parseTemplateConfig(text: string): TemplateConfig {
  let docs: unknown[];
  try {
    docs = text
      .split(/^---\s*$/m)
      .map(part => parseYaml(part))
      .filter(d => d !== null && d !== undefined);
  } catch (error) {
    return fail(`not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const data: Record<string, unknown> = {};
  for (const doc of docs) {
    if (typeof doc !== 'object' || Array.isArray(doc))
      fail('must be a mapping of questions and settings');
    Object.assign(data, doc);
  }

  const questions: Question[] = [];
  const unsupported: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!key.startsWith('_')) {
      questions.push(parseQuestion(key, value));
    } else if (
      ![
        '_subdirectory',
        '_exclude',
        '_skip_if_exists',
        '_answers_file',
        '_templates_suffix',
        '_envops',
        '_migrations',
        '_tasks',
        '_preserve_symlinks',
        '_secret_questions',
      ].includes(key) &&
      !IGNORED_SETTINGS.has(key)
    ) {
      unsupported.push(key);
    }
  }
  const answersFile = data._answers_file ?? COPIER_ANSWERS_FILE;
  if (typeof answersFile !== 'string') fail('_answers_file must be a string');
  const suffix = data._templates_suffix ?? '.jinja';
  if (typeof suffix !== 'string') fail('_templates_suffix must be a string');
  const envops = (data._envops ?? {}) as EnvOps;
  if (typeof envops !== 'object' || Array.isArray(envops))
    fail('_envops must be a mapping');

  const secret = new Set(
    stringList(data._secret_questions, '_secret_questions'),
  );
  for (const name of secret) {
    const question = questions.find(q => q.name === name);
    if (!question)
      fail(`_secret_questions names "${name}", which is not a question`);
    question.secret = true;
  }
  return {
    questions,
    preserveSymlinks: data._preserve_symlinks === true,
    subdirectory:
      typeof data._subdirectory === 'string' && data._subdirectory
        ? data._subdirectory
        : undefined,
    exclude:
      data._exclude === undefined
        ? DEFAULT_EXCLUDE
        : stringList(data._exclude, '_exclude'),
    skipIfExists: stringList(data._skip_if_exists, '_skip_if_exists'),
    answersFile,
    templatesSuffix: suffix,
    envops,
    migrations: parseMigrations(data._migrations),
    tasks: parseTasks(data._tasks),
    unsupported,
  };
}

/** Reads copier.yml (or copier.yaml) from an extracted template; a template without one has default settings. */
export async function readTemplateConfig(
  templateDir: string,
): Promise<TemplateConfig> {
  for (const name of ['copier.yml', 'copier.yaml']) {
    try {
      const file = path.join(templateDir, name);
      realpathInside(templateDir, file, name);
      return parseTemplateConfig(await fs.readFile(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  // As copier: the file is optional; without it the template has no questions and copier's default settings.
  return parseTemplateConfig('');
}
