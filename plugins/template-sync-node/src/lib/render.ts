import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import ignore, { Ignore } from 'ignore';
import { TemplateError } from '../errors';
import { readTemplateConfig, TemplateConfig } from './config';
import { Jinja, toNiceYaml } from './jinja';
import { realpathInside } from './jinjaLoader';
import { normaliseRelative } from './paths';
import { resolveAnswers, ResolvedAnswers } from './questions';

/** One rendered file, or (with `_preserve_symlinks`) a symlink whose `content` is its target. */
export interface RenderedFile {
  content: Buffer;
  executable: boolean;
  /** A symlink to `content` (a path relative to the link that stays inside the instance). */
  symlink?: boolean;
}

/** copier's operation, as `_copier_operation` in `_exclude`, `_skip_if_exists` and tasks. */
export type Operation = 'copy' | 'update';

/** What a render produced, as plain data (it crosses the boundary of the render process). */
export interface RenderData {
  files: Map<string, RenderedFile>;
  /** Folders the template has (empty ones too), instance-relative: copier creates them. */
  dirs: string[];
  config: TemplateConfig;
  /** `_exclude` (plus the caller's) and `_skip_if_exists` (plus the caller's), rendered. */
  exclude: string[];
  skipIfExists: string[];
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
  /** `_copier_operation`: `copy` (default) or `update` (both renders of an update). */
  operation?: Operation;
  /** More `_exclude` patterns (copier's `--exclude`). */
  exclude?: string[];
  /** More `_skip_if_exists` patterns (copier's `--skip`). */
  skipIfExists?: string[];
  /** Replaying a recorded version (the old side of an update): defaults are taken as they are, not validated. */
  replay?: boolean;
}

export const ANSWERS_HEADER =
  '# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n';

/**
 * copier's path matching (pathspec's gitwildmatch): patterns in order, the last one that matches a path decides, and a
 * `!pattern` re-includes a path even under an excluded folder (which gitignore itself would not allow).
 */
