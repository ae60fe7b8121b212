import type {
  ArgoCdHealth,
  DeploymentCoverage,
  EntityHealth,
  HealthSourceResult,
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

type Finding = {
  verdict: 'down' | 'degraded' | 'partially-deployed';
  reason: string;
};

const SEVERITY = {
  down: 3,
  degraded: 2,
  'partially-deployed': 1,
  healthy: 0,
} as const;
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
    // Missing (nothing of the app exists yet) is not a finding: the deployment coverage counts it as not deployed.
    if (app.healthStatus === 'Degraded')
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
  const { errorRate, apdex } = n.signals ?? { errorRate: 0, apdex: 0 };
  if (!n.signals) {
    // No data is no evidence either way; open incidents below still count.
  } else if (errorRate >= t.errorRateDown)
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

/** Where the entity runs, from the workloads and Argo CD applications the sources attributed to it. */
export function deploymentCoverage(
  sources: EntityHealth['sources'],
  expected: string[],
): DeploymentCoverage & { anywhere: boolean; known: boolean } {
  const k = sources.kubernetes;
  const a = sources.argocd;
  const deployed = new Set<string>();
  const unread = new Set<string>();
  let anywhere = false;
  for (const cluster of k.status === 'ok' ? k.data?.clusters ?? [] : []) {
    if (cluster.error) unread.add(cluster.cluster);
    else if (cluster.workloads.length) {
      deployed.add(cluster.cluster);
      anywhere = true;
    }
  }
  for (const app of a.status === 'ok' ? a.data?.apps ?? [] : []) {
    if (app.healthStatus === 'Missing') continue;
    anywhere = true;
    if (app.cluster) deployed.add(app.cluster);
  }
  for (const c of deployed) unread.delete(c);
  // Argo CD answering says where apps are for every cluster; Kubernetes only for the clusters it read.
  const known = a.status === 'ok' || k.status === 'ok';
  const missing = known
    ? expected.filter(c => !deployed.has(c) && !unread.has(c))
    : [];
  return {
    expected,
    deployed: [...deployed].sort(),
    missing,
    unread: [...unread].filter(c => !deployed.has(c)).sort(),
    anywhere,
    known,
  };
}

/**
 * One verdict from the three sources. Nothing running where Argo CD and Kubernetes looked is `not-deployed`; expected
 * clusters with nothing running are `partially-deployed`; otherwise the worst finding wins (down > degraded >
 * partially-deployed > healthy). A source that could not be read lowers the confidence and says so, but never makes
 * the service look broken or fine; when no source answered, the verdict is unknown.
 */
export function verdict(
  sources: EntityHealth['sources'],
  thresholds: VerdictThresholds = DEFAULT_THRESHOLDS,
  expectedClusters: string[] = [],
): Pick<EntityHealth, 'verdict' | 'reasons' | 'confidence' | 'deployment'> {
  const names = Object.keys(sources) as Array<keyof typeof sources>;
  const answered = names.filter(k => sources[k].status === 'ok');
  const failed = names.filter(
    k => sources[k].status === 'error' || sources[k].status === 'timeout',
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
        `${SOURCE_NAMES[name]} could not be read${
          result.status === 'timeout' ? ' in time' : ''
        }: ${result.error?.message ?? result.status}`,
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
  const nr = sources.newrelic;
  if (nr.status === 'ok' && nr.data && !nr.data.signals)
    notes.push('New Relic has no data for this service');
  const { anywhere, known, ...deployment } = deploymentCoverage(
    sources,
    expectedClusters,
  );
  let confidence: EntityHealth['confidence'] = 'full';
  if (!answered.length) confidence = 'none';
  else if (failed.length) confidence = 'partial';
  if (!answered.length) {
    return {
      verdict: 'unknown',
      confidence,
      deployment,
      reasons: notes.length
        ? notes
        : ['No runtime source is configured for this entity'],
    };
  }
  const partialNote = failed.length
    ? [
        `Partial view: based on ${answered
          .map(n => SOURCE_NAMES[n])
          .join(', ')} only`,
      ]
    : [];
  if (known && !anywhere) {
    const where = expectedClusters.length
      ? `on ${expectedClusters.join(', ')}`
      : 'anywhere';
    return {
      verdict: 'not-deployed',
      confidence,
      deployment,
      reasons: [
        `Not deployed ${where} yet: no workload runs and no Argo CD application has deployed anything`,
        ...findings.map(f => f.reason),
        ...notes,
        ...partialNote,
      ],
    };
  }
  if (deployment.missing.length) {
    findings.push({
      verdict: 'partially-deployed',
      reason: `Not deployed on ${deployment.missing.join(', ')} (deployed on ${
        deployment.deployed.join(', ') || 'an unnamed cluster'
      })`,
    });
  }
  findings.sort((a, b) => SEVERITY[b.verdict] - SEVERITY[a.verdict]);
  const worst = (findings[0]?.verdict ?? 'healthy') as EntityHealth['verdict'];
  return {
    verdict: worst,
    confidence,
    deployment,
    reasons: [
      ...findings.map(f => f.reason),
      ...(worst === 'healthy'
        ? [`All ${answered.map(a => SOURCE_NAMES[a]).join(', ')} checks pass`]
        : []),
      ...notes,
      ...partialNote,
    ],
  };
}
