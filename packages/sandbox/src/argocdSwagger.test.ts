import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Ajv from 'ajv';
import { Sandbox, startSandbox } from './index';

jest.setTimeout(60_000);

/** Argo CD's published API description (data/argocd/swagger.json.gz, scripts/argocd-swagger.mjs). */
const { swagger } = JSON.parse(
  zlib
    .gunzipSync(
      fs.readFileSync(path.join(__dirname, '../data/argocd/swagger.json.gz')),
    )
    .toString('utf8'),
);
// OpenAPI 2.0 schemas are JSON Schema with formats (int64, date-time) and extensions Ajv need not enforce.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ReturnType<Ajv['compile']>>();
function validatorFor(ref: string) {
  let v = validators.get(ref);
  if (!v) {
    v = ajv.compile({ $ref: ref, definitions: swagger.definitions });
    validators.set(ref, v);
  }
  return v;
}

/** The swagger operation a request is, by method and templated path (`/api/v1/applications/{name}`). */
function operation(method: string, url: string) {
  const segments = url.split('?')[0].split('/');
  for (const [template, ops] of Object.entries<any>(swagger.paths)) {
    const parts = template.split('/');
    if (
      parts.length === segments.length &&
      parts.every((p, i) => p.startsWith('{') || p === segments[i]) &&
      ops[method.toLowerCase()]
    )
      return { template, op: ops[method.toLowerCase()] };
  }
  return undefined;
}

const problems = (ref: string, value: unknown) => {
  const v = validatorFor(ref);
  return v(value)
    ? []
    : (v.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message}`);
};

/**
 * The Argo CD stand-in checked against Argo CD's own swagger.json: every request these tests send matches the
 * operation's body schema, and every answer matches the operation's 200 schema (or `runtimeError` for an error), so a
 * client generated from the real API reads the sandbox as it reads Argo CD.
 */
describe('Argo CD stand-in against Argo CD’s swagger.json', () => {
  let sandbox: Sandbox;
  let token: string;
  const seen: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox();
    token = sandbox.seed.argocd.instances[0].token;
  });
  afterAll(() => sandbox.close());

  async function call(method: string, rest: string, body?: unknown) {
    const url = `/api/v1/${rest}`;
    const found = operation(method, url);
    expect(found).toBeDefined();
    const bodyParam = found!.op.parameters?.find((p: any) => p.in === 'body');
    if (body !== undefined && bodyParam)
      expect(problems(bodyParam.schema.$ref, body)).toEqual([]);
    const res = await fetch(`${sandbox.url}/argocd/main${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    const schema = res.ok
      ? found!.op.responses['200'].schema.$ref
      : found!.op.responses.default.schema.$ref;
    expect({
      [`${method} ${found!.template}`]: problems(schema, json),
    }).toEqual({
      [`${method} ${found!.template}`]: [],
    });
    seen.push(`${method} ${found!.template} ${res.status}`);
    return { status: res.status, json };
  }

  const project = {
    metadata: { name: 'swagger-team' },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ name: 'dev-eu', namespace: 'swagger' }],
    },
  };
  const app = {
    metadata: {
      name: 'swagger-web',
      labels: { 'backstage.io/kubernetes-id': 'swagger-web' },
    },
    spec: {
      project: 'swagger-team',
      source: {
        repoURL: 'https://github.com/acme/web',
        path: 'chart',
        targetRevision: 'HEAD',
      },
      destination: { name: 'dev-eu', namespace: 'swagger' },
      syncPolicy: { automated: { prune: true } },
    },
  };

  it('sessions, projects, applications, clusters, sync, resource tree and errors all match the published API', async () => {
    const session = await fetch(`${sandbox.url}/argocd/main/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'admin',
        password: sandbox.seed.argocd.instances[0].password,
      }),
    });
    expect(
      problems('#/definitions/sessionSessionResponse', await session.json()),
    ).toEqual([]);

    expect((await call('POST', 'projects', { project })).status).toBe(200);
    await call('GET', 'projects');
    const got = await call('GET', 'projects/swagger-team');
    await call('PUT', 'projects/swagger-team', {
      project: {
        ...got.json,
        spec: { ...got.json.spec, description: 'changed' },
      },
    });
    expect((await call('POST', 'applications', app)).status).toBe(200);
    await call('GET', 'applications');
    const stored = await call('GET', 'applications/swagger-web');
    await call('PUT', 'applications/swagger-web', {
      ...stored.json,
      spec: { ...stored.json.spec, revisionHistoryLimit: 5 },
    });
    await call('POST', 'applications/swagger-web/sync', {
      name: 'swagger-web',
    });
    await call('GET', 'applications/swagger-web/resource-tree');
    await call('GET', 'clusters');
    // Errors: the gRPC gateway's runtimeError (code, message, error).
    expect((await call('GET', 'applications/missing')).status).toBe(404);
    expect(
      (
        await call('POST', 'applications', {
          ...app,
          metadata: { name: 'Bad_Name!' },
        })
      ).status,
    ).toBe(400);
    await call('DELETE', 'applications/swagger-web');
    await call('DELETE', 'projects/swagger-team');
    expect(seen).toEqual(
      expect.arrayContaining([
        'GET /api/v1/applications/{applicationName}/resource-tree 200',
        'GET /api/v1/clusters 200',
        'GET /api/v1/applications/{name} 404',
      ]),
    );
    // The check can fail: a wrong type or a missing required field is reported.
    expect(
      problems('#/definitions/v1alpha1Application', { metadata: { name: 5 } }),
    ).not.toEqual([]);
    expect(
      problems('#/definitions/v1alpha1RevisionHistory', { id: 'one' }),
    ).not.toEqual([]);
  });
});
