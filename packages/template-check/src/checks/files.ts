import fs from 'node:fs/promises';
import path from 'node:path';

/** Every file under `dir`, repository-relative with `/`, without node_modules, dist and .git. */
export async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.git', '.terraform'].includes(entry.name))
      continue;
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(abs, base)));
    else out.push(path.relative(base, abs).split(path.sep).join('/'));
  }
  return out.sort();
}

export const read = (dir: string, file: string) =>
  fs.readFile(path.join(dir, file), 'utf8');
