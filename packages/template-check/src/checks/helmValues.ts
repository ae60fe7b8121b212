import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { read } from './files';
import type { CheckResult, Problem } from './types';

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

/**
 * Helm charts: values.yaml, and values.yaml layered with each values-*.yaml, against the chart's values.schema.json
 * (what `helm install` enforces), JSON Schema 2020-12 with formats.
 */
export async function checkHelmValues(
  dir: string,
  files: string[],
): Promise<CheckResult> {
  const problems: Problem[] = [];
  const checked: string[] = [];
  const charts = files
    .filter(f => /(^|\/)Chart\.yaml$/.test(f))
    .map(f => f.replace(/Chart\.yaml$/, ''));
  for (const chart of charts) {
    const schemaFile = `${chart}values.schema.json`;
    const valuesFile = `${chart}values.yaml`;
    if (!files.includes(schemaFile)) {
      problems.push({
        check: 'helm-values',
        file: schemaFile,
        message: 'missing: the chart has no values schema',
      });
      continue;
    }
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(await read(dir, schemaFile)));
    const base = parse(await read(dir, valuesFile));
    const layers = files.filter(
      f => f.startsWith(`${chart}values-`) && /\.ya?ml$/.test(f),
    );
    for (const [file, values] of [
      [valuesFile, base],
      ...(await Promise.all(
        layers.map(
          async f => [f, merge(base, parse(await read(dir, f)))] as const,
        ),
      )),
    ] as Array<readonly [string, unknown]>) {
      checked.push(file);
      if (!validate(values)) {
        for (const e of validate.errors ?? []) {
          problems.push({
            check: 'helm-values',
            file,
            message: `${e.instancePath || '/'} ${e.message}${
              e.params && 'additionalProperty' in e.params
                ? ` (${(e.params as any).additionalProperty})`
                : ''
            }`,
          });
        }
      }
    }
  }
  return { check: 'helm-values', files: checked, problems };
}
