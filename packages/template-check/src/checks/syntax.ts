import { parseAllDocuments } from 'yaml';
import { read } from './files';
import type { CheckResult, Problem } from './types';

/** Every JSON and YAML file parses (Helm templates excepted: they are Go templates until rendered). */
export async function checkSyntax(
  dir: string,
  files: string[],
): Promise<CheckResult> {
  const problems: Problem[] = [];
  const targets = files.filter(
    f => /\.(json|ya?ml)$/.test(f) && !/(^|\/)templates\//.test(f),
  );
  for (const file of targets) {
    const text = await read(dir, file);
    try {
      if (file.endsWith('.json')) JSON.parse(text);
      else {
        const errors = parseAllDocuments(text).flatMap(d => d.errors);
        if (errors.length)
          throw new Error(errors.map(e => e.message).join('; '));
      }
    } catch (error) {
      problems.push({
        check: 'syntax',
        file,
        message: (error as Error).message,
      });
    }
  }
  return { check: 'syntax', files: targets, problems };
}
