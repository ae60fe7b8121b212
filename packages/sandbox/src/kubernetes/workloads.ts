import { createHash } from 'node:crypto';
import type { SandboxSeed } from '../seed';
import type { ObjectStore } from './store';

type Service = SandboxSeed['services'][number];
type Health = Service['clusters'][string];

const hash = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/** A fixed point in time, so seeded timestamps (pod starts, restarts) are the same on every start. */
const STARTED = '2026-11-01T08:00:00Z';

function containerStatus(service: Service, health: Health, index: number) {
  const image = service.image;
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
  const templateHash = hash(`${service.name}/${service.image}`, 10);
  const rsName = `${service.name}-${templateHash}`;
  const ready = {
    healthy: service.replicas,
    degraded: service.replicas - 1,
    down: 0,
  }[health];
  const owner = (
    kind: string,
    name: string,
    uid: string,
    apiVersion: string,
  ) => [
    { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true },
  ];
  const rs = store.apply(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: service.namespace,
        labels: { ...labels, 'pod-template-hash': templateHash },
        ownerReferences: owner(
          'Deployment',
          service.name,
          deployment.metadata.uid,
          'apps/v1',
        ),
      },
      spec: {
        replicas: service.replicas,
        selector: {
          matchLabels: {
            'app.kubernetes.io/name': service.name,
            'pod-template-hash': templateHash,
          },
        },
        template: {
          ...template,
          metadata: {
            labels: { ...labels, 'pod-template-hash': templateHash },
          },
        },
      },
    },
    manager,
    { namespaced: true },
  ).object;
  store.setStatus('apps/v1', 'ReplicaSet', service.namespace, rsName, {
    replicas: service.replicas,
    readyReplicas: ready,
    availableReplicas: ready,
    fullyLabeledReplicas: service.replicas,
    observedGeneration: 1,
  });
  store.setStatus('apps/v1', 'Deployment', service.namespace, service.name, {
    observedGeneration: 1,
    replicas: service.replicas,
    updatedReplicas: service.replicas,
    readyReplicas: ready,
    availableReplicas: ready,
    unavailableReplicas: service.replicas - ready,
    conditions: [
      {
        type: 'Available',
        status: ready === service.replicas ? 'True' : 'False',
        reason:
          ready === service.replicas
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
  for (let i = 0; i < service.replicas; i++) {
    const podName = `${rsName}-${hash(`${rsName}/${i}`, 5)}`;
    store.apply(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName,
          namespace: service.namespace,
          labels: { ...labels, 'pod-template-hash': templateHash },
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
    const container = containerStatus(service, health, i);
    store.setStatus('v1', 'Pod', service.namespace, podName, {
      phase: health === 'down' ? 'Pending' : 'Running',
      conditions: [
        { type: 'Ready', status: container.ready ? 'True' : 'False' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [container],
      startTime: STARTED,
      podIP: `10.0.${i + 1}.${(parseInt(hash(podName, 2), 16) % 250) + 2}`,
    });
  }
}
