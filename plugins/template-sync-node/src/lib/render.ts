import fs from 'node:fs/promises';
import path from 'node:path';
import ignore, { Ignore } from 'ignore';
import { TemplateError } from '../errors';
import { readTemplateConfig, TemplateConfig } from './config';
import { Jinja, toNiceYaml } from './jinja';
import { realpathInside } from './jinjaLoader';
import { normaliseRelative } from './paths';
import { resolveAnswers, ResolvedAnswers } from './questions';

/** One rendered file. */
export interface RenderedFile {
  content: Buffer;
  executable: boolean;
}

/** What a render produced, as plain data (it crosses the boundary of the render process). */
export interface RenderData {
  files: Map<string, RenderedFile>;
  config: TemplateConfig;
  answers: ResolvedAnswers;
  /** Instance-relative path of the answers file. */
  answersFile: string;
  /** The `_copier_answers` written to the answers file. */
  copierAnswers: Record<string, unknown>;
  context: Record<string, unknown>;
}

/** A template rendered in memory: instance-relative paths to contents, plus what the engine needs to apply it. */
export interface Rendering extends RenderData {
  isExcluded(rel: string): boolean;
  isSkipIfExists(rel: string): boolean;
  jinja: Jinja;
}

export interface RenderOptions {
  /** Folder the version was extracted to. */
  templateDir: string;
  /** `_src_path` to record. */
  srcPath: string;
  /** `_commit` to record. */
  recordedVersion: string;
  commit: string;
  /** Where the instance lives (for `_copier_conf.dst_path` and `_folder_name`). */
  dstPath: string;
  /** Answers file path, overriding the template's `_answers_file`. */
  answersFile?: string;
  data?: Record<string, unknown>;
  previous?: Record<string, unknown>;
  defaults?: boolean;
  /** An undefined variable in a file's contents or name is an error, not empty text (template authors' checks). */
  strictUndefined?: boolean;
}

export const ANSWERS_HEADER =
  '# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n';

function matcher(patterns: string[]): Ignore {
  return ignore().add(patterns);
}

/** Renders a template version with answers, in memory. Reads only the template; writes nothing. */
export async function renderTemplate(
  options: RenderOptions,
): Promise<Rendering> {
  return withHelpers(await renderData(options), options.templateDir);
}

/** Adds to a render's data what applying it needs: the matchers of `_exclude`/`_skip_if_exists`, and the engine. */
export function withHelpers(data: RenderData, templateDir: string): Rendering {
  const excluded = matcher(data.config.exclude);
  const skip = matcher(data.config.skipIfExists);
  return {
    ...data,
    jinja: new Jinja({ root: templateDir, envops: data.config.envops }),
    isExcluded: rel => excluded.ignores(rel),
    isSkipIfExists: rel => skip.ignores(rel),
  };
}

