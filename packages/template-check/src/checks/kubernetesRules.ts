/** API versions the Kubernetes API server (or the operator owning the group) no longer serves, and what to use. */
const REMOVED: Record<string, string> = {
  'extensions/v1beta1':
    'removed in Kubernetes 1.16/1.22: use apps/v1 or networking.k8s.io/v1',
  'apps/v1beta1': 'removed in Kubernetes 1.16: use apps/v1',
  'apps/v1beta2': 'removed in Kubernetes 1.16: use apps/v1',
  'networking.k8s.io/v1beta1':
    'removed in Kubernetes 1.22: use networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1beta1':
    'removed in Kubernetes 1.22: use rbac.authorization.k8s.io/v1',
  'apiextensions.k8s.io/v1beta1':
    'removed in Kubernetes 1.22: use apiextensions.k8s.io/v1',
  'admissionregistration.k8s.io/v1beta1':
    'removed in Kubernetes 1.22: use admissionregistration.k8s.io/v1',
  'policy/v1beta1': 'removed in Kubernetes 1.25: use policy/v1',
  'batch/v1beta1': 'removed in Kubernetes 1.25: use batch/v1',
  'autoscaling/v2beta1': 'removed in Kubernetes 1.25: use autoscaling/v2',
  'autoscaling/v2beta2': 'removed in Kubernetes 1.26: use autoscaling/v2',
  'flowcontrol.apiserver.k8s.io/v1beta1':
    'removed in Kubernetes 1.26: use flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta2':
    'removed in Kubernetes 1.29: use flowcontrol.apiserver.k8s.io/v1',
  'external-secrets.io/v1beta1':
    'no longer served since External Secrets Operator v0.17: use external-secrets.io/v1',
  'external-secrets.io/v1alpha1':
    'no longer served by External Secrets Operator: use external-secrets.io/v1',
};

/** Versions served by the CRD groups a golden path uses: any other version is a typo or gone. */
const SERVED: Record<string, string[]> = {
  'external-secrets.io': ['v1'],
  'argoproj.io': ['v1alpha1'],
};

/** Groups of Kubernetes itself (no dot, or *.k8s.io): kubernetes-models has every version they serve. */
const builtIn = (group: string) =>
  group === '' || !group.includes('.') || group.endsWith('.k8s.io');

/**
 * Why an object's apiVersion would be refused by the cluster, or undefined. `known` says whether kubernetes-models
 * has a schema for it (it has one for every built-in version the API server serves).
 */
export function apiVersionProblem(
  apiVersion: string,
  known: boolean,
): string | undefined {
  const removed = REMOVED[apiVersion];
  if (removed) return `apiVersion ${apiVersion} is ${removed}`;
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  const served = SERVED[group];
  if (served && !served.includes(version))
    return `apiVersion ${apiVersion} is not served: ${group} serves ${served.join(
      ', ',
    )}`;
  if (!known && builtIn(group))
    return `apiVersion ${apiVersion} is not an API version Kubernetes serves`;
  return undefined;
}

type Labels = Record<string, string>;
const WORKLOADS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
]);
const matches = (selector: Labels, labels: Labels | undefined) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const text = (selector: Labels) =>
  Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/**
 * What the API server or the controllers would make of one chart's objects together: a workload whose selector
 * does not match its own pod template is refused; a Service or PodDisruptionBudget selecting no pod template of the
 * chart, or an autoscaler whose target is not in it, does nothing. Problems keyed by the object's index.
 */
