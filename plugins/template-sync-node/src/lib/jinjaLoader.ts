import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { refuse } from './jinjaSandbox';

/** What a path inside a template tree really is: its realpath (undefined when missing), refused when it leaves `root`. */
export function realpathInside(
  root: string,
  target: string,
  what: string,
  tree = 'the template',
): string | undefined {
  let real: string;
  try {
    real = fs.realpathSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const realRoot = fs.realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    refuse(
      `${what} "${path.relative(
        root,
        target,
      )}" resolves outside ${tree} (a symlink leaves its tree); refusing to read it`,
    );
  }
  return real;
}

/**
 * `{% include %}`, `{% import %}` and `{% extends %}` for one template, as Jinja's FileSystemLoader resolves them: names
 * are relative to the template's root folder, never to the including file, and may not leave it; every symlink is
 * resolved with realpath and must end inside the template too; nothing is cached between renders.
 */
export class TemplateLoader extends (nunjucks.Loader as unknown as {
  new (): object;
}) {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = path.resolve(root);
  }

  /** Jinja has no relative template names: `./x` is `x` from the root. */
  isRelative(): boolean {
    return false;
  }

  getSource(name: string) {
    const full = path.resolve(this.root, String(name));
    if (!full.startsWith(this.root + path.sep)) {
      refuse(
        `"${String(name).slice(
          0,
          80,
        )}" is outside the template; includes and imports must stay inside it`,
      );
    }
    const real = realpathInside(this.root, full, 'Included file');
    if (!real || !fs.statSync(real).isFile()) return null;
    return { src: fs.readFileSync(real, 'utf8'), path: full, noCache: true };
  }
}