export function pathMatcher(patterns: string[]): {
  matches(rel: string, isDir?: boolean): boolean;
  /** Whether some pattern re-includes paths: then an excluded folder must still be walked. */
  negates: boolean;
} {
  const lines = patterns
    .map(p => p.replace(/\s+$/, ''))
    .filter(p => p && !p.startsWith('#'));
  const negates = lines.some(l => l.startsWith('!'));
  if (!negates) {
    const all: Ignore = ignore().add(lines);
    return {
      matches: (rel, isDir) => all.ignores(isDir ? `${rel}/` : rel),
      negates,
    };
  }
  const each = lines.map(line => ({
    include: line.startsWith('!'),
    pattern: ignore().add(line.replace(/^!/, '')),
  }));
  return {
    negates,
    matches: (rel, isDir) => {
      const p = isDir ? `${rel}/` : rel;
      let matched = false;
      for (const { include, pattern } of each)
        if (pattern.ignores(p)) matched = !include;
      return matched;
    },
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Renders a template version with answers, in memory. Reads only the template; writes nothing. */
export async function renderTemplate(
  options: RenderOptions,
): Promise<Rendering> {
  return withHelpers(await renderData(options), options.templateDir);
}

/** Adds to a render's data what applying it needs: the matchers of `_exclude`/`_skip_if_exists`, and the engine. */
export function withHelpers(data: RenderData, templateDir: string): Rendering {
  const excluded = pathMatcher(data.exclude);
  const skip = pathMatcher(data.skipIfExists);
  return {
    ...data,
    jinja: new Jinja({ root: templateDir, envops: data.config.envops }),
    isExcluded: rel => excluded.matches(rel),
    isSkipIfExists: rel => skip.matches(rel),
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
  const copierConf = {
    answers_file: '',
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
    replay: options.replay,
  });
  // A template that is a plain folder has no version: copier records no `_commit` then.
  const copierAnswers = {
    ...answers.recorded,
    ...(options.recordedVersion ? { _commit: options.recordedVersion } : {}),
    _src_path: options.srcPath,
  };
  const context: Record<string, unknown> = {
    ...baseContext,
    ...answers.values,
    _copier_answers: copierAnswers,
  };
  // As copier: `_answers_file` (the template's or the caller's) is a template, rendered with the answers.
  const answersFile = normaliseRelative(
    jinja
      .render(
        options.answersFile ?? config.answersFile,
        context,
        '_answers_file',
      )
      .trim(),
    'Answers file',
  );
  copierConf.answers_file = answersFile;

  // `_exclude` and `_skip_if_exists` are templates too, rendered with `_copier_operation`; an exclusion may render to
  // several lines.
  const patternContext = {
    ...context,
    _copier_operation: options.operation ?? 'copy',
  };
  const renderPatterns = (patterns: string[], key: string, lines: boolean) =>
    patterns.flatMap(pattern => {
      const text = jinja.render(pattern, patternContext, key);
      return lines ? text.split(/\r\n|\r|\n/) : [text];
    });
  const exclude = renderPatterns(
    [...config.exclude, ...(options.exclude ?? [])],
    '_exclude',
    true,
  );
  const skipIfExists = renderPatterns(
    [...config.skipIfExists, ...(options.skipIfExists ?? [])],
    '_skip_if_exists',
    false,
  );
  const excluded = pathMatcher(exclude);
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

  const files = new Map<string, RenderedFile>();
  const dirs: string[] = [];
  const templateRoot = await fs.realpath(options.templateDir);

  type Entry = [string, RenderedFile] | [string, 'dir'];
  /**
   * What a source entry is, as copier sees it: with `_preserve_symlinks` a symlink is itself; otherwise it is what it
   * points at, which must be inside the template (and a folder must not contain itself).
   */
  const kindOf = async (
    abs: string,
    entry: Dirent,
    srcPath: string,
    seen: Set<string>,
  ): Promise<'file' | 'dir' | 'symlink' | undefined> => {
    if (!entry.isSymbolicLink()) {
      if (entry.isDirectory()) return 'dir';
      return entry.isFile() ? 'file' : undefined;
    }
    if (config.preserveSymlinks) return 'symlink';
    const real = realpathInside(templateRoot, abs, `Symlink ${srcPath}`);
    if (!real) return undefined; // dangling: copier skips it too
    const stat = await fs.stat(real);
    if (stat.isDirectory()) {
      if (seen.has(real))
        throw new TemplateError(
          'INVALID_INPUT',
          `Symlink ${srcPath} points at a folder that contains it; the template would be infinite`,
        );
      return 'dir';
    }
    return stat.isFile() ? 'file' : undefined;
  };

  /** A preserved symlink: its target (rendered when its name has the suffix) must stay inside the instance. */
  const symlinkEntry = (
    dstPath: string,
    rawTarget: string,
    isTemplate: boolean,
    ctx: typeof context,
    srcPath: string,
  ): RenderedFile => {
    const target = isTemplate
      ? output.render(rawTarget, ctx, `target of ${srcPath}`).trim()
      : rawTarget;
    const landing = path.posix.normalize(
      path.posix.join(path.posix.dirname(dstPath), target),
    );
    if (
      !target ||
      path.posix.isAbsolute(target) ||
      landing === '..' ||
      landing.startsWith('../')
    ) {
      throw new TemplateError(
        'UNSAFE',
        `Symlink ${srcPath} points at "${target}", outside the instance; a preserved symlink must stay inside it`,
      );
    }
    return { content: Buffer.from(target), executable: false, symlink: true };
  };

  // Entries are read concurrently (a template is hundreds of small files) and collected in a stable order.
  async function walk(
    srcRel: string,
    dstRel: string,
    ctx: typeof context,
    seen: Set<string>,
  ): Promise<Entry[]> {
    const dirAbs = path.join(root, srcRel);
    const here = new Set(seen).add(await fs.realpath(dirAbs));
    const entries = await fs.readdir(dirAbs, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    const parts = await Promise.all(
      entries.map(async (entry): Promise<Entry[]> => {
        const srcPath = srcRel ? `${srcRel}/${entry.name}` : entry.name;
        if (entry.name === '.git') return [];
        const abs = path.join(root, srcPath);
        const kind = await kindOf(abs, entry, srcPath, here);
        if (!kind) return [];
        const isDir = kind === 'dir';
        // An excluded folder is still walked when a `!pattern` may bring back something inside it.
        const srcExcluded = excluded.matches(srcPath, isDir);
        if (srcExcluded && !(isDir && excluded.negates)) return [];

        const isTemplate =
          !isDir && (suffix === '' || entry.name.endsWith(suffix));
        const rawName =
          !isDir && suffix && isTemplate
            ? entry.name.slice(0, -suffix.length)
            : entry.name;
        const expanded = await Promise.all(
          expandName(rawName, `name of ${srcPath}`, ctx).map(
            async ({ name, ctx: entryCtx }): Promise<Entry[]> => {
              if (!name.trim()) return []; // copier: a name rendering empty means "do not create"
              const dstPath = normaliseRelative(
                dstRel ? `${dstRel}/${name}` : name,
                `Rendered path of ${srcPath}`,
              );
              const dstExcluded =
                srcExcluded || excluded.matches(dstPath, isDir);
              if (isDir) {
                if (dstExcluded && !excluded.negates) return [];
                const inside = await walk(srcPath, dstPath, entryCtx, here);
                return dstExcluded ? inside : [[dstPath, 'dir'], ...inside];
              }
              if (dstExcluded) return [];
              if (kind === 'symlink') {
                const target = await fs.readlink(abs);
                return [
                  [
                    dstPath,
                    symlinkEntry(
                      dstPath,
                      target,
                      isTemplate,
                      entryCtx,
                      srcPath,
                    ),
                  ],
                ];
              }
              const handle = await fs.open(abs, 'r');
              try {
                const [raw, stat] = await Promise.all([
                  handle.readFile(),
                  handle.stat(),
                ]);
                let content = raw;
                if (isTemplate) {
                  let text: string | undefined;
                  try {
                    text = utf8.decode(raw);
                  } catch {
                    // copier: with an empty suffix every file is a template, and one that is not UTF-8 is copied as
                    // it is; with a suffix, a template must be text.
                    if (suffix)
                      throw new TemplateError(
                        'INVALID_INPUT',
                        `${srcPath} ends with ${suffix} but is not UTF-8 text, so it cannot be rendered`,
                      );
                  }
                  if (text !== undefined)
                    content = Buffer.from(
                      output.render(text, entryCtx, srcPath),
                      'utf8',
                    );
                }
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

  for (const [rel, file] of await walk('', '', context, new Set())) {
    if (file === 'dir') dirs.push(rel);
    else files.set(rel, file);
  }
  // Nothing may be written below a preserved symlink: writing through it would follow it, wherever it leads.
  const links = new Set(
    [...files].filter(([, f]) => f.symlink).map(([rel]) => rel),
  );
  if (links.size) {
    for (const rel of [...files.keys(), ...dirs]) {
      for (
        let d = path.posix.dirname(rel);
        d !== '.';
        d = path.posix.dirname(d)
      ) {
        if (links.has(d))
          throw new TemplateError(
            'UNSAFE',
            `${rel} would be written through the symlink ${d}; a template may not write below a link it creates`,
          );
      }
    }
  }

  if (!files.has(answersFile)) {
    files.set(answersFile, {
      content: Buffer.from(ANSWERS_HEADER + toNiceYaml(copierAnswers), 'utf8'),
      executable: false,
    });
  }

  return {
    files,
    dirs,
    config,
    exclude,
    skipIfExists,
    answers,
    answersFile,
    copierAnswers,
    context,
  };
}
