import { parse } from '@cdktf/hcl2json';
import { read } from './files';
import type { CheckResult, Problem } from './types';

/**
 * Terraform: every .tf parses as HCL (HashiCorp's own parser, compiled to WebAssembly); module sources from Git are
 * pinned to a ref; providers are declared with versions.
 */
export async function checkTerraform(
  dir: string,
  files: string[],
): Promise<CheckResult> {
  const targets = files.filter(f => f.endsWith('.tf'));
  const problems: Problem[] = [];
  let providers = false;
  for (const file of targets) {
    let json: any;
    try {
      json = await parse(file, await read(dir, file));
    } catch (error) {
      problems.push({
        check: 'terraform',
        file,
        message: String((error as Error).message ?? error).trim(),
      });
      continue;
    }
    for (const [name, blocks] of Object.entries<any[]>(json.module ?? {})) {
      for (const block of blocks) {
        const source = String(block.source ?? '');
        if (source.startsWith('git::') && !/[?&]ref=[\w.-]+/.test(source)) {
          problems.push({
            check: 'terraform',
            file,
            message: `module "${name}" source ${source} is not pinned (?ref=<tag>)`,
          });
        }
      }
    }
    for (const block of json.terraform ?? []) {
      for (const required of block.required_providers ?? []) {
        providers = true;
        for (const [name, spec] of Object.entries<any>(required)) {
          if (!spec?.version) {
            problems.push({
              check: 'terraform',
              file,
              message: `provider ${name} has no version constraint`,
            });
          }
        }
      }
    }
  }
  if (targets.length && !providers) {
    problems.push({
      check: 'terraform',
      file: targets[0],
      message: 'no terraform.required_providers block',
    });
  }
  return { check: 'terraform', files: targets, problems };
}