/** The render itself, as plain data: what the render process sends back. */
export async function renderData(options: RenderOptions): Promise<RenderData> {
  const config = await readTemplateConfig(options.templateDir);
  const jinja = new Jinja({ root: options.templateDir, envops: config.envops });
  // Questions' defaults and conditions may test undefined answers; what the template writes may not use them.
  const output = options.strictUndefined
    ? new Jinja({
        root: options.templateDir,
        envops: config.envops,
        strictUndefined: true,
      })
    : jinja;
  const answersFile = normaliseRelative(
    options.answersFile ?? config.answersFile,
    'Answers file',
  );
  const copierConf = {
    answers_file: answersFile,
    src_path: options.srcPath,
    dst_path: options.dstPath,
    vcs_ref: options.recordedVersion,
    vcs_ref_hash: options.commit,
    defaults: Boolean(options.defaults),
    data: options.data ?? {},
    sep: '/',
    os: 'linux',
  };
  const baseContext = {
    _copier_conf: copierConf,
    _folder_name: path.basename(options.dstPath),
  };
  const answers = resolveAnswers(config.questions, jinja, {
    data: options.data,
    previous: options.previous,
    defaults: options.defaults,
    context: baseContext,
  });
  const copierAnswers = {
    ...answers.recorded,
    _commit: options.recordedVersion,
    _src_path: options.srcPath,
  };
  const context = {
    ...baseContext,
    ...answers.values,
    _copier_answers: copierAnswers,
  };

  const excluded = matcher(config.exclude);
  const subdirectory = config.subdirectory
    ? normaliseRelative(
        jinja.render(config.subdirectory, context, '_subdirectory').trim(),
        '_subdirectory',
      )
    : '';
  const root = subdirectory
    ? path.join(options.templateDir, subdirectory)
    : options.templateDir;
  if (subdirectory) {
    // A `_subdirectory` that is (or passes through) a symlink must still end inside the template.
    const real = realpathInside(options.templateDir, root, '_subdirectory');
    if (!real || !(await fs.stat(real)).isDirectory()) {
      throw new TemplateError(
        'INVALID_INPUT',
        `_subdirectory "${subdirectory}" is not a folder of the template`,
      );
    }
  }
  const suffix = config.templatesSuffix;
  const files = new Map<string, RenderedFile>();

  const delimiters = [
    config.envops.variable_start_string ?? '{{',
    config.envops.block_start_string ?? '{%',
  ];
  const renderName = (raw: string, where: string, ctx: typeof context) =>
    delimiters.some(d => raw.includes(d))
      ? output.render(raw, ctx, where)
      : raw;

  /**
   * copier's `yield` tag in a file or folder name: `{% yield item from items %}{{ item }}{% endyield %}` makes one
   * entry per item, with `item` in scope for its name, its contents and everything below it. One per name.
   */
  const expandName = (
    raw: string,
    where: string,
    ctx: typeof context,
  ): Array<{ name: string; ctx: typeof context }> => {
    const tag =
      /\{%-?\s*yield\s+([A-Za-z_]\w*)\s+from\s+([\s\S]+?)\s*-?%\}([\s\S]*?)\{%-?\s*endyield\s*-?%\}/;
    const m = tag.exec(raw);
    if (!m) return [{ name: renderName(raw, where, ctx), ctx }];
    const rest = raw.slice(0, m.index) + raw.slice(m.index + m[0].length);
    if (/\{%-?\s*yield\b/.test(rest))
      throw new TemplateError(
        'INVALID_INPUT',
        `${where} has more than one yield tag; copier allows one per name`,
      );
    const [, variable, expression, body] = m;
    const listed = output.render(`{{ (${expression}) | tojson }}`, ctx, where);
    let items: unknown;
    try {
      items = JSON.parse(listed);
    } catch {
      items = undefined;
    }
    if (!Array.isArray(items))
      throw new TemplateError(
        'INVALID_INPUT',
        `${where}: yield ${variable} from ${expression} needs a list, not ${listed}`,
      );
    const template = `${raw.slice(0, m.index)}${body}${raw.slice(
      m.index + m[0].length,
    )}`;
    return items.map(item => {
      const itemCtx = { ...ctx, [variable]: item };
      return { name: renderName(template, where, itemCtx), ctx: itemCtx };
    });
  };

  // Entries are read concurrently (a template is hundreds of small files) and collected in a stable order.
  async function walk(
    srcRel: string,
    dstRel: string,
    ctx: typeof context,
  ): Promise<Array<[string, RenderedFile]>> {
    const entries = await fs.readdir(path.join(root, srcRel), {
      withFileTypes: true,
    });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    const parts = await Promise.all(
      entries.map(async (entry): Promise<Array<[string, RenderedFile]>> => {
        const srcPath = srcRel ? `${srcRel}/${entry.name}` : entry.name;
        if (entry.name === '.git') return [];
        const isDir = entry.isDirectory();
        if (excluded.ignores(isDir ? `${srcPath}/` : srcPath)) return [];

        const isTemplate =
          !isDir && (suffix === '' || entry.name.endsWith(suffix));
        const rawName =
          !isDir && suffix && isTemplate
            ? entry.name.slice(0, -suffix.length)
            : entry.name;
        const expanded = await Promise.all(
          expandName(rawName, `name of ${srcPath}`, ctx).map(
            async ({
              name,
              ctx: entryCtx,
            }): Promise<Array<[string, RenderedFile]>> => {
              if (!name.trim()) return []; // copier: a name rendering empty means "do not create"
              const dstPath = normaliseRelative(
                dstRel ? `${dstRel}/${name}` : name,
                `Rendered path of ${srcPath}`,
              );
              if (excluded.ignores(isDir ? `${dstPath}/` : dstPath)) return [];

              if (entry.isSymbolicLink()) {
                throw new TemplateError(
                  'UNSAFE',
                  `The template contains a symlink (${srcPath}); templates with symlinks are not supported`,
                );
              }
              if (isDir) return walk(srcPath, dstPath, entryCtx);
              if (!entry.isFile()) return [];
              const handle = await fs.open(path.join(root, srcPath), 'r');
              try {
                const [raw, stat] = await Promise.all([
                  handle.readFile(),
                  handle.stat(),
                ]);
                const content = isTemplate
                  ? Buffer.from(
                      output.render(raw.toString('utf8'), entryCtx, srcPath),
                      'utf8',
                    )
                  : raw;
                return [
                  [dstPath, { content, executable: (stat.mode & 0o111) !== 0 }],
                ];
              } finally {
                await handle.close();
              }
            },
          ),
        );
        return expanded.flat();
      }),
    );
    return parts.flat();
  }
  for (const [rel, file] of await walk('', '', context)) {
    files.set(rel, file);
  }

  if (!files.has(answersFile)) {
    files.set(answersFile, {
      content: Buffer.from(ANSWERS_HEADER + toNiceYaml(copierAnswers), 'utf8'),
      executable: false,
    });
  }

  return { files, config, answers, answersFile, copierAnswers, context };
}
