import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { Sandbox, startSandbox } from './index';

jest.setTimeout(120_000);

const chart: Record<string, string> = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'chart/values.yaml': 'replicas: 2\nimage: web:1.0.0\n',
  'chart/values-dev-eu.yaml': 'replicas: 3\n',
  'chart/templates/_labels.tpl':
    '{{- define "web.selector" -}}\napp.kubernetes.io/name: {{ .Chart.Name }}\napp.kubernetes.io/instance: {{ .Release.Name }}\n{{- end }}\n',
  'chart/templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Chart.Name }}',
    '  labels: {{- include "web.selector" . | nindent 4 }}',
    'spec:',
    '  replicas: {{ .Values.replicas }}',
    '  selector:',
    '    matchLabels: {{- include "web.selector" . | nindent 6 }}',
    '  template:',
    '    metadata:',
    '      labels: {{- include "web.selector" . | nindent 8 }}',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: {{ .Values.image | quote }}',
    '          ports: [{ name: http, containerPort: 8080 }]',
    '',
  ].join('\n'),
  'chart/templates/service.yaml': [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: {{ .Chart.Name }}',
    'spec:',
    '  selector: {{- include "web.selector" . | nindent 4 }}',
    '  ports: [{ name: http, port: 80, targetPort: http }]',
    '',
  ].join('\n'),
  'chart/templates/pdb.yaml': [
    'apiVersion: policy/v1',
    'kind: PodDisruptionBudget',
    'metadata:',
    '  name: {{ .Chart.Name }}',
    'spec:',
    '  maxUnavailable: 1',
    '  selector:',
    '    matchLabels: {{- include "web.selector" . | nindent 6 }}',
    '',
  ].join('\n'),
  'chart/templates/hpa.yaml': [
    'apiVersion: autoscaling/v2',
    'kind: HorizontalPodAutoscaler',
    'metadata:',
    '  name: {{ .Chart.Name }}',
    'spec:',
    '  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: {{ .Chart.Name }} }',
    '  minReplicas: {{ .Values.replicas }}',
    '  maxReplicas: 6',
    '',
  ].join('\n'),
};

