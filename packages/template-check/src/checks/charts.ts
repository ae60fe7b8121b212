import { parse } from 'yaml';
import { read } from './files';

/** Deep merge as Helm layers values files: mappings merge, everything else replaces. */
function merge(base: unknown, over: unknown): unknown {
  if (
    base &&
    over &&
    typeof base === 'object' &&
    typeof over === 'object' &&
    !Array.isArray(base) &&
    !Array.isArray(over)
  ) {
    const out: Record<string, unknown> = { ...(base as object) };
    for (const [k, v] of Object.entries(over as object))
      out[k] = merge(out[k], v);
    return out;
  }
  return over === undefined ? base : over;
}

/** Folders (with trailing `/`, or '' for the root) that hold a Helm chart. */
export function chartFolders(files: string[]): string[] {
  return files
    .filter(f => /(^|\/)Chart\.yaml$/.test(f))
    .map(f => f.replace(/Chart\.yaml$/, ''));
}

/**
 * The values a chart is installed with: values.yaml alone, and values.yaml with each values-*.yaml layered on it,
 * each named by the file that makes the difference.
 */
export async function chartValueSets(
  dir: string,
  files: string[],
  chart: string,
): Promise<Array<[file: string, values: unknown]>> {
  const valuesFile = `${chart}values.yaml`;
  const base = parse(await read(dir, valuesFile)) ?? {};
  const layers = files.filter(
    f => f.startsWith(`${chart}values-`) && /\.ya?ml$/.test(f),
  );
  return [
    [valuesFile, base],
    ...(await Promise.all(
      layers.map(
        async f =>
          [f, merge(base, parse(await read(dir, f)))] as [string, unknown],
      ),
    )),
  ];
}
