import { parse as parseYaml } from 'yaml';
import { shown, TemplateError } from '../errors';
import type { Choice, Question, QuestionType } from './config';
import { isTruthy, Jinja } from './jinja';

/** The answers of one render: every question's value, and which of them the answers file records. */
export interface ResolvedAnswers {
  /** Every question's value, as templates see them. */
  values: Record<string, unknown>;
  /** The answers the answers file records: asked, not secret. */
  recorded: Record<string, unknown>;
}

export interface ResolveOptions {
  /** Answers given now (`--data`, form values); they win over recorded ones. */
  data?: Record<string, unknown>;
  /** Answers recorded by an earlier render (update). */
  previous?: Record<string, unknown>;
  /** Use each question's default for questions nobody answered, instead of failing. */
  defaults?: boolean;
  /** Context available to every template besides the answers (`_copier_conf`, …). */
  context?: Record<string, unknown>;
  /** Replaying a recorded version: an answer taken from a default is used as it is, not validated (as copier). */
  replay?: boolean;
}

/** Casts a raw answer (often a string from `--data` or a form) to the question's type. */
export function castAnswer(question: Question, raw: unknown): unknown {
  const where = `answer "${question.name}"`;
  const type: QuestionType = question.type;
  if (question.multiselect) {
    const list = typeof raw === 'string' ? parseYaml(raw) : raw;
    if (!Array.isArray(list))
      throw new TemplateError(
        'INVALID_INPUT',
        `${where} must be a list (multiselect)`,
      );
    return list.map(item =>
      castAnswer({ ...question, multiselect: false }, item),
    );
  }
  switch (type) {
    case 'str':
      if (raw === null || raw === undefined) return '';
      if (typeof raw === 'object')
        throw new TemplateError('INVALID_INPUT', `${where} must be text`);
      return String(raw);
    case 'int': {
      const n = asNumber(raw);
      if (!Number.isInteger(n) || String(raw).trim() === '') {
        throw new TemplateError(
          'INVALID_INPUT',
          `${where} must be a whole number, got ${shown(raw)}`,
        );
      }
      return n;
    }
    case 'float': {
      const n = asNumber(raw);
      if (Number.isNaN(n) || String(raw).trim() === '') {
        throw new TemplateError(
          'INVALID_INPUT',
          `${where} must be a number, got ${shown(raw)}`,
        );
      }
      return n;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const v = String(raw).trim().toLowerCase();
      if (['y', 'yes', 'true', 'on', '1'].includes(v)) return true;
      if (['n', 'no', 'false', 'off', '0'].includes(v)) return false;
      throw new TemplateError(
        'INVALID_INPUT',
        `${where} must be yes or no, got ${shown(raw)}`,
      );
    }
    case 'json':
      if (typeof raw !== 'string') return raw;
      try {
        return JSON.parse(raw);
      } catch {
        throw new TemplateError(
          'INVALID_INPUT',
          `${where} must be JSON, got ${shown(raw)}`,
        );
      }
    case 'yaml':
    default:
      if (typeof raw !== 'string') return raw;
      try {
        return parseYaml(raw);
      } catch {
        throw new TemplateError(
          'INVALID_INPUT',
          `${where} must be YAML, got ${shown(raw)}`,
        );
      }
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function renderChoices(
  question: Question,
  jinja: Jinja,
  context: Record<string, unknown>,
): Choice[] | undefined {
  if (question.choices === undefined) return undefined;
  if (typeof question.choices === 'string') {
    const list = parseYaml(
      jinja.render(question.choices, context, `choices of "${question.name}"`),
    );
    if (!Array.isArray(list)) {
      throw new TemplateError(
        'INVALID_INPUT',
        `copier.yml: choices of "${question.name}" must render to a list`,
      );
    }
    return list.map(v => ({ label: String(v), value: v }));
  }
  return question.choices.map(choice => ({
    ...choice,
    label: jinja.render(choice.label, context, `choice of "${question.name}"`),
    value: jinja.renderValue(
      choice.value,
      context,
      `choice of "${question.name}"`,
    ),
  }));
}

/**
 * Works out every question's answer in copier.yml order: given data first, then recorded answers, then the
 * question's (rendered) default when `defaults` is set. Validates types, choices and validators; a question whose
 * `when` is false takes its default and is not recorded; secret answers are not recorded.
 */
export function resolveAnswers(
  questions: Question[],
  jinja: Jinja,
  options: ResolveOptions = {},
): ResolvedAnswers {
  const {
    data = {},
    previous = {},
    defaults = false,
    context = {},
    replay = false,
  } = options;
  const values: Record<string, unknown> = {};
  const recorded: Record<string, unknown> = {};
  const missing: string[] = [];
  const known = new Set(questions.map(q => q.name));
  const unknown = Object.keys(data).filter(
    k => !known.has(k) && !k.startsWith('_'),
  );
  if (unknown.length) {
    throw new TemplateError(
      'INVALID_INPUT',
      `The template asks no question named ${unknown
        .map(k => `"${k}"`)
        .join(', ')}; it asks ${[...known].join(', ') || 'nothing'}`,
    );
  }

  for (const question of questions) {
    const ctx = { ...context, ...values };
    const where = `question "${question.name}"`;
    const renderedDefault =
      question.default === undefined
        ? undefined
        : jinja.renderValue(question.default, ctx, `default of ${where}`);
    const asked =
      typeof question.when === 'boolean'
        ? question.when
        : isTruthy(
            jinja.render(String(question.when), ctx, `when of ${where}`),
          );

    let raw: unknown;
    let fromDefault = false;
    if (!asked) {
      raw = renderedDefault;
    } else if (question.name in data) {
      raw = data[question.name];
    } else if (question.name in previous) {
      raw = previous[question.name];
    } else if (defaults && renderedDefault !== undefined) {
      raw = renderedDefault;
      fromDefault = true;
    } else {
      missing.push(question.name);
      continue;
    }
    if (raw === undefined) {
      values[question.name] = undefined;
      continue;
    }
    let value = castAnswer(question, raw);

    if (asked) {
      const validate = !(replay && fromDefault);
      const choices = renderChoices(question, jinja, ctx);
      if (choices && question.multiselect && Array.isArray(value)) {
        // copier records a multiselect answer in the choices' order, whatever order it was given in.
        const index = (item: unknown) =>
          choices.findIndex(c =>
            sameValue(
              castAnswer({ ...question, multiselect: false }, c.value),
              item,
            ),
          );
        const rank = (item: unknown) => {
          const i = index(item);
          return i < 0 ? choices.length : i;
        };
        value = [...value].sort((a, b) => rank(a) - rank(b));
      }
      if (choices && validate) {
        const picked = question.multiselect ? (value as unknown[]) : [value];
        for (const item of picked) {
          const choice = choices.find(c =>
            sameValue(
              castAnswer({ ...question, multiselect: false }, c.value),
              item,
            ),
          );
          if (!choice) {
            throw new TemplateError(
              'INVALID_INPUT',
              `answer "${question.name}" must be one of ${choices
                .map(c => JSON.stringify(c.value))
                .join(', ')}, got ${JSON.stringify(item)}`,
            );
          }
          const disabled = choice.validator
            ? jinja
                .render(choice.validator, ctx, `validator of ${where}`)
                .trim()
            : '';
          if (disabled) {
            throw new TemplateError(
              'INVALID_INPUT',
              `answer "${question.name}": choice ${JSON.stringify(
                item,
              )} is not available: ${disabled}`,
            );
          }
        }
      }
      if (question.validator && validate) {
        const message = jinja
          .render(
            question.validator,
            { ...ctx, [question.name]: value },
            `validator of ${where}`,
          )
          .trim();
        if (message) {
          throw new TemplateError(
            'INVALID_INPUT',
            `answer "${question.name}" is not valid: ${message}`,
          );
        }
      }
      if (!question.secret) recorded[question.name] = value;
    }
    values[question.name] = value;
  }

  if (missing.length) {
    throw new TemplateError(
      'INVALID_INPUT',
      `No answer for ${missing
        .map(m => `"${m}"`)
        .join(', ')}: pass them as data (--data ${missing[0]}=VALUE)${
        defaults
          ? ''
          : ', or use the defaults (--defaults) where the template has one'
      }`,
    );
  }
  return { values, recorded };
}

/** A number answer: a number, or text that reads as one; NaN for anything else (a list or object is never coerced). */
function asNumber(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') return Number(raw.trim());
  return NaN;
}
