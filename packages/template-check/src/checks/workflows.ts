type WorkflowParser = typeof import('@actions/workflow-parser');

let parser: Promise<WorkflowParser> | undefined;

/**
 * GitHub's parser ships as an ES module only. Under Jest it is mapped to its file and required; in Node it is
 * imported natively (a Function keeps the TypeScript transform from turning import() into require()).
 */
function workflowParser(): Promise<WorkflowParser> {
  parser ??= (async () => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require('@actions/workflow-parser') as WorkflowParser;
    } catch {
      // eslint-disable-next-line no-new-func
      const load = new Function('m', 'return import(m)') as (
        m: string,
      ) => Promise<WorkflowParser>;
      return load('@actions/workflow-parser');
    }
  })();
  return parser;
}
import { read } from './files';
import type { CheckResult, Problem } from './types';

/** .github/workflows: GitHub's own workflow parser and schema, and reusable workflows pinned to a ref. */
export async function checkWorkflows(
  dir: string,
  files: string[],
): Promise<CheckResult> {
  const targets = files.filter(f =>
    /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f),
  );
  const problems: Problem[] = [];
  const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } =
    await workflowParser();
  for (const file of targets) {
    const content = await read(dir, file);
    const result = parseWorkflow(
      { name: file, content },
      new NoOperationTraceWriter(),
    );
    const messages = result.context.errors.getErrors().map(e => e.message);
    if (messages.length === 0 && result.value) {
      const template = await convertWorkflowTemplate(
        result.context,
        result.value,
      );
      messages.push(...(template.errors ?? []).map(e => e.Message));
    }
    for (const message of messages) {
      problems.push({ check: 'workflows', file, message });
    }
    for (const m of content.matchAll(/^\s*uses:\s*(\S+)/gm)) {
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
