import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helm } from '../tools/helm';
import { chartFolders } from './charts';
import {
  apiVersionProblem,
  goldenPathProblems,
  selectorProblems,
} from './kubernetesRules';
import { schemaProblems } from './kubernetesSchemas';
import type { CheckResult, Problem } from './types';

type Model = new (data: unknown) => { validate(): void };

/** `v1`, `apps/v1`, `external-secrets.io/v1beta1`: a DNS group (optional) and a Kubernetes version. */
const API_VERSION =
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?v[1-9][0-9]*(?:(?:alpha|beta)[1-9][0-9]*)?$/;

/**
 * The kubernetes-models class for an apiVersion and kind; `version` says whether kubernetes-models knows the
 * apiVersion at all (it knows every one Kubernetes serves; CRD groups it does not know).
 */
function modelFor(
  apiVersion: string,
  kind: string,
): { version: boolean; model?: Model } {
  // Only a well-formed apiVersion reaches require(): the rendered output is the template's, and a path such as
  // ../../x would load any module on disk.
  if (!API_VERSION.test(apiVersion)) return { version: false };
  // kubernetes-models/<group>/<version>, or kubernetes-models/v1 for the core group; Argo CD's CRDs from their own
  // package (generated from Argo CD's published CRDs).
  const module = apiVersion.startsWith('argoproj.io/')
    ? `@kubernetes-models/argo-cd/${apiVersion}`
    : `kubernetes-models/${apiVersion}`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return {
      version: true,
      model: (require(module) as Record<string, Model>)[kind],
    };
  } catch {
    return { version: false };
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

/** Helm's message on one line: its multi-line errors joined, its "--debug" advice dropped. */
const oneLine = (text: string) =>
  text
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !/^Use --debug flag/.test(l))
    .join(' ')
    .replace(/^Error: /, '');

/** `helm lint --strict` findings, one per `[ERROR]`/`[WARNING]` entry, or all Helm said when it printed none. */
function lintFindings(output: string): string[] {
  const entries = output
    .split(/^\[(?=ERROR\]|WARNING\])/m)
    .slice(1)
    .map(entry => {
      const [, level, rest] = /^(ERROR|WARNING)\]\s*([\s\S]*)$/.exec(entry)!;
      // The entry ends where Helm's summary ("Error: 1 chart(s) linted, …") begins.
      return `${level.toLowerCase()}: ${oneLine(
        rest.split(/^Error: \d+ chart/m)[0],
      )}`;
    });
  return entries.length ? entries : [oneLine(output) || 'failed'];
}

