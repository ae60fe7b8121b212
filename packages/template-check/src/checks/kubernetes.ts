import { parse, parseAllDocuments } from 'yaml';
import { chartFolders, chartValueSets } from './charts';
import { read } from './files';
import { renderGoTemplates } from './goTemplate';
import type { CheckResult, Problem } from './types';

type Model = new (data: unknown) => { validate(): void };

/** The kubernetes-models class for an apiVersion and kind, or undefined for kinds it has no schema for (CRDs). */
function modelFor(apiVersion: string, kind: string): Model | undefined {
  // kubernetes-models/<group>/<version>, or kubernetes-models/v1 for the core group.
  const module = `kubernetes-models/${apiVersion}`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(module) as Record<string, Model>)[kind];
  } catch {
    return undefined;
  }
}

/** What the golden path promises of every workload, beyond the schema. */
function workloadRules(object: any): string[] {
  if (object.kind !== 'Deployment') return [];
  const pod = object.spec?.template?.spec ?? {};
  const problems: string[] = [];
  if (pod.securityContext?.runAsNonRoot !== true)
    problems.push('pod securityContext.runAsNonRoot is not true');
  for (const c of pod.containers ?? []) {
    if (!c.readinessProbe)
      problems.push(`container ${c.name} has no readinessProbe`);
    if (!c.livenessProbe)
      problems.push(`container ${c.name} has no livenessProbe`);
    if (!c.resources?.requests || !c.resources?.limits)
      problems.push(`container ${c.name} has no resource requests and limits`);
  }
  return problems;
}

/**
 * Helm charts rendered into Kubernetes objects (the Go-template subset charts use; values.yaml and each
 * values-*.yaml layered on it), each object validated against its schema in `kubernetes-models`, workloads against
 * the golden path's rules (probes, resources, non-root). Kinds without a schema there (CRDs) need a name only.
 */
export async function checkKubernetes(
  dir: string,
  files: string[],
): Promise<CheckResult> {
  const problems: Problem[] = [];
  const checked: string[] = [];
  for (const chart of chartFolders(files)) {
    const chartMeta = parse(await read(dir, `${chart}Chart.yaml`)) ?? {};
    const templates = files.filter(
      f => f.startsWith(`${chart}templates/`) && /\.(ya?ml|tpl)$/.test(f),
    );
    const sources = Object.fromEntries(
      await Promise.all(
        templates.map(async f => [f, await read(dir, f)] as const),
      ),
    );
    for (const [valuesFile, values] of await chartValueSets(
      dir,
      files,
      chart,
    )) {
      let rendered: Record<string, string>;
      try {
        rendered = renderGoTemplates(sources, {
          Values: values,
          Chart: {
            Name: chartMeta.name,
            Version: chartMeta.version,
            AppVersion: chartMeta.appVersion,
          },
          Release: {
            Name: chartMeta.name,
            Namespace: 'default',
            Service: 'Helm',
            IsInstall: true,
          },
          Capabilities: { KubeVersion: { Version: 'v1.31.0' } },
        });
      } catch (error) {
        problems.push({
          check: 'kubernetes',
          file: (error as { file?: string }).file ?? valuesFile,
          message: `rendering the chart with ${valuesFile}: ${
            (error as Error).message
          }`,
        });
        continue;
      }
      for (const [file, text] of Object.entries(rendered)) {
        if (file.split('/').pop()!.startsWith('_')) continue;
        checked.push(file);
        for (const doc of parseAllDocuments(text)) {
          if (doc.errors.length) {
            problems.push({
              check: 'kubernetes',
              file,
              message: `with ${valuesFile}: not YAML: ${doc.errors[0].message}`,
            });
            continue;
          }
          const object = doc.toJS() as any;
          if (!object) continue;
          const label = `${object.kind ?? '?'} ${
            object.metadata?.name ?? '?'
          } (with ${valuesFile})`;
          if (!object.apiVersion || !object.kind || !object.metadata?.name) {
            problems.push({
              check: 'kubernetes',
              file,
              message: `${label}: needs apiVersion, kind and metadata.name`,
            });
            continue;
          }
          const Model = modelFor(object.apiVersion, object.kind);
          if (Model) {
            try {
              new Model(object).validate();
            } catch (error) {
              problems.push({
                check: 'kubernetes',
                file,
                message: `${label}: ${(error as Error).message}`,
              });
            }
          }
          for (const message of workloadRules(object)) {
            problems.push({
              check: 'kubernetes',
              file,
              message: `${label}: ${message}`,
            });
          }
        }
      }
    }
  }
  return { check: 'kubernetes', files: [...new Set(checked)], problems };
}
