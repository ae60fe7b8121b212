import { parse } from '@cdktf/hcl2json';
import { read } from './files';
import type { CheckResult, Problem } from './types';

/** A resource's or block's arguments (1 = required) and nested blocks, as data/terraform records them. */
interface Schema {
  a: Record<string, 0 | 1>;
  b?: Record<string, Schema & { r?: 1 }>;
}
interface ProviderSchemas {
  provider: string;
  version: string;
  resources: Record<string, Schema>;
  data: Record<string, Schema>;
}

/** The providers' schemas (scripts/terraform-schemas.mjs), loaded on first use. */
const recorded = new Map<string, ProviderSchemas | null>();
function providerFor(type: string): ProviderSchemas | undefined {
  const name = type.split('_')[0];
  // A resource type is the template's text: only a plain provider name may become a file name.
  if (!/^[a-z][a-z0-9]*$/.test(name)) return undefined;
  if (!recorded.has(name)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      recorded.set(name, require(`../../data/terraform/${name}.json`));
    } catch {
      recorded.set(name, null);
    }
  }
  return recorded.get(name) ?? undefined;
}

const META = new Set([
  'count',
  'for_each',
  'provider',
  'depends_on',
  'lifecycle',
  'provisioner',
  'connection',
]);

/** What is wrong with one block's body against its schema: unknown arguments and blocks, required ones missing. */
function blockProblems(schema: Schema, body: any, where: string): string[] {
  const problems: string[] = [];
  const present = new Set<string>();
  const blocks = schema.b ?? {};
  const known = () =>
    [...Object.keys(schema.a), ...Object.keys(blocks)].sort().join(', ');
  for (const [key, value] of Object.entries<any>(body ?? {})) {
    if (META.has(key)) continue;
    if (key === 'dynamic') {
      for (const [name, items] of Object.entries<any[]>(value ?? {})) {
        present.add(name);
        if (!blocks[name]) {
          problems.push(
            `${where}: dynamic "${name}": no block "${name}" here (it takes ${known()})`,
          );
          continue;
        }
        for (const item of items ?? [])
          for (const content of item.content ?? [])
            problems.push(
              ...blockProblems(blocks[name], content, `${where}.${name}`),
            );
      }
      continue;
    }
    present.add(key);
    if (key in schema.a) continue;
    if (blocks[key]) {
      for (const item of Array.isArray(value) ? value : [value])
        problems.push(...blockProblems(blocks[key], item, `${where}.${key}`));
      continue;
    }
    problems.push(
      `${where}: unsupported argument "${key}" (it takes ${known()})`,
    );
  }
  for (const [name, required] of Object.entries(schema.a)) {
    if (required && !present.has(name))
      problems.push(`${where}: the argument "${name}" is required`);
  }
  for (const [name, block] of Object.entries(blocks)) {
    if (block.r && !present.has(name))
      problems.push(`${where}: a "${name}" block is required`);
  }
  return problems;
}

/** Resources and data sources checked against their provider's recorded schema. */
function schemaProblems(json: any): string[] {
  const problems: string[] = [];
  for (const [section, label] of [
    ['resource', 'resource'],
    ['data', 'data source'],
  ] as const) {
    for (const [type, named] of Object.entries<any>(json[section] ?? {})) {
      const provider = providerFor(type);
      if (!provider) continue;
      const schemas =
        section === 'resource' ? provider.resources : provider.data;
      const schema = schemas[type];
      for (const [name, bodies] of Object.entries<any[]>(named ?? {})) {
        const where = `${section === 'data' ? 'data ' : ''}${type}.${name}`;
        if (!schema) {
          problems.push(
            `${where}: the ${provider.provider} provider (${provider.version}) has no ${label} type "${type}"`,
          );
          continue;
        }
        for (const body of bodies)
          problems.push(...blockProblems(schema, body, where));
      }
    }
  }
  return problems;
}

/**
 * Terraform: every .tf parses as HCL (HashiCorp's own parser, compiled to WebAssembly); module sources from Git are
 * pinned to a ref; providers are declared with versions; every `resource` and `data` block of the aws and newrelic
 * providers uses a type, arguments and blocks their schemas have, with the required ones given (data/terraform,
 * recorded from the providers' published bindings, since no terraform binary can run here).
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
    for (const message of schemaProblems(json))
      problems.push({ check: 'terraform', file, message });
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