/** The chart file Helm's message names (`web/templates/ingress.yaml:12:3: …`), else the values file. */
function fileNamed(message: string, chart: string, fallback: string): string {
  const named = /([\w.-]+\/templates\/[^\s:"]+):\d+/.exec(message)?.[1];
  return named ? `${chart}${named.split('/').slice(1).join('/')}` : fallback;
}

/** The chart file a `helm template` document came from (`# Source: <chart>/templates/x.yaml`). */
function sourceOf(comment: string | null | undefined, chart: string): string {
  const source = /Source:\s*(\S+)/.exec(comment ?? '')?.[1];
  return source ? `${chart}${source.split('/').slice(1).join('/')}` : chart;
}

/**
 * Helm charts through real Helm (`helm lint --strict` and `helm template`, with values.yaml alone and with each
 * values-*.yaml), each rendered object validated against its schema in `kubernetes-models`, workloads against the
 * golden path's rules (probes, resources, non-root); fields a kind does not have are reported as kubectl's strict
 * validation would (data/kubernetes/fields.json), and External Secrets' ExternalSecret is validated against its
 * CRD's published schema (data/crds). Other CRD kinds need a name only.
 */
export async function checkKubernetes(
  dir: string,
  files: string[],
): Promise<CheckResult> {
  const problems: Problem[] = [];
  const checked: string[] = [];
  for (const chart of chartFolders(files)) {
    // Hosts each cluster's values publish: two clusters publishing one host make their external-dns fight over it.
    const hosts: Array<{ host: string; valuesFile: string; file: string }> = [];
    // Per values file: the ingress scheme and the New Relic name its Deployments report as.
    const profiles: Array<{
      valuesFile: string;
      scheme?: string;
      newRelic?: string;
      file: string;
    }> = [];
    const chartDir = path.join(dir, chart);
    const layers = files.filter(
      f => f.startsWith(`${chart}values-`) && /\.ya?ml$/.test(f),
    );
    const valueSets: Array<[label: string, args: string[]]> = [
      [`${chart}values.yaml`, []],
      ...layers.map(
        f => [f, ['--values', path.join(dir, f)]] as [string, string[]],
      ),
    ];
    for (const [valuesFile, args] of valueSets) {
      const rendered = await helm([
        'template',
        'check',
        chartDir,
        '--namespace',
        'default',
        ...args,
      ]);
      const renderError = rendered.ok ? undefined : oneLine(rendered.stderr);
      const lint = await helm(['lint', '--strict', chartDir, ...args]);
      if (!lint.ok)
        for (const finding of lintFindings(`${lint.stdout}\n${lint.stderr}`)) {
          // Said once: lint repeats the error helm template reports.
          if (renderError && finding.includes(renderError)) continue;
          problems.push({
            check: 'kubernetes',
            file: fileNamed(finding, chart, valuesFile),
            message: `helm lint --strict with ${valuesFile}: ${finding}`,
          });
        }
      if (renderError) {
        problems.push({
          check: 'kubernetes',
          file: fileNamed(renderError, chart, valuesFile),
          message: `helm template with ${valuesFile}: ${renderError}`,
        });
        continue;
      }
      const objects: Array<{ file: string; object: any; label: string }> = [];
      for (const doc of parseAllDocuments(rendered.stdout)) {
        const file = sourceOf(
          doc.commentBefore ??
            (doc.contents as { commentBefore?: string } | null)?.commentBefore,
          chart,
        );
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
        checked.push(file);
        const label = `${object.kind ?? '?'} ${
          object.metadata?.name ?? '?'
        } (with ${valuesFile})`;
        const report = (message: string) =>
          problems.push({
            check: 'kubernetes',
            file,
            message: `${label}: ${message}`,
          });
        if (!object.apiVersion || !object.kind || !object.metadata?.name) {
          report('needs apiVersion, kind and metadata.name');
          continue;
        }
        objects.push({ file, object, label });
        const { version, model: Model } = modelFor(
          object.apiVersion,
          object.kind,
        );
        const served = API_VERSION.test(object.apiVersion)
          ? apiVersionProblem(object.apiVersion, version)
          : `apiVersion ${JSON.stringify(
              object.apiVersion,
            )} is not an API version (group/version such as apps/v1)`;
        if (served) report(served);
        else if (version && !Model)
          report(`${object.apiVersion} has no kind ${object.kind}`);
        if (Model) {
          try {
            new Model(object).validate();
          } catch (error) {
            report((error as Error).message);
          }
        }
        if (!served)
          for (const message of schemaProblems(object)) report(message);
        for (const message of workloadRules(object)) report(message);
      }
      const together = objects.map(o => o.object);
      for (const found of [
        selectorProblems(together),
        goldenPathProblems(together),
      ])
        for (const [i, messages] of found)
          for (const message of messages)
            problems.push({
              check: 'kubernetes',
              file: objects[i].file,
              message: `${objects[i].label}: ${message}`,
            });
      for (const o of objects)
        if (o.object.kind === 'Ingress')
          for (const rule of o.object.spec?.rules ?? [])
            if (rule.host)
              hosts.push({ host: rule.host, valuesFile, file: o.file });
      const deployment = objects.find(o => o.object.kind === 'Deployment');
      profiles.push({
        valuesFile,
        file: deployment?.file ?? `${chart}values.yaml`,
        scheme: objects.find(o => o.object.kind === 'Ingress')?.object.metadata
          ?.annotations?.['alb.ingress.kubernetes.io/scheme'],
        newRelic: (deployment?.object.spec?.template?.spec?.containers ?? [])
          .flatMap((c: any) => c.env ?? [])
          .find((e: any) => e.name === 'NEW_RELIC_APP_NAME')?.value,
      });
    }
    // A cluster behind an internal load balancer and one on the internet are not the same environment: reporting
    // under one New Relic name merges their data and alerts.
    const clustersOnly = profiles.filter(
      p => !layers.length || p.valuesFile !== `${chart}values.yaml`,
    );
    for (const internal of clustersOnly.filter(p => p.scheme === 'internal'))
      for (const external of clustersOnly.filter(
        p => p.scheme === 'internet-facing',
      ))
        if (internal.newRelic && internal.newRelic === external.newRelic)
          problems.push({
            check: 'kubernetes',
            file: internal.file,
            message: `NEW_RELIC_APP_NAME ${internal.newRelic} is the same with ${internal.valuesFile} (internal) and ${external.valuesFile} (internet-facing): a non-production and a production cluster would report as one application, their data and alerts merged`,
          });
    // Each values-<cluster>.yaml is one cluster (values.yaml alone is deployed nowhere once there are some).
    const byHost = new Map<string, typeof hosts>();
    for (const h of hosts)
      if (!layers.length || h.valuesFile !== `${chart}values.yaml`)
        byHost.set(h.host, [...(byHost.get(h.host) ?? []), h]);
    for (const [host, uses] of byHost) {
      const clusters = [...new Set(uses.map(u => u.valuesFile))];
      if (clusters.length > 1)
        problems.push({
          check: 'kubernetes',
          file: uses[0].file,
          message: `Ingress host ${host} is published with ${clusters.join(
            ' and ',
          )}: external-dns on those clusters would fight over one DNS name (give each cluster its own host)`,
        });
    }
  }
  return {
    check: 'kubernetes',
    files: [...new Set(checked)].sort(),
    problems,
  };
}
