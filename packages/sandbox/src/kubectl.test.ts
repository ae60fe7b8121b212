import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { kubectlBinary } from '@paved/template-check';
import { Sandbox, startSandbox } from './index';
import { writeKubeconfig } from './__testUtils__/kubeconfig';

jest.setTimeout(120_000);

const run = promisify(execFile);

/**
 * kubectl 1.35 (the real binary, from the npm registry) against the Kubernetes stand-in, as a conformance suite: a
 * client nobody here wrote, over TLS with an EKS token, through discovery. A command that fails here but would work
 * against EKS is a sandbox bug.
 */
describe('kubectl against the Kubernetes stand-in', () => {
  let sandbox: Sandbox;
  let dir: string;
  let kubectl: (...args: string[]) => Promise<string>;

  beforeAll(async () => {
    sandbox = await startSandbox();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-kubectl-'));
    const kubeconfig = await writeKubeconfig(
      sandbox,
      'dev-eu',
      path.join(dir, 'kubeconfig'),
    );
    const bin = await kubectlBinary();
    kubectl = async (...args) =>
      (
        await run(bin, args, {
          env: { KUBECONFIG: kubeconfig, HOME: dir, PATH: process.env.PATH },
          timeout: 60_000,
        })
      ).stdout;
  });
  afterAll(async () => {
    await sandbox?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => '',
      (e: { stderr?: string }) => String(e.stderr),
    );

  it('create -f, then get -o json', async () => {
    // `create -f` sends JSON; `create namespace <name>` sends protobuf, which the sandbox does not decode (a 415).
    const ns = file(
      'ns.yaml',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: kubectl-ns}\n',
    );
    expect(await kubectl('create', '-f', ns)).toContain(
      'namespace/kubectl-ns created',
    );
    const read = JSON.parse(
      await kubectl('get', 'namespace', 'kubectl-ns', '-o', 'json'),
    );
    expect(read).toMatchObject({
      kind: 'Namespace',
      metadata: { name: 'kubectl-ns' },
      status: { phase: 'Active' },
    });
    expect(await failure(kubectl('create', '-f', ns))).toContain(
      'AlreadyExists',
    );
  });

  it('apply creates, reports unchanged, then configures a change (client-side apply, strategic merge patch)', async () => {
    const manifest = (replicas: number) =>
      file(
        'web.yaml',
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: web, namespace: kubectl-ns}',
          'spec:',
          `  replicas: ${replicas}`,
          '  selector: {matchLabels: {app: web}}',
          '  template:',
          '    metadata: {labels: {app: web}}',
          '    spec:',
          '      containers: [{name: web, image: "web:1"}]',
          '',
        ].join('\n'),
      );
    expect(await kubectl('apply', '-f', manifest(1))).toContain(
      'deployment.apps/web created',
    );
    expect(await kubectl('apply', '-f', manifest(1))).toContain(
      'deployment.apps/web unchanged',
    );
    expect(await kubectl('apply', '-f', manifest(3))).toContain(
      'deployment.apps/web configured',
    );
    const web = JSON.parse(
      await kubectl(
        'get',
        'deployment',
        'web',
        '-n',
        'kubectl-ns',
        '-o',
        'json',
      ),
    );
    expect(web.spec.replicas).toBe(3);
  });

  it('server-side apply, with its field manager', async () => {
    const cm = file(
      'cm.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: kubectl-ns}\ndata: {a: "1"}\n',
    );
    expect(
      await kubectl(
        'apply',
        '--server-side',
        '--field-manager=ops',

        '-f',
        cm,
      ),
    ).toContain('configmap/settings serverside-applied');
    const read = JSON.parse(
      await kubectl(
        'get',
        'configmap',
        'settings',
        '-n',
        'kubectl-ns',
        '-o',
        'json',
        '--show-managed-fields',
      ),
    );
    expect(
      read.metadata.managedFields.map((f: { manager: string }) => f.manager),
    ).toEqual(['ops']);
  });

  it('patch --type merge, json and strategic', async () => {
    await kubectl(
      'patch',
      'configmap',
      'settings',
      '-n',
      'kubectl-ns',
      '--type',
      'merge',
      '-p',
      '{"data":{"b":"2"}}',
    );
    await kubectl(
      'patch',
      'configmap',
      'settings',
      '-n',
      'kubectl-ns',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/data/a","value":"9"}]',
    );
    await kubectl(
      'patch',
      'deployment',
      'web',
      '-n',
      'kubectl-ns',
      '--type',
      'strategic',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"sidecar:1"}]}}}}',
    );
    const cm = JSON.parse(
      await kubectl(
        'get',
        'configmap',
        'settings',
        '-n',
        'kubectl-ns',
        '-o',
        'json',
      ),
    );
    expect(cm.data).toEqual({ a: '9', b: '2' });
    const web = JSON.parse(
      await kubectl(
        'get',
        'deployment',
        'web',
        '-n',
        'kubectl-ns',
        '-o',
        'json',
      ),
    );
    expect(
      web.spec.template.spec.containers
        .map((c: { name: string }) => c.name)
        .sort(),
    ).toEqual(['sidecar', 'web']);
  });

  it('dry runs write nothing', async () => {
    const never = file(
      'never.yaml',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: never}\n',
    );
    expect(
      await kubectl(
        'create',
        '--dry-run=server',

        '-f',
        never,
      ),
    ).toContain('namespace/never created (server dry run)');
    expect(await failure(kubectl('get', 'namespace', 'never'))).toContain(
      'NotFound',
    );
  });

  it('apply validates as against a real cluster, without --validate=false: OpenAPI v3 served, unknown fields refused', async () => {
    const good = file(
      'validated.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: validated, namespace: kubectl-ns}\ndata: {a: "1"}\n',
    );
    expect(await kubectl('apply', '-f', good)).toContain(
      'configmap/validated created',
    );
    const typo = file(
      'typo.yaml',
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: typo, namespace: kubectl-ns}',
        'spec:',
        '  replicas: 1',
        '  replicaz: 2',
        '  selector: {matchLabels: {app: typo}}',
        '  template:',
        '    metadata: {labels: {app: typo}}',
        '    spec:',
        '      containers: [{name: web, image: "web:1"}]',
        '',
      ].join('\n'),
    );
    const refused = await failure(kubectl('apply', '-f', typo));
    expect(refused).toContain('unknown field "spec.replicaz"');
    expect(
      await failure(kubectl('get', 'deployment', 'typo', '-n', 'kubectl-ns')),
    ).toContain('NotFound');
    const openapi = JSON.parse(await kubectl('get', '--raw', '/openapi/v3'));
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['api/v1', 'apis/apps/v1']),
    );
  });

  it('validates networking, policy and RBAC kinds too, and explains them from the served documents', async () => {
    const typo = (name: string, text: string) =>
      failure(kubectl('apply', '-f', file(name, text)));
    expect(
      await typo(
        'np.yaml',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: kubectl-ns}\nspec: {podSelectr: {}}\n',
      ),
    ).toContain('unknown field "spec.podSelectr"');
    expect(
      await typo(
        'pdb.yaml',
        'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb, namespace: kubectl-ns}\nspec: {minAvailable: 1, selektor: {}}\n',
      ),
    ).toContain('unknown field "spec.selektor"');
    expect(
      await typo(
        'role.yaml',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: kubectl-ns}\nrules: [{apiGroups: [""], resources: [pods], verb: [get]}]\n',
      ),
    ).toContain('unknown field "rules[0].verb"');
    expect(
      await kubectl(
        'apply',
        '-f',
        file(
          'np-good.yaml',
          'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: kubectl-ns}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n',
        ),
      ),
    ).toContain('networkpolicy.networking.k8s.io/np created');
    expect(
      await kubectl('explain', 'networkpolicy.spec.podSelector'),
    ).toContain('LabelSelector');
  });

  it('server-side apply merges associative lists by their keys: two managers, one container each', async () => {
    const deployment = (container: string, image: string) =>
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: shared, namespace: kubectl-ns}',
        'spec:',
        '  selector: {matchLabels: {app: shared}}',
        '  template:',
        '    metadata: {labels: {app: shared}}',
        '    spec:',
        `      containers: [{name: ${container}, image: "${image}"}]`,
        '',
      ].join('\n');
    const apply = (manager: string, name: string, text: string) =>
      kubectl(
        'apply',
        '--server-side',
        `--field-manager=${manager}`,
        '-f',
        file(name, text),
      );
    await apply('team', 'web.yaml', deployment('web', 'web:1'));
    await apply('mesh', 'sidecar.yaml', deployment('proxy', 'proxy:1'));
    const read = async () =>
      JSON.parse(
        await kubectl(
          'get',
          'deployment',
          'shared',
          '-n',
          'kubectl-ns',
          '-o',
          'json',
          '--show-managed-fields',
        ),
      );
    let got = await read();
    expect(
      got.spec.template.spec.containers.map((c: { name: string }) => c.name),
    ).toEqual(['web', 'proxy']);
    const mesh = got.metadata.managedFields.find(
      (f: { manager: string }) => f.manager === 'mesh',
    );
    expect(
      mesh.fieldsV1['f:spec']['f:template']['f:spec']['f:containers'],
    ).toEqual({
      'k:{"name":"proxy"}': { '.': {}, 'f:name': {}, 'f:image': {} },
    });
    // Another manager changing the first manager's image conflicts, named as the API server names fields.
    expect(
      await failure(apply('other', 'steal.yaml', deployment('web', 'web:2'))),
    ).toContain('.spec.template.spec.containers[name="web"].image');
    // The sidecar's manager leaving its container out removes that container only.
    await apply(
      'mesh',
      'sidecar-gone.yaml',
      deployment('web', 'web:1').replace(
        '      containers: [{name: web, image: "web:1"}]\n',
        '      containers: []\n',
      ),
    );
    got = await read();
    expect(
      got.spec.template.spec.containers.map((c: { name: string }) => c.name),
    ).toEqual(['web']);
  });
});