export function selectorProblems(objects: any[]): Map<number, string[]> {
  const problems = new Map<number, string[]>();
  const add = (i: number, message: string) =>
    problems.set(i, [...(problems.get(i) ?? []), message]);
  const podLabels = objects
    .filter(o => WORKLOADS.has(o.kind))
    .map(o => o.spec?.template?.metadata?.labels as Labels | undefined);
  objects.forEach((o, i) => {
    if (WORKLOADS.has(o.kind)) {
      const selector: Labels = o.spec?.selector?.matchLabels ?? {};
      if (!matches(selector, o.spec?.template?.metadata?.labels))
        add(
          i,
          `spec.selector.matchLabels ${text(
            selector,
          )} does not match the pod template's labels: the API server refuses it`,
        );
    }
    const selector: Labels | undefined =
      (o.kind === 'Service' && o.spec?.selector) ||
      (o.kind === 'PodDisruptionBudget' && o.spec?.selector?.matchLabels) ||
      undefined;
    if (
      selector &&
      Object.keys(selector).length &&
      podLabels.length &&
      !podLabels.some(labels => matches(selector, labels))
    )
      add(
        i,
        `selects ${text(
          selector,
        )}, which no pod template of the chart carries: ${
          o.kind === 'Service'
            ? 'it would have no endpoints'
            : 'it protects nothing'
        }`,
      );
    const target =
      o.kind === 'HorizontalPodAutoscaler' && o.spec?.scaleTargetRef;
    if (
      target &&
      !objects.some(
        t => t.kind === target.kind && t.metadata?.name === target.name,
      )
    )
      add(
        i,
        `scaleTargetRef ${target.kind}/${target.name} is not in the chart: it scales nothing`,
      );
  });
  return problems;
}

/**
 * What the golden path promises of a chart's objects together, beyond what the API server checks: a Deployment
 * survives node drains and rollouts (a PodDisruptionBudget covers its pods, topology spread keeps them on different
 * nodes and zones, a preStop hook lets the load balancer stop sending before SIGTERM), starts before its secret has
 * synced (`envFrom` secrets optional), and an ALB Ingress joins a shared load balancer (`group.name`) instead of
 * costing one each. Problems keyed by the object's index.
 */
export function goldenPathProblems(objects: any[]): Map<number, string[]> {
  const problems = new Map<number, string[]>();
  const add = (i: number, message: string) =>
    problems.set(i, [...(problems.get(i) ?? []), message]);
  objects.forEach((o, i) => {
    if (o.kind === 'Deployment') {
      const labels: Labels = o.spec?.template?.metadata?.labels ?? {};
      const pod = o.spec?.template?.spec ?? {};
      if (
        !objects.some(
          p =>
            p.kind === 'PodDisruptionBudget' &&
            Object.keys(p.spec?.selector?.matchLabels ?? {}).length &&
            matches(p.spec.selector.matchLabels, labels),
        )
      )
        add(
          i,
          'no PodDisruptionBudget covers its pods: a node drain or Karpenter consolidation can evict them all at once',
        );
      const keys = new Set(
        (pod.topologySpreadConstraints ?? []).map((t: any) => t.topologyKey),
      );
      for (const key of [
        'topology.kubernetes.io/zone',
        'kubernetes.io/hostname',
      ])
        if (!keys.has(key))
          add(
            i,
            `no topologySpreadConstraints on ${key}: its replicas may share one ${
              key.includes('zone') ? 'zone' : 'node'
            }`,
          );
      for (const c of pod.containers ?? []) {
        if (!c.lifecycle?.preStop)
          add(
            i,
            `container ${c.name} has no preStop hook: on SIGTERM it stops while the load balancer still sends to it (5xx during rollouts)`,
          );
        for (const e of c.envFrom ?? [])
          if (e.secretRef && e.secretRef.optional !== true)
            add(
              i,
              `container ${c.name}: envFrom secret ${e.secretRef.name} is not optional: the pod cannot start until the ExternalSecret has synced`,
            );
      }
    }
    if (
      o.kind === 'Ingress' &&
      o.spec?.ingressClassName === 'alb' &&
      !o.metadata?.annotations?.['alb.ingress.kubernetes.io/group.name']
    )
      add(
        i,
        'no alb.ingress.kubernetes.io/group.name annotation: every such Ingress gets a load balancer of its own',
      );
  });
  return problems;
}
