import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { checkRendered } from './checkOutput';
import { helmBinary } from './tools/helm';

jest.setTimeout(120_000);

const run = promisify(execFile);
const deployDir = path.resolve(__dirname, '../../../deploy');
const chart = path.join(deployDir, 'charts/paved-portal');

async function template(...set: string[]) {
  const { stdout } = await run(
    await helmBinary(),
    [
      'template',
      'portal',
      chart,
      '--namespace',
      'paved',
      ...set.flatMap(s => ['--set', s]),
    ],
    { timeout: 60_000 },
  );
  return parseAllDocuments(stdout)
    .map(d => d.toJS())
    .filter(Boolean);
}

/**
 * Paved's own portal chart (deploy/charts/paved-portal) held to what Paved asks of every golden-path service: real
 * Helm lints it strictly and renders it, every object is validated strictly against the Kubernetes schemas, and the
 * golden path's rules (probes, resources, non-root, PDB, topology spread, preStop, optional secrets, shared ALB) hold.
 */
describe("the portal's Helm chart (deploy/charts/paved-portal)", () => {
  it('lints strictly, renders, and passes the checks a golden-path chart passes', async () => {
    // The checks that read charts (the others look for a service's catalog-info, package and workflows).
    const results = (
      await checkRendered(deployDir, { skipNpmTest: true })
    ).filter(r => ['syntax', 'helm-values', 'kubernetes'].includes(r.check));
    expect(results.flatMap(r => r.problems)).toEqual([]);
    const looked = Object.fromEntries(results.map(r => [r.check, r.files]));
    expect(looked.kubernetes).toEqual(
      [
        'configmap',
        'deployment',
        'externalsecret',
        'ingress',
        'pdb',
        'service',
        'serviceaccount',
      ].map(t => `charts/paved-portal/templates/${t}.yaml`),
    );
    expect(looked['helm-values']).toEqual(['charts/paved-portal/values.yaml']);
  });

  it('renders two replicas behind a PDB, probes on Backstage’s health endpoints, PostgreSQL and secrets from External Secrets, no secret in the ConfigMap', async () => {
    const objects = await template();
    const byKind = Object.fromEntries(objects.map(o => [o.kind, o]));
    expect(Object.keys(byKind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'ExternalSecret',
      'Ingress',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
    const deployment = byKind.Deployment;
    expect(deployment.spec.replicas).toBe(2);
    expect(byKind.PodDisruptionBudget.spec).toMatchObject({
      minAvailable: 1,
      selector: { matchLabels: deployment.spec.selector.matchLabels },
    });
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe(byKind.ServiceAccount.metadata.name);
    const [container] = pod.containers;
    expect(container.readinessProbe.httpGet.path).toBe(
      '/.backstage/health/v1/readiness',
    );
    expect(container.livenessProbe.httpGet.path).toBe(
      '/.backstage/health/v1/liveness',
    );
    expect(container.command).toEqual([
      'node',
      'packages/backend',
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
      '--config',
      '/config/app-config.deploy.yaml',
    ]);
    const env = Object.fromEntries(
      container.env.map((e: { name: string; value: string }) => [
        e.name,
        e.value,
      ]),
    );
    expect(env).toMatchObject({
      APP_BASE_URL: 'https://portal.example.com',
      POSTGRES_PORT: '5432',
      POSTGRES_USER: 'paved',
    });
    // Secrets reach the pod only through the ExternalSecret's Secret; none is in the chart's values or ConfigMap.
    expect(env).not.toHaveProperty('POSTGRES_PASSWORD');
    expect(container.envFrom).toEqual([
      {
        secretRef: {
          name: byKind.ExternalSecret.spec.target.name,
          optional: true,
        },
      },
    ]);
    expect(
      byKind.ExternalSecret.spec.data.map(
        (d: { secretKey: string }) => d.secretKey,
      ),
    ).toEqual(expect.arrayContaining(['POSTGRES_PASSWORD', 'GITHUB_TOKEN']));
    expect(JSON.stringify(byKind.ConfigMap)).not.toMatch(
      /sandbox|password|token|secret/i,
    );
    expect(byKind.Ingress.spec.rules[0].host).toBe('portal.example.com');
    expect(byKind.Ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/group.name': 'platform',
    });
    // Extra config is mounted after the image's own files, and a change to it rolls the pods.
    const withConfig = await template('appConfig.app.title=Acme Portal');
    const changed = withConfig.find(o => o.kind === 'Deployment');
    expect(
      changed.spec.template.metadata.annotations['checksum/config'],
    ).not.toBe(
      deployment.spec.template.metadata.annotations['checksum/config'],
    );
    expect(
      withConfig.find(o => o.kind === 'ConfigMap').data[
        'app-config.deploy.yaml'
      ],
    ).toContain('title: Acme Portal');
  });

  it('refuses values it cannot deploy, saying which', async () => {
    await expect(template('baseUrl=portal')).rejects.toThrow(
      /baseUrl must be an https:\/\/ URL with a host/,
    );
    await expect(template('postgres.host=')).rejects.toThrow(
      /postgres.host is required/,
    );
    // A secret among the plain settings is refused by the values schema.
    await expect(template('env.GITHUB_TOKEN=ghp_x')).rejects.toThrow(
      /values don't meet the specifications of the schema/,
    );
    await expect(template('replicaCount=1')).rejects.toThrow(/replicaCount/);
  });
});
