import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';

/** Collects repeated `--data key=value` options (values stay text; the template's question types cast them). */
export function collectData(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) {
    throw new Error(`--data expects KEY=VALUE, got "${value}"`);
  }
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** Answers from `--data-file` (YAML or JSON mapping), overridden by `--data`. */
export function answersFrom(options: {
  data?: Record<string, string>;
  dataFile?: string;
}): Record<string, unknown> {
  let fromFile: Record<string, unknown> = {};
  if (options.dataFile) {
    const parsed = parseYaml(fs.readFileSync(options.dataFile, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(
        `--data-file ${options.dataFile} must hold a mapping of answers`,
      );
    }
    fromFile = parsed as Record<string, unknown>;
  }
  return { ...fromFile, ...options.data };
}
