import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { listFiles } from './files';
import { checkKubernetes } from './kubernetes';

const pdb = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .Values.name }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: { app: {{ .Values.name }} }
`;

/** An ALB Ingress for `.Values.host`, with `metadata` lines added after its name. */
const albIngress = (metadata: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web${metadata}
spec:
  ingressClassName: alb
  rules:
    - host: {{ .Values.host }}
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`;

/** A chart in a fresh folder: Chart.yaml, values files and templates as given. */
async function chart(files: Record<string, string>) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-k8s-check-'));
  const all: Record<string, string> = {
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'chart/values.yaml': 'replicas: 2\nname: web\n',
    'chart/templates/pdb.yaml': pdb,
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await fs.writeFile(path.join(dir, file), text);
  }
  return dir;
}

const check = async (dir: string) => {
  const result = await checkKubernetes(dir, await listFiles(dir));
  await fs.rm(dir, { recursive: true, force: true });
  return result;
};

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Values.name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: { app: {{ .Values.name }} }
  template:
    metadata:
      labels: { app: {{ .Values.name }} }
    spec:
      securityContext: { runAsNonRoot: true }
      topologySpreadConstraints:
        - { topologyKey: topology.kubernetes.io/zone, maxSkew: 1, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: {{ .Values.name }} } } }
        - { topologyKey: kubernetes.io/hostname, maxSkew: 1, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: {{ .Values.name }} } } }
      containers:
        - name: app
          image: web:1
          lifecycle: { preStop: { sleep: { seconds: 10 } } }
          readinessProbe: { httpGet: { path: /readyz, port: 8080 } }
          livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
          resources:
            requests: { cpu: 100m, memory: 64Mi }
            limits: { cpu: 200m, memory: 128Mi }
