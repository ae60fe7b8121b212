import fs from 'node:fs/promises';
import path from 'node:path';
import { TemplateError } from '../errors';

/** Normalises a rendered, instance-relative path and refuses one that would leave the instance. */
export function normaliseRelative(rel: string, what: string): string {
  const posix = rel.replace(/\\/g, '/');
  const normal = path.posix.normalize(posix).replace(/^\.\//, '');
  if (
    !normal ||
    normal === '.' ||
    path.posix.isAbsolute(normal) ||
    normal === '..' ||
    normal.startsWith('../') ||
    normal.includes('\0')
  ) {
    throw new TemplateError(
      'UNSAFE',
      `${what} "${rel}" would be written outside the instance`,
    );
  }
  return normal;
}

/**
 * Resolves instance-relative paths to absolute ones, refusing any whose existing parent folders include a symlink
 * (following it could write outside the instance). Checked folders are remembered, so a 200-file template costs
 * one lstat per folder.
 */
export class SafePaths {
  private readonly checked = new Map<string, Promise<void>>();

  constructor(readonly root: string) {}

  async resolve(rel: string): Promise<string> {
    const normal = normaliseRelative(rel, 'Path');
    const abs = path.join(this.root, normal);
    await this.checkDir(path.dirname(abs));
    return abs;
  }

  /** The path's own entry, without following a symlink: undefined when absent. */
  async entry(
    abs: string,
  ): Promise<'file' | 'symlink' | 'directory' | 'other' | undefined> {
    try {
      const stat = await fs.lstat(abs);
      if (stat.isSymbolicLink()) return 'symlink';
      if (stat.isFile()) return 'file';
      if (stat.isDirectory()) return 'directory';
      return 'other';
    } catch (error) {
      if (
        (error as NodeJS.ErrnoException).code === 'ENOENT' ||
        (error as NodeJS.ErrnoException).code === 'ENOTDIR'
      ) {
        return undefined;
      }
      throw error;
    }
  }

  private checkDir(dir: string): Promise<void> {
    if (dir === this.root || !dir.startsWith(this.root + path.sep))
      return Promise.resolve();
    let pending = this.checked.get(dir);
    if (!pending) {
      pending = (async () => {
        await this.checkDir(path.dirname(dir));
        const kind = await this.entry(dir);
        if (kind === 'symlink') {
          throw new TemplateError(
            'UNSAFE',
            `${path.relative(
              this.root,
              dir,
            )} is a symlink; Paved does not write through symlinks`,
          );
        }
        if (kind && kind !== 'directory') {
          throw new TemplateError(
            'INVALID_INPUT',
            `${path.relative(
              this.root,
              dir,
            )} is a file where the template has a folder`,
          );
        }
      })();
      this.checked.set(dir, pending);
    }
    return pending;
  }
}
