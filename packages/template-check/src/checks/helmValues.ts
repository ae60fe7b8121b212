import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { chartFolders, chartValueSets } from './charts';
import { read } from './files';
import type { CheckResult, Problem } from './types';

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
  for (const chart of chartFolders(files)) {
    const schemaFile = `${chart}values.schema.json`;
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
    const schema = JSON.parse(await read(dir, schemaFile));
    const validate = ajv.compile(schema);
    // Scheduling is the platform's to extend per cluster (node pools, taints, zones): a closed schema must leave
    // room for it.
    const valueSets = await chartValueSets(dir, files, chart);
    const probe = { ...(valueSets[0]?.[1] as object) };
    for (const key of ['nodeSelector', 'tolerations', 'affinity']) {
      if (schema.additionalProperties === false && !schema.properties?.[key])
        problems.push({
          check: 'helm-values',
          file: schemaFile,
          message: `values.schema.json does not allow ${key}: the platform cannot schedule the service onto its node pools`,
        });
      else if (!validate({ ...probe, [key]: key === 'tolerations' ? [] : {} }))
        problems.push({
          check: 'helm-values',
          file: schemaFile,
          message: `values.schema.json refuses an empty ${key}: the platform cannot schedule the service onto its node pools`,
        });
    }
    for (const [file, values] of valueSets) {
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