`;

describe('checkKubernetes (real Helm)', () => {
  it("renders what Helm's own scaffold and charts use: else if, until, toJson, print, sha256sum, trim, contains, printf %d, multi-argument eq", async () => {
    const result = await check(
      await chart({
        'chart/templates/deployment.yaml': deployment,
        'chart/templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "web.fullname" . }}
  annotations:
    checksum: {{ .Values | toJson | sha256sum | trunc 12 | quote }}
data:
  {{- if eq (int .Values.replicas) 1 }}
  mode: single
  {{- else if eq (int .Values.replicas) 2 3 }}
  mode: {{ print "pair" | quote }}
  {{- else }}
  mode: many
  {{- end }}
  ports: {{ until 3 | toJson | quote }}
  count: {{ printf "%d" (int .Values.replicas) | quote }}
  trimmed: {{ trim "  web  " | quote }}
  {{- if contains "we" .Values.name }}
  contains: "yes"
  {{- end }}
  kube: {{ .Capabilities.KubeVersion.Version | quote }}
`,
        'chart/templates/_helpers.tpl': `{{- define "web.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
`,
      }),
    );
    expect(result.problems).toEqual([]);
    expect(result.files.sort()).toEqual([
      'chart/templates/configmap.yaml',
      'chart/templates/deployment.yaml',
      'chart/templates/pdb.yaml',
    ]);
  });

  it("names the values file and gives Helm's own message when a template does not render", async () => {
    const result = await check(
      await chart({
        'chart/templates/deployment.yaml': deployment,
        'chart/values-prod.yaml': 'ingress: null\n',
        'chart/templates/ingress.yaml':
          '{{- if .Values.ingress }}\nkind: Ingress\nhost: {{ .Values.ingress.host.name }}\n{{- end }}\n',
      }),
    );
    // values.yaml has no ingress, so only the layered file matters; here it is null too: both render.
    expect(result.problems).toEqual([]);
    const broken = await check(
      await chart({
        'chart/templates/deployment.yaml': deployment,
        'chart/values-prod.yaml': 'ingress: { host: "x" }\n',
        'chart/templates/ingress.yaml':
          '{{- if .Values.ingress }}\nkind: Ingress\nhost: {{ .Values.ingress.host.name }}\n{{- end }}\n',
      }),
    );
    expect(broken.problems).toEqual(
      expect.arrayContaining([
        {
          check: 'kubernetes',
          file: 'chart/templates/ingress.yaml',
          message: expect.stringMatching(
            /^helm template with chart\/values-prod\.yaml: .*templates\/ingress\.yaml:3:.*host\.name/,
          ),
        },
      ]),
    );
    // Said once: helm lint repeats helm template's error, and is left out.
    expect(
      broken.problems.filter(p => p.message.includes('values-prod.yaml')),
    ).toHaveLength(1);
    expect(broken.problems.filter(p => p.file === 'chart/values.yaml')).toEqual(
      [],
    );
  });

  it("refuses values that break the chart's values.schema.json, per values file", async () => {
    const result = await check(
      await chart({
        'chart/templates/deployment.yaml': deployment,
        'chart/values.schema.json': JSON.stringify({
          type: 'object',
          properties: { replicas: { type: 'integer', minimum: 1 } },
        }),
        'chart/values-dev.yaml': 'replicas: 0\n',
      }),
    );
    expect(result.problems.map(p => p.message).join('\n')).toContain(
      'with chart/values-dev.yaml',
    );
    expect(
      result.problems.find(p => p.message.startsWith('helm template'))?.message,
    ).toMatch(/replicas.*minimum|minimum.*replicas|must be >= 1/);
  });

  it('holds rendered workloads to the golden path rules and objects to their schema', async () => {
    const result = await check(
      await chart({
        'chart/templates/deployment.yaml': deployment
          .replace(/ {10}readinessProbe.*\n/, '')
          .replace('replicas: {{ .Values.replicas }}', 'replicas: "two"'),
      }),
    );
    expect(result.problems.map(p => p.message)).toEqual(
      expect.arrayContaining([
        'Deployment web (with chart/values.yaml): container app has no readinessProbe',
        expect.stringMatching(
          /^Deployment web \(with chart\/values\.yaml\): .*replicas/,
        ),
      ]),
    );
  });

  it('refuses API versions the cluster does not serve: removed, misspelled CRD versions, unknown built-in ones', async () => {
    const object = (apiVersion: string, kind: string) =>
      `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x-${kind.toLowerCase()}\n`;
    const result = await check(
      await chart({
        'chart/templates/deployment.yaml': deployment,
        'chart/templates/a.yaml': object(
          'policy/v1beta1',
          'PodDisruptionBudget',
        ),
        'chart/templates/b.yaml': object(
          'external-secrets.io/v1beta1',
          'ExternalSecret',
        ),
        'chart/templates/c.yaml': object(
          'external-secrets.io/v2',
          'ExternalSecret',
        ),
        'chart/templates/d.yaml': object('apps/v2', 'Deployment'),
        'chart/templates/e.yaml': object('apps/v1', 'Deploymnt'),
        'chart/templates/f.yaml': object(
          'external-secrets.io/v1',
          'ExternalSecret',
        ),
      }),
    );
    // Helm's lint adds its own words on some (deprecated PDB, Deployment without selector); ours name each.
    const ours = result.problems
      .filter(p => !p.message.startsWith('helm lint'))
      .map(p => `${p.file}: ${p.message}`);
    expect(ours).toEqual(
      expect.arrayContaining([
        'chart/templates/a.yaml: PodDisruptionBudget x-poddisruptionbudget (with chart/values.yaml): apiVersion policy/v1beta1 is removed in Kubernetes 1.25: use policy/v1',
        'chart/templates/b.yaml: ExternalSecret x-externalsecret (with chart/values.yaml): apiVersion external-secrets.io/v1beta1 is no longer served since External Secrets Operator v0.17: use external-secrets.io/v1',
        'chart/templates/c.yaml: ExternalSecret x-externalsecret (with chart/values.yaml): apiVersion external-secrets.io/v2 is not served: external-secrets.io serves v1',
        'chart/templates/d.yaml: Deployment x-deployment (with chart/values.yaml): apiVersion apps/v2 is not an API version Kubernetes serves',
        'chart/templates/e.yaml: Deploymnt x-deploymnt (with chart/values.yaml): apps/v1 has no kind Deploymnt',
      ]),
    );
    // external-secrets.io/v1 is served: nothing said of f.yaml.
    expect(ours.filter(p => p.startsWith('chart/templates/f.yaml'))).toEqual(
      [],
    );
  });

  it('never loads code named by a rendered apiVersion', async () => {
    const canary = path.join(os.tmpdir(), `paved-canary-${process.pid}.txt`);
    const evilDir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-evil-'));
    await fs.mkdir(path.join(evilDir, 'v1'));
    await fs.writeFile(
      path.join(evilDir, 'v1', 'index.js'),
      `require('fs').writeFileSync(${JSON.stringify(
        canary,
      )}, 'PAVED-EXECUTED-');`,
    );
    const traversal = path.relative(
      path.dirname(require.resolve('kubernetes-models/package.json')),
      evilDir,
    );
    const result = await check(
      await chart({
        'chart/templates/evil.yaml': `apiVersion: ${traversal}/v1\nkind: X\nmetadata:\n  name: x\n`,
      }),
    );
    await expect(fs.access(canary)).rejects.toThrow();
    expect(result.problems.map(p => p.message)).toEqual([
      expect.stringContaining(
        'is not an API version (group/version such as apps/v1)',
      ),
    ]);
    await fs.rm(evilDir, { recursive: true, force: true });
  });

  it('finds selectors that match nothing: the workload refused, a Service without endpoints, a PDB and an HPA that do nothing', async () => {
    const result = await check(
      await chart({
        'chart/templates/deployment.yaml': deployment.replace(
          'labels: { app: {{ .Values.name }} }',
          'labels: { app: other }',
        ),
        'chart/templates/service.yaml':
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: { app: web }\n  ports: [{ port: 80 }]\n',
        'chart/templates/pdb.yaml':
          'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector: { matchLabels: { app: web } }\n',
        'chart/templates/hpa.yaml':
          'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: webb }\n  maxReplicas: 3\n',
      }),
    );
    expect(result.problems.map(p => p.message).sort()).toEqual([
      'Deployment web (with chart/values.yaml): no PodDisruptionBudget covers its pods: a node drain or Karpenter consolidation can evict them all at once',
      "Deployment web (with chart/values.yaml): spec.selector.matchLabels app=web does not match the pod template's labels: the API server refuses it",
      'HorizontalPodAutoscaler web (with chart/values.yaml): scaleTargetRef Deployment/webb is not in the chart: it scales nothing',
      'PodDisruptionBudget web (with chart/values.yaml): selects app=web, which no pod template of the chart carries: it protects nothing',
      'Service web (with chart/values.yaml): selects app=web, which no pod template of the chart carries: it would have no endpoints',
    ]);
  });

  it('reports fields a kind does not have, as strict validation would, and checks ExternalSecrets against their CRD', async () => {
    const result = await check(
      await chart({
        'chart/templates/deployment.yaml': deployment
          .replace(
            '          readinessProbe:',
            '          readinesProbe: { httpGet: { path: /readyz, port: 8080 } }\n          readinessProbe:',
          )
          .replace('  replicas:', '  replica: 3\n  replicas:'),
        'chart/templates/externalsecret.yaml': `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: web
spec:
  refreshInterval: 1h
  secretStoreRef: { name: aws-secrets-manager, kind: ClusterStore }
  secretStore: aws
  target: { name: web, creationPolicy: Owner }
  dataFrom:
    - extract: { key: web }
`,
        'chart/templates/externalsecret-ok.yaml': `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: web-ok
spec:
  refreshInterval: 1h
  secretStoreRef: { name: aws-secrets-manager, kind: ClusterSecretStore }
  target: { name: web-ok, creationPolicy: Owner }
  dataFrom:
    - extract: { key: web }
`,
      }),
    );
    const messages = result.problems.map(p => `${p.file}: ${p.message}`);
    expect(messages).toEqual([
      'chart/templates/deployment.yaml: Deployment web (with chart/values.yaml): unknown field "spec.replica"',
      'chart/templates/deployment.yaml: Deployment web (with chart/values.yaml): unknown field "spec.template.spec.containers[0].readinesProbe"',
      expect.stringMatching(
        /^chart\/templates\/externalsecret\.yaml: ExternalSecret web \(with chart\/values\.yaml\): spec\.secretStoreRef\.kind must be equal to one of the allowed values \(SecretStore, ClusterSecretStore\) \(CRD schema, external-secrets\/external-secrets/,
      ),
      'chart/templates/externalsecret.yaml: ExternalSecret web (with chart/values.yaml): unknown field "spec.secretStore"',
    ]);
  });

  it('holds the chart to what the golden path promises: disruption budget, spread, preStop, optional secrets, a shared ALB, one host per cluster', async () => {
    const ingress = albIngress('');
    const result = await check(
      await chart({
        'chart/templates/pdb.yaml': '',
        'chart/templates/deployment.yaml': deployment
          .replace(/ {6}topologySpreadConstraints:\n( {8}.*\n)+/, '')
          .replace(/ {10}lifecycle: .*\n/, '')
          .replace(
            '          image: web:1',
            '          image: web:1\n          envFrom: [{ secretRef: { name: web } }]',
          ),
        'chart/templates/ingress.yaml': ingress,
        'chart/values.yaml': 'replicas: 2\nname: web\nhost: web.apps.example\n',
        'chart/values-dev-eu.yaml': 'host: web.apps.example\n',
        'chart/values-prod-eu.yaml': 'host: web.apps.example\n',
      }),
    );
    const messages = [
      ...new Set(
        result.problems.map(p =>
          `${p.file}: ${p.message}`.replace(/ \(with [^)]+\)/, ''),
        ),
      ),
    ];
    expect(messages).toEqual([
      'chart/templates/deployment.yaml: Deployment web: no PodDisruptionBudget covers its pods: a node drain or Karpenter consolidation can evict them all at once',
      'chart/templates/deployment.yaml: Deployment web: no topologySpreadConstraints on topology.kubernetes.io/zone: its replicas may share one zone',
      'chart/templates/deployment.yaml: Deployment web: no topologySpreadConstraints on kubernetes.io/hostname: its replicas may share one node',
      'chart/templates/deployment.yaml: Deployment web: container app has no preStop hook: on SIGTERM it stops while the load balancer still sends to it (5xx during rollouts)',
      'chart/templates/deployment.yaml: Deployment web: container app: envFrom secret web is not optional: the pod cannot start until the ExternalSecret has synced',
      'chart/templates/ingress.yaml: Ingress web: no alb.ingress.kubernetes.io/group.name annotation: every such Ingress gets a load balancer of its own',
      'chart/templates/ingress.yaml: Ingress host web.apps.example is published with chart/values-dev-eu.yaml and chart/values-prod-eu.yaml: external-dns on those clusters would fight over one DNS name (give each cluster its own host)',
    ]);
  });

  it("validates Argo CD's CRDs with their published schema", async () => {
    const result = await check(
      await chart({
        'chart/templates/deployment.yaml': deployment,
        'chart/templates/application.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: child
spec:
  project: default
  destination: { name: dev-eu, namespace: web }
  source: { repoURL: https://github.com/acme/web, path: chart, targetRevision: 3 }
`,
      }),
    );
    expect(result.problems.map(p => p.message)).toEqual([
      expect.stringMatching(
        /^Application child \(with chart\/values\.yaml\): .*spec\/source\/targetRevision must be string/,
      ),
    ]);
  });

  it('refuses a production and a non-production cluster reporting to New Relic under one name', async () => {
    const withEnv = deployment.replace(
      '          image: web:1',
      '          image: web:1\n          env: [{ name: NEW_RELIC_APP_NAME, value: {{ .Values.newRelic | quote }} }]',
    );
    const ingress = albIngress(`
  annotations:
    alb.ingress.kubernetes.io/scheme: {{ .Values.scheme }}
    alb.ingress.kubernetes.io/group.name: paved-{{ .Values.scheme }}`);
    const result = await check(
      await chart({
        'chart/templates/deployment.yaml': withEnv,
        'chart/templates/ingress.yaml': ingress,
        'chart/values.yaml':
          'replicas: 2\nname: web\nnewRelic: web\nscheme: internal\nhost: web.apps.example\n',
        'chart/values-dev-eu.yaml': 'host: web.dev-eu.apps.example\n',
        'chart/values-prod-eu.yaml':
          'host: web.prod-eu.apps.example\nscheme: internet-facing\n',
      }),
    );
    expect(result.problems.map(p => `${p.file}: ${p.message}`)).toEqual([
      'chart/templates/deployment.yaml: NEW_RELIC_APP_NAME web is the same with chart/values-dev-eu.yaml (internal) and chart/values-prod-eu.yaml (internet-facing): a non-production and a production cluster would report as one application, their data and alerts merged',
    ]);
  });
});
