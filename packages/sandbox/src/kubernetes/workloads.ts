import { createHash } from 'node:crypto';
import type { SandboxSeed } from '../seed';
import type { ObjectStore } from './store';

type Service = SandboxSeed['services'][number];
type Health = Service['clusters'][string];

const hash = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/** A fixed point in time, so seeded timestamps (pod starts, restarts) are the same on every start. */
const STARTED = '2026-11-01T08:00:00Z';

function containerStatus(
  container: { name: string; image: string },
  health: Health,
  index: number,
) {
  const { image } = container;
  const service = { name: container.name };
  if (health === 'down') {
    return {
      name: service.name,
      image,
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: {
        waiting: {
          reason: 'ImagePullBackOff',
          message: `Back-off pulling image "${image}"`,
        },
      },
    };
  }
  if (health === 'degraded' && index === 0) {
    return {
      name: service.name,
      image,
      imageID: `${image.split(':')[0]}@sha256:${hash(image, 64)}`,
      ready: false,
      started: false,
      restartCount: 7,
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off 5m0s restarting failed container=${service.name}`,
        },
      },
      lastState: {
        terminated: { exitCode: 1, reason: 'Error', finishedAt: STARTED },
      },
    };
  }
  return {
    name: service.name,
    image,
    imageID: `${image.split(':')[0]}@sha256:${hash(image, 64)}`,
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: STARTED } },
  };
}

/**
 * Seeds a service's Deployment, its ReplicaSet and Pods on one cluster, with statuses as the controllers and
 * kubelet would report them: all ready (healthy), one pod in CrashLoopBackOff (degraded), or every pod stuck in
 * ImagePullBackOff (down).
 */
export function seedWorkload(
  store: ObjectStore,
  service: Service,
  health: Health,
): void {
  const manager = 'sandbox-seed';
  const labels = {
    'app.kubernetes.io/name': service.name,
    'backstage.io/kubernetes-id': service.name,
  };
  // A namespace that exists (provisioned by Paved, with its quota labels) is left as it is.
  if (!store.get('v1', 'Namespace', undefined, service.namespace))
    store.apply(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        // As paved:namespace:provision left it for the team.
        metadata: {
          name: service.namespace,
          labels: {
            'paved.dev/owner': `group.default.${service.team}`,
            'app.kubernetes.io/managed-by': 'paved',
          },
          annotations: {
            'paved.dev/owner-ref': `group:default/${service.team}`,
          },
        },
      },
      'paved', // the namespace is Paved's, as if provisioned by it
      { namespaced: false },
    );
  const template = {
    metadata: { labels },
    spec: {
      serviceAccountName: 'workload',
      containers: [
        {
          name: service.name,
          image: service.image,
          ports: [{ containerPort: 8080, name: 'http' }],
          readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
        },
      ],
    },
  };
  const deployment = store.apply(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: service.name, namespace: service.namespace, labels },
      spec: {
        replicas: service.replicas,
        selector: { matchLabels: { 'app.kubernetes.io/name': service.name } },
        template,
      },
    },
    manager,
    { namespaced: true },
  ).object;
  runDeployment(store, deployment, health, manager);
}

/**
 * What the Deployment and ReplicaSet controllers and the kubelet do with an applied Deployment: its ReplicaSet (named
 * after the pod template's hash) and Pods, with statuses — all ready (healthy), one pod in CrashLoopBackOff
 * (degraded), or every pod stuck in ImagePullBackOff (down). For seeded services and for the Deployments of charts
 * the sandbox's Argo CD syncs.
 */
export function runDeployment(
  store: ObjectStore,
  deployment: any,
  health: Health,
  manager = 'kube-controller-manager',
): void {
  const namespace: string = deployment.metadata.namespace;
  const name: string = deployment.metadata.name;
  const replicas: number = deployment.spec?.replicas ?? 1;
  const template = deployment.spec.template;
  const labels: Record<string, string> = template.metadata?.labels ?? {};
  const selector: Record<string, string> =
    deployment.spec.selector?.matchLabels ?? {};
  const containers: Array<{ name: string; image: string }> =
    template.spec?.containers ?? [];
  // Seeded services keep the names they always had; a new image is a new ReplicaSet.
  const templateHash = hash(`${name}/${containers[0]?.image ?? ''}`, 10);
  const rsName = `${name}-${templateHash}`;
  const ready = {
    healthy: replicas,
    degraded: Math.max(replicas - 1, 0),
    down: 0,
  }[health];
  const owner = (
    kind: string,
    ownerName: string,
    uid: string,
    apiVersion: string,
  ) => [
    {
      apiVersion,
      kind,
      name: ownerName,
      uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  const podLabels = { ...labels, 'pod-template-hash': templateHash };
  // A rollout that finished: the Deployment's older ReplicaSets are scaled away, their Pods gone.
  for (const old of store.list('apps/v1', 'ReplicaSet', namespace)) {
    if (
      old.metadata.name !== rsName &&
      old.metadata.ownerReferences?.some(
        (r: any) => r.uid === deployment.metadata.uid,
      )
    )
      store.delete('apps/v1', 'ReplicaSet', namespace, old.metadata.name);
  }
  collectGarbage(store, namespace);
  const rs = store.apply(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace,
        labels: podLabels,
        ownerReferences: owner(
          'Deployment',
          name,
          deployment.metadata.uid,
          'apps/v1',
        ),
      },
      spec: {
        replicas,
        selector: {
          matchLabels: { ...selector, 'pod-template-hash': templateHash },
        },
        template: { ...template, metadata: { labels: podLabels } },
      },
    },
    manager,
    { namespaced: true },
  ).object;
  store.setStatus('apps/v1', 'ReplicaSet', namespace, rsName, {
    replicas,
    readyReplicas: ready,
    availableReplicas: ready,
    fullyLabeledReplicas: replicas,
    observedGeneration: 1,
  });
  store.setStatus('apps/v1', 'Deployment', namespace, name, {
    observedGeneration: deployment.metadata.generation ?? 1,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: ready,
    availableReplicas: ready,
    unavailableReplicas: replicas - ready,
    conditions: [
      {
        type: 'Available',
        status: ready === replicas ? 'True' : 'False',
        reason:
          ready === replicas
            ? 'MinimumReplicasAvailable'
            : 'MinimumReplicasUnavailable',
        lastTransitionTime: STARTED,
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        lastTransitionTime: STARTED,
      },
    ],
  });
  for (let i = 0; i < replicas; i++) {
    const podName = `${rsName}-${hash(`${rsName}/${i}`, 5)}`;
    store.apply(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName,
          namespace,
          labels: podLabels,
          ownerReferences: owner(
            'ReplicaSet',
            rsName,
            rs.metadata.uid,
            'apps/v1',
          ),
        },
        spec: template.spec,
      },
      manager,
      { namespaced: true },
    );
    const statuses = containers.map(c => containerStatus(c, health, i));
    const podReady = statuses.every(c => c.ready);
    store.setStatus('v1', 'Pod', namespace, podName, {
      phase: health === 'down' ? 'Pending' : 'Running',
      conditions: [
        { type: 'Ready', status: podReady ? 'True' : 'False' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: statuses,
      startTime: STARTED,
      podIP: `10.0.${i + 1}.${(parseInt(hash(podName, 2), 16) % 250) + 2}`,
    });
  }
}

/** The garbage collector: ReplicaSets and Pods whose owner is gone are deleted. */
export function collectGarbage(store: ObjectStore, namespace: string): void {
  for (const [apiVersion, kind] of [
    ['apps/v1', 'ReplicaSet'],
    ['v1', 'Pod'],
  ]) {
    const live = new Set(store.all().map(o => o.metadata?.uid));
    for (const o of store.list(apiVersion, kind, namespace)) {
      const owners: any[] = o.metadata.ownerReferences ?? [];
      if (owners.length && !owners.some(r => live.has(r.uid)))
        store.delete(apiVersion, kind, namespace, o.metadata.name);
    }
  }
}
