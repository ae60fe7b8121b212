import type {
  ArgoCdHealth,
  EntityHealth,
  HealthSourceResult,
  HealthVerdict,
  KubernetesHealth,
  NewRelicHealth,
} from '@paved/plugin-paved-common';

/** Where golden signals stop being healthy. */
export interface VerdictThresholds {
  /** Error rate (0–1) from which a service is degraded. */
  errorRate: number;
  /** Error rate (0–1) from which a service is down. */
  errorRateDown: number;
  /** Apdex below which a service is degraded. */
  apdex: number;
}

export const DEFAULT_THRESHOLDS: VerdictThresholds = {
  errorRate: 0.05,
  errorRateDown: 0.25,
  apdex: 0.7,
};

type Finding = { verdict: Exclude<HealthVerdict, 'unknown'>; reason: string };

const SEVERITY = { down: 2, degraded: 1, healthy: 0 } as const;
const percent = (v: number) => `${Math.round(v * 1000) / 10}%`;

function kubernetesFindings(k: KubernetesHealth): Finding[] {
  const findings: Finding[] = [];
  for (const cluster of k.clusters) {
    if (cluster.error) continue; // reported as a source problem, not as the service's
    for (const w of cluster.workloads) {
      const where = `${w.kind} ${w.namespace}/${w.name} on ${cluster.cluster}`;
      if (w.desired > 0 && w.ready === 0) {
        findings.push({
          verdict: 'down',
          reason: `${where}: 0/${w.desired} pods ready`,
        });
      } else if (w.ready < w.desired) {
        findings.push({
          verdict: 'degraded',
          reason: `${where}: ${w.ready}/${w.desired} pods ready`,
        });
      }
      const problems = [...new Set(w.pods.flatMap(p => p.problems))];
      if (problems.length) {
        findings.push({
          verdict: 'degraded',
          reason: `${where}: pods in ${problems.join(', ')}`,
        });
      }
    }
  }
  return findings;
}

function argoCdFindings(a: ArgoCdHealth): Finding[] {
  const findings: Finding[] = [];
  for (const app of a.apps) {
    const where = `Argo CD app ${app.name} (${app.instance})`;
    if (app.healthStatus === 'Missing')
      findings.push({
        verdict: 'down',
        reason: `${where} is Missing: nothing is deployed`,
      });
    else if (app.healthStatus === 'Degraded')
      findings.push({ verdict: 'degraded', reason: `${where} is Degraded` });
    if (app.operationPhase === 'Failed' || app.operationPhase === 'Error')
      findings.push({
        verdict: 'degraded',
        reason: `${where}: last sync ${app.operationPhase.toLowerCase()}`,
      });
    if (app.syncStatus === 'OutOfSync')
      findings.push({
        verdict: 'degraded',
        reason: `${where} is OutOfSync with Git`,
      });
  }
  return findings;
}

function newRelicFindings(n: NewRelicHealth, t: VerdictThresholds): Finding[] {
  const findings: Finding[] = [];
  const { errorRate, apdex } = n.signals;
  if (errorRate >= t.errorRateDown)
    findings.push({
      verdict: 'down',
      reason: `New Relic: error rate ${percent(errorRate)}`,
    });
  else if (errorRate >= t.errorRate)
    findings.push({
      verdict: 'degraded',
      reason: `New Relic: error rate ${percent(errorRate)}`,
    });
  if (apdex > 0 && apdex < t.apdex)
    findings.push({ verdict: 'degraded', reason: `New Relic: Apdex ${apdex}` });
  for (const incident of n.incidents.filter(
    i =>
      i.state !== 'CLOSED' &&
      (i.priority === 'CRITICAL' || i.priority === 'HIGH'),
  )) {
    findings.push({
      verdict: 'degraded',
      reason: `New Relic ${incident.priority.toLowerCase()} issue: ${
        incident.title
      }`,
    });
  }
  return findings;
}

const SOURCE_NAMES = {
  kubernetes: 'Kubernetes',
  argocd: 'Argo CD',
  newrelic: 'New Relic',
};

/**
 * One verdict from the three sources: the worst finding wins (down > degraded > healthy); a source that could not be
 * read adds a reason but does not make the service look broken; when no source answered, the verdict is unknown.
 * Reasons are ordered most severe first.
 */
export function verdict(
  sources: EntityHealth['sources'],
  thresholds: VerdictThresholds = DEFAULT_THRESHOLDS,
): Pick<EntityHealth, 'verdict' | 'reasons'> {
  const answered = (Object.keys(sources) as Array<keyof typeof sources>).filter(
    k => sources[k].status === 'ok',
  );
  const findings: Finding[] = [];
  const notes: string[] = [];
  const add = <T>(
    result: HealthSourceResult<T>,
    name: keyof typeof SOURCE_NAMES,
    f: (d: T) => Finding[],
  ) => {
    if (result.status === 'ok' && result.data) findings.push(...f(result.data));
    if (result.status === 'error' || result.status === 'timeout')
      notes.push(
        `${SOURCE_NAMES[name]} could not be read: ${
          result.error?.message ?? result.status
        }`,
      );
  };
  add(sources.kubernetes, 'kubernetes', kubernetesFindings);
  add(sources.argocd, 'argocd', argoCdFindings);
  add(sources.newrelic, 'newrelic', n => newRelicFindings(n, thresholds));
  for (const cluster of sources.kubernetes.data?.clusters ?? []) {
    if (cluster.error)
      notes.push(
        `Cluster ${cluster.cluster} could not be read: ${cluster.error.message}`,
      );
  }
  if (!answered.length) {
    return {
      verdict: 'unknown',
      reasons: notes.length
        ? notes
        : ['No runtime source is configured for this entity'],
    };
  }
  findings.sort((a, b) => SEVERITY[b.verdict] - SEVERITY[a.verdict]);
  const worst = findings[0]?.verdict ?? 'healthy';
  return {
    verdict: worst,
    reasons: [
      ...findings.map(f => f.reason),
      ...(worst === 'healthy'
        ? [`All ${answered.map(a => SOURCE_NAMES[a]).join(', ')} checks pass`]
        : []),
      ...notes,
    ],
  };
}
