/**
 * Pure presentation rules for runtime health: labels, formats and the few derived facts the views show (last deploy,
 * workload state, links out). No React, no Backstage: tested as plain functions.
 */
import {
  HEALTH_SOURCE_ANNOTATIONS,
  type ArgoCdHealth,
  type EntityHealth,
  type GoldenSignals,
  type HealthSourceName,
  type HealthSourceResult,
  type WorkloadHealth,
} from '@paved/plugin-paved-common';

/** Display names of the sources, in the order the views list them. */
export const SOURCE_LABELS: Readonly<Record<HealthSourceName, string>> = {
  argocd: 'Argo CD',
  kubernetes: 'Kubernetes',
  newrelic: 'New Relic',
};

/** What a user adds to catalog-info.yaml to turn a source on. */
export function annotationHint(source: HealthSourceName): string {
  const names = HEALTH_SOURCE_ANNOTATIONS[source].map(n => `\`${n}\``);
  return `Add ${names.join(' or ')} to the entity's catalog-info.yaml to see ${
    SOURCE_LABELS[source]
  } here.`;
}

/** One word for a source's answer, as its status chip says it. */
export function sourceStatusText(result: HealthSourceResult<unknown>): string {
  switch (result.status) {
    case 'ok':
      return 'reporting';
    case 'timeout':
      return 'timed out';
    case 'error':
      return 'unavailable';
    default:
      return 'not configured';
  }
}

/** A Git SHA shortened as Git shows it; tags and branch names unchanged. */
export function shortRevision(revision: string): string {
  return /^[0-9a-f]{40}$/i.test(revision) ? revision.slice(0, 7) : revision;
}

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat('en', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const percent = new Intl.NumberFormat('en', {
  style: 'percent',
  maximumFractionDigits: 2,
});

/**
 * The four golden signals, as the charts title them and format their values. Every chart's axis starts at zero and
 * reaches at least `top` (Apdex always ends at 1), so a flat or empty series is not magnified into noise.
 */
export const SIGNALS: readonly {
  key: keyof GoldenSignals;
  title: string;
  format: (value: number) => string;
  top: number;
  fixedTop?: boolean;
}[] = [
  {
    key: 'throughput',
    title: 'Throughput',
    format: v => `${integer.format(v)} rpm`,
    top: 10,
  },
  {
    key: 'errorRate',
    title: 'Error rate',
    format: v => percent.format(v),
    top: 0.01,
  },
  {
    key: 'responseTimeMs',
    title: 'Response time',
    format: v => `${integer.format(v)} ms`,
    top: 100,
  },
  {
    key: 'apdex',
    title: 'Apdex',
    format: v => twoDecimals.format(v),
    top: 1,
    fixedTop: true,
  },
];

/** The y-axis range of a signal's chart: from zero to the larger of the data's maximum (plus headroom) and `top`. */
export function signalRange(
  signal: { top: number; fixedTop?: boolean },
  dataMax: number,
): [number, number] {
  if (signal.fixedTop) return [0, signal.top];
  return [0, Math.max(signal.top, dataMax * 1.15)];
}

/** The latest release across an entity's Argo CD apps, or undefined when none has a history. */
export function lastDeploy(argocd: ArgoCdHealth | undefined) {
  const releases = (argocd?.apps ?? []).flatMap(app =>
    app.history.map(entry => ({ ...entry, app: app.name, url: app.url })),
  );
  return releases.sort(
    (a, b) => Date.parse(b.deployedAt) - Date.parse(a.deployedAt),
  )[0];
}

/** `error` when a pod reports a problem or nothing is ready; `progressing` while fewer are ready than desired. */
export function workloadState(
  workload: WorkloadHealth,
): 'ok' | 'progressing' | 'error' {
  const troubled = workload.pods.some(p => p.problems.length > 0);
  if (troubled || (workload.desired > 0 && workload.ready === 0)) {
    return 'error';
  }
  return workload.ready < workload.desired ? 'progressing' : 'ok';
}

/** Where to look next: each Argo CD app, the New Relic entity and each cluster dashboard the answer names. */
export function linksOut(health: EntityHealth) {
  const { argocd, newrelic, kubernetes } = health.sources;
  return [
    ...(argocd.data?.apps ?? []).map(app => ({
      title: `Argo CD: ${app.name}`,
      url: app.url,
    })),
    ...(newrelic.data?.url
      ? [{ title: `New Relic: ${newrelic.data.name}`, url: newrelic.data.url }]
      : []),
    ...(kubernetes.data?.clusters ?? []).flatMap(c =>
      c.dashboardUrl
        ? [{ title: `Cluster: ${c.cluster}`, url: c.dashboardUrl }]
        : [],
    ),
  ];
}

export { errorMessage, relativeTime } from '@paved/plugin-paved-common';