// The sandbox's Argo CD syncs a chart the way Argo CD does: real `helm template` of the repository at its revision,
// with the Application's value files, the objects validated and applied to the destination cluster.
describe("the sandbox's Argo CD renders and applies charts", () => {
  let sandbox: Sandbox;
  const temp: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ gitopsPolling: false });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-chart-'));
    temp.push(dir);
    for (const [file, content] of Object.entries(chart)) {
      await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await fs.writeFile(path.join(dir, file), content);
    }
    await sandbox.github.publish('web', dir);
    await sandbox.github.commit(
      'gitops',
      {
        // The platform's namespaces application applies these (paved:namespace:provision writes them).
        'clusters/dev-eu/namespaces/web.yaml': [
          stringify({
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: {
              name: 'web',
              annotations: { 'paved.dev/owner-ref': 'group:default/web-team' },
            },
          }),
          stringify({
            apiVersion: 'v1',
            kind: 'ResourceQuota',
            metadata: { name: 'paved-quota', namespace: 'web' },
            spec: { hard: { pods: '20' } },
          }),
        ].join('---\n'),
        'argocd/main/projects/web-team.yaml': stringify({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AppProject',
          metadata: { name: 'web-team', namespace: 'argocd' },
          spec: {
            sourceRepos: [`${sandbox.url}/${sandbox.github.org}/*`],
            destinations: [{ name: 'dev-eu', namespace: 'web' }],
          },
        }),
        'argocd/main/applications/web-dev-eu.yaml': stringify({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: {
            name: 'web-dev-eu',
            namespace: 'argocd',
            annotations: {
              'paved.dev/entity-ref': 'component:default/web',
              'paved.dev/owner-ref': 'group:default/web-team',
            },
          },
          spec: {
            project: 'web-team',
            source: {
              repoURL: `${sandbox.url}/${sandbox.github.org}/web.git`,
              path: 'chart',
              targetRevision: 'HEAD',
              helm: { valueFiles: ['values.yaml', 'values-dev-eu.yaml'] },
            },
            destination: { name: 'dev-eu', namespace: 'web' },
            syncPolicy: { automated: { prune: true, selfHeal: true } },
          },
        }),
      },
      { message: 'Register web' },
    );
  });
  afterAll(async () => {
    await sandbox.close();
    await Promise.all(
      temp.map(d => fs.rm(d, { recursive: true, force: true })),
    );
  });

  const argocd = async (rest: string) => {
    const instance = sandbox.seed.argocd.instances[0];
    const res = await fetch(
      `${sandbox.url}/argocd/${instance.name}/api/v1/${rest}`,
      { headers: { authorization: `Bearer ${instance.token}` } },
    );
    return res.json() as Promise<any>;
  };
  const sync = () =>
    fetch(`${sandbox.url}/__sandbox/gitops/sync`, { method: 'POST' }).then(r =>
      r.json(),
    );
  const live = async () =>
    ((await sandbox.snapshot()).kubernetes['dev-eu'] as any[]).filter(
      o => o.metadata.namespace === 'web',
    );
  const head = async () =>
    (
      await fetch(
        `${sandbox.github.apiUrl}/repos/${sandbox.github.org}/web/git/ref/heads/main`,
        { headers: { authorization: `token ${sandbox.github.token}` } },
      ).then(r => r.json())
    ).object.sha as string;

  it("applies the chart's own objects with the cluster's values, and runs the Deployment", async () => {
    expect((await sync()).applied).toBeGreaterThanOrEqual(4);
    const app = await argocd('applications/web-dev-eu');
    expect(app.status).toMatchObject({
      sync: { status: 'Synced', revision: await head() },
      health: { status: 'Healthy' },
      operationState: { phase: 'Succeeded' },
    });
    const namespace = (
      (await sandbox.snapshot()).kubernetes['dev-eu'] as any[]
    ).find(o => o.kind === 'Namespace' && o.metadata.name === 'web');
    expect(namespace.metadata.annotations['paved.dev/owner-ref']).toBe(
      'group:default/web-team',
    );
    const objects = await live();
    expect(objects.some(o => o.kind === 'ResourceQuota')).toBe(true);
    const kinds = objects.map(o => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Deployment/web',
        'HorizontalPodAutoscaler/web',
        'PodDisruptionBudget/web',
        'Service/web',
      ]),
    );
    const deployment = objects.find(o => o.kind === 'Deployment');
    // values-dev-eu.yaml layered on values.yaml; the release is the Application's name.
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.metadata.labels['app.kubernetes.io/instance']).toBe(
      'web-dev-eu',
    );
    expect(deployment.status.readyReplicas).toBe(3);
    expect(objects.filter(o => o.kind === 'Pod')).toHaveLength(3);
    const tree = await argocd('applications/web-dev-eu/resource-tree');
    expect(tree.nodes.map((n: any) => n.kind).sort()).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'Pod',
      'Pod',
      'Pod',
      'PodDisruptionBudget',
      'ReplicaSet',
      'Service',
    ]);
  });

  it("fails the sync with Helm's message when the chart does not render, and leaves the cluster as it was", async () => {
    const before = await live();
    await sandbox.github.commit('web', {
      'chart/templates/service.yaml': `${chart['chart/templates/service.yaml']}  clusterIP: {{ .Values.network.clusterIP }}\n`,
    });
    // No GitOps change: the sandbox polls the chart's repository, as Argo CD does.
    await sync();
    const app = await argocd('applications/web-dev-eu');
    expect(app.status.sync.status).toBe('OutOfSync');
    expect(app.status.operationState.phase).toBe('Failed');
    expect(app.status.conditions[0].type).toBe('ComparisonError');
    expect(app.status.conditions[0].message).toMatch(
      /^Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = `helm template \. --name-template web-dev-eu --namespace web --values values\.yaml --values values-dev-eu\.yaml` failed exit status 1: Error: web\/templates\/service\.yaml:8:\d+\s+executing "web\/templates\/service\.yaml" at <\.Values\.network\.clusterIP>:\s+nil pointer evaluating interface \{\}\.clusterIP/,
    );
    expect(await live()).toEqual(before);
  });

  it('refuses an object the cluster would reject, applying none of them', async () => {
    const before = await live();
    await sandbox.github.commit('web', {
      'chart/templates/service.yaml': chart['chart/templates/service.yaml'],
      'chart/values.yaml': 'replicas: two\nimage: web:1.1.0\n',
      'chart/values-dev-eu.yaml': 'replicas: two\n',
    });
    await sync();
    const app = await argocd('applications/web-dev-eu');
    expect(app.status.operationState.phase).toBe('Failed');
    expect(app.status.conditions[0].message).toMatch(
      /^one or more objects failed to apply, reason: Deployment "web" is invalid: .*replicas/,
    );
    expect(await live()).toEqual(before);
  });

  it('syncs the next good commit: new image rolled out, what the chart no longer renders pruned', async () => {
    await sandbox.github.commit('web', {
      'chart/values.yaml': 'replicas: 2\nimage: web:1.1.0\n',
      'chart/values-dev-eu.yaml': 'replicas: 2\n',
      'chart/templates/pdb.yaml': null,
    });
    await sync();
    const app = await argocd('applications/web-dev-eu');
    expect(app.status).toMatchObject({
      sync: { status: 'Synced', revision: await head() },
      health: { status: 'Healthy' },
    });
    expect(app.status.conditions).toBeUndefined();
    expect(app.status.history).toHaveLength(2);
    const objects = await live();
    expect(objects.some(o => o.kind === 'PodDisruptionBudget')).toBe(false);
    const pods = objects.filter(o => o.kind === 'Pod');
    expect(pods).toHaveLength(2);
    expect(pods.map(p => p.spec.containers[0].image)).toEqual([
      'web:1.1.0',
      'web:1.1.0',
    ]);
    expect(objects.filter(o => o.kind === 'ReplicaSet')).toHaveLength(1);
  });

  it('leaves the replicas to the HPA when the chart does not set them, as the autoscaler would', async () => {
    await sandbox.github.commit('web', {
      'chart/templates/deployment.yaml': chart[
        'chart/templates/deployment.yaml'
      ].replace('  replicas: {{ .Values.replicas }}\n', ''),
    });
    await sync();
    const objects = await live();
    const deployment = objects.find(o => o.kind === 'Deployment');
    expect(deployment.spec.replicas).toBe(2); // the HPA's minReplicas
    expect(deployment.status.readyReplicas).toBe(2);
    expect(
      objects.find(o => o.kind === 'HorizontalPodAutoscaler').status,
    ).toEqual({ currentReplicas: 2, desiredReplicas: 2 });
  });

  it('leaves github.com sources to the synthetic workload, even when the sandbox has a repository of that name', async () => {
    await sandbox.github.commit('gitops', {
      'argocd/main/applications/web-github.yaml': stringify({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name: 'web-github',
          namespace: 'argocd',
          annotations: {
            'paved.dev/entity-ref': 'component:default/web-github',
            'paved.dev/owner-ref': 'group:default/web-team',
          },
        },
        spec: {
          project: 'default',
          source: {
            repoURL: `https://github.com/${sandbox.github.org}/web`,
            path: 'chart',
            targetRevision: 'HEAD',
          },
          destination: { name: 'dev-eu', namespace: 'web' },
          syncPolicy: { automated: { prune: true } },
        },
      }),
    });
    await sync();
    const app = await argocd('applications/web-github');
    expect(app.status).toMatchObject({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
    });
    expect(app.status.conditions).toBeUndefined();
    const deployment = (await live()).find(
      o => o.kind === 'Deployment' && o.metadata.name === 'web-github',
    );
    expect(
      deployment.metadata.labels['app.kubernetes.io/instance'],
    ).toBeUndefined();
  });

  it('refuses value files and chart paths that leave the repository, applying nothing', async () => {
    await sandbox.github.commit('gitops', {
      'argocd/main/applications/web-escape.yaml': stringify({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name: 'web-escape',
          namespace: 'argocd',
          annotations: { 'paved.dev/entity-ref': 'component:default/web' },
        },
        spec: {
          project: 'web-team',
          source: {
            repoURL: `${sandbox.url}/${sandbox.github.org}/web.git`,
            path: 'chart',
            targetRevision: 'HEAD',
            helm: { valueFiles: ['../../../../../../etc/hostname'] },
          },
          destination: { name: 'dev-eu', namespace: 'web' },
          syncPolicy: { automated: {} },
        },
      }),
    });
    await sync();
    const app = await argocd('applications/web-escape');
    expect(app.status.conditions[0].message).toBe(
      '../../../../../../etc/hostname: path must stay inside the repository',
    );
    expect(
      (await live()).filter(
        o => o.metadata.labels?.['app.kubernetes.io/instance'] === 'web-escape',
      ),
    ).toEqual([]);
  });
});
