import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Sandbox, startSandbox } from './index';
import { openApiV2, v3FromV2 } from './kubernetes/openapi';
import { sandboxToken } from './__testUtils__/kubeconfig';

jest.setTimeout(60_000);

type Schema = Record<string, any>;

/** Kubernetes' own v3 documents as recorded (1.27, from kubernetes/kubectl's testdata). */
const recordedV3: Record<string, Schema> = JSON.parse(
  zlib
    .gunzipSync(
      fs.readFileSync(
        path.join(__dirname, '../data/kubernetes/openapi-v3.json.gz'),
      ),
    )
    .toString('utf8'),
).documents;

/** What a property is, for comparing two documents: its type, reference, list items and patch rules. */
function shape(p: Schema) {
  const target = (s: Schema | undefined) => s?.$ref ?? s?.allOf?.[0]?.$ref;
  return JSON.stringify({
    type: p.type,
    ref: target(p),
    items: p.items && (target(p.items) ?? p.items.type),
    values:
      p.additionalProperties &&
      (target(p.additionalProperties) ?? p.additionalProperties.type),
    key: p['x-kubernetes-patch-merge-key'],
    strategy: p['x-kubernetes-patch-strategy'],
  });
}

/** Every difference between two v3 documents' common schemas: required fields, and each property's shape. */
function differences(real: Schema, built: Schema): string[] {
  const r = real.components.schemas;
  const b = built.components.schemas;
  const out: string[] = [];
  for (const name of Object.keys(r).filter(n => b[n])) {
    if (
      JSON.stringify(r[name].required ?? []) !==
      JSON.stringify(b[name].required ?? [])
    )
      out.push(`${name} required`);
    for (const prop of Object.keys(r[name].properties ?? {})) {
      const other = b[name].properties?.[prop];
      if (!other) out.push(`${name}.${prop} gone`);
      else if (shape(r[name].properties[prop]) !== shape(other))
        out.push(`${name}.${prop}`);
    }
  }
  return out;
}

describe('Kubernetes OpenAPI documents', () => {
  it('builds v3 documents from the v2 document as Kubernetes does: against its own v3 documents, only what changed between 1.27 and 1.36 differs', () => {
    const swagger = openApiV2();
    expect(swagger.info.title).toBe('Kubernetes');
    const found: Record<string, string[]> = {};
    for (const gv of ['api/v1', 'apis/apps/v1', 'apis/autoscaling/v2'])
      found[gv] = differences(recordedV3[gv], v3FromV2(swagger, gv));
    // Each difference is a change in Kubernetes itself (the v2 document is 1.36's, the recorded v3 ones 1.27's).
    const podSpecChanges = [
      'io.k8s.api.core.v1.HostAlias required', // ip required since 1.30
      'io.k8s.api.core.v1.PodResourceClaim.source gone', // replaced by resourceClaimName in 1.31
    ];
    expect(found).toEqual({
      'api/v1': [
        podSpecChanges[0],
        // PersistentVolumeClaimSpec.resources became VolumeResourceRequirements in 1.29.
        'io.k8s.api.core.v1.PersistentVolumeClaimSpec.resources',
        'io.k8s.api.core.v1.PodIP required', // ip required since 1.30
        podSpecChanges[1],
        // LabelSelectorRequirement.key lost its (meaningless) patch annotations.
        'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement.key',
      ],
      'apis/apps/v1': podSpecChanges,
      'apis/autoscaling/v2': [
        'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler required', // spec required
        'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement.key',
      ],
    });
    // The comparison can fail: a converter that loses patch keys is caught.
    const broken = v3FromV2(swagger, 'apis/apps/v1');
    delete broken.components.schemas['io.k8s.api.core.v1.PodSpec'].properties
      .containers['x-kubernetes-patch-merge-key'];
    expect(differences(recordedV3['apis/apps/v1'], broken)).toContain(
      'io.k8s.api.core.v1.PodSpec.containers',
    );
  });

  describe('served', () => {
    let sandbox: Sandbox;
    let get: (p: string, accept?: string) => Promise<Response>;

    beforeAll(async () => {
      sandbox = await startSandbox();
      const token = await sandboxToken(sandbox, 'dev-eu');
      get = (p, accept = 'application/json') =>
        fetch(`${sandbox.url}/k8s/dev-eu${p}`, {
          headers: { authorization: `Bearer ${token}`, accept },
        });
    });
    afterAll(() => sandbox.close());

    it('serves OpenAPI v2 as JSON (protobuf is not served: 406), cut to the resources it serves', async () => {
      const v2 = await (await get('/openapi/v2')).json();
      expect(v2.swagger).toBe('2.0');
      expect(Object.keys(v2.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/namespaces/{namespace}/configmaps/{name}',
          '/apis/networking.k8s.io/v1/namespaces/{namespace}/networkpolicies',
          '/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}',
          '/apis/policy/v1/namespaces/{namespace}/poddisruptionbudgets',
        ]),
      );
      expect(Object.keys(v2.paths).some(p => p.includes('/watch/'))).toBe(
        false,
      );
      const protobuf = await get(
        '/openapi/v2',
        'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      );
      expect(protobuf.status).toBe(406);
    });

    it('lists a v3 document for every group-version it serves', async () => {
      const index = await (await get('/openapi/v3')).json();
      expect(Object.keys(index.paths).sort()).toEqual([
        'api/v1',
        'apis/apps/v1',
        'apis/autoscaling/v2',
        'apis/networking.k8s.io/v1',
        'apis/policy/v1',
        'apis/rbac.authorization.k8s.io/v1',
      ]);
      const rbac = await (
        await get('/openapi/v3/apis/rbac.authorization.k8s.io/v1')
      ).json();
      expect(
        rbac.components.schemas['io.k8s.api.rbac.v1.Role'][
          'x-kubernetes-group-version-kind'
        ],
      ).toEqual([
        { group: 'rbac.authorization.k8s.io', kind: 'Role', version: 'v1' },
      ]);
    });
  });
});
