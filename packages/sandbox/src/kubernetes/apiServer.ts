import { createHash, randomBytes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { schemaProblems } from '@paved/template-check';
import { openApiDocuments, openApiV2, unknownFields } from './openapi';
import { applyPatch, UnsupportedPatch } from './patch';
import type { Handler, SandboxRequest } from '../http';
import { json } from '../http';
import type { SandboxSeed } from '../seed';
import {
  apiVersionOf,
  discovery,
  RESOURCE_TYPES,
  ResourceType,
} from './resources';
import { status } from './status';
import { ObjectStore } from './store';
import { eksTokenProblem } from './token';
import { validationProblems } from './validate';
import { seedWorkload } from './workloads';

interface Route {
  type: ResourceType;
  namespace?: string;
  name?: string;
}

function route(path: string): Route | undefined {
  const gv = '(?:api/(v1)|apis/([^/]+)/([^/]+))';
  const namespaced = new RegExp(
    `^/${gv}/namespaces/([^/]+)/([^/]+)(?:/([^/]+))?$`,
  ).exec(path);
  const clusterScoped = new RegExp(`^/${gv}/([^/]+)(?:/([^/]+))?$`).exec(path);
  const m = namespaced ?? clusterScoped;
  if (!m) return undefined;
  const group = m[2] ?? '';
  const version = m[1] ?? m[3];
  const [namespace, plural, name] = namespaced
    ? [m[4], m[5], m[6]]
    : [undefined, m[4], m[5]];
  const type = RESOURCE_TYPES.find(
    t => t.group === group && t.version === version && t.plural === plural,
  );
  if (!type || type.namespaced !== Boolean(namespace)) {
    // A namespaced type listed across namespaces (`/apis/apps/v1/deployments`) is allowed for GET.
    if (type && type.namespaced && !namespace && !name) return { type };
    return undefined;
  }
  return { type, namespace, name };
}

/** Equality-based label selectors (`a=b,c!=d,e`) and set-based `in`/`notin`, as list calls use them. */
function matchesSelector(
  labels: Record<string, string> = {},
  selector: string | null,
): boolean {
  if (!selector) return true;
  return selector.split(/,(?![^(]*\))/).every(raw => {
    const req = raw.trim();
    let m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(req);
    if (m) return m[2] === '!=' ? labels[m[1]] !== m[3] : labels[m[1]] === m[3];
    m = /^([^\s]+)\s+(in|notin)\s*\((.*)\)$/.exec(req);
    if (m) {
      const values = m[3].split(',').map(v => v.trim());
      return m[2] === 'in'
        ? values.includes(labels[m[1]])
        : !values.includes(labels[m[1]]);
    }
    return req.startsWith('!') ? !(req.slice(1) in labels) : req in labels;
  });
}

const hashes = new Map<string, string>();

/**
 * The API server's OpenAPI v3 discovery and documents (`/openapi/v3`, `/openapi/v3/<group-version>`): Kubernetes'
 * own published documents (data/kubernetes/openapi-v3.json.gz, scripts/kubernetes-openapi.mjs), so kubectl
 * validates as it does against a real cluster. The URLs it lists carry the cluster's prefix (`/k8s/<cluster>`).
 */
function openApi(path: string, cluster: string): unknown {
  const documents = openApiDocuments();
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    return {
      paths: Object.fromEntries(
        Object.keys(documents).map(gv => {
          let hash = hashes.get(gv);
          if (!hash) {
            hash = createHash('sha512')
              .update(JSON.stringify(documents[gv]))
              .digest('hex')
              .toUpperCase();
            hashes.set(gv, hash);
          }
          return [
            gv,
            {
              serverRelativeURL: `/k8s/${cluster}/openapi/v3/${gv}?hash=${hash}`,
            },
          ];
        }),
      ),
    };
  }
  const m = /^\/openapi\/v3\/(.+)$/.exec(path);
  return m ? documents[m[1]] : undefined;
}

/** The PATCH media types the API server accepts. */
const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

/** A request body as the API server decodes it: JSON, or YAML for apply patches; empty is no body. */
function decodeBody(
  body: Buffer,
  contentType: string,
): { value: unknown } | { error: string } {
  const text = body.toString('utf8');
  if (!text.trim()) return { value: undefined };
  try {
    return {
      value: contentType.includes('yaml') ? parseYaml(text) : JSON.parse(text),
    };
  } catch (error) {
    return {
      error: `error decoding ${
        contentType.includes('yaml') ? 'YAML' : 'JSON'
      }: ${(error as Error).message.split('\n')[0]}`,
    };
  }
}

/**
 * One Kubernetes API server per seeded cluster at `/k8s/<cluster>`: discovery, get/list with label selectors,
 * create (POST, 201, 409 AlreadyExists), replace (PUT, 409 on a stale resourceVersion), JSON merge patch, JSON patch
 * and strategic merge patch, server-side apply (`application/apply-patch+yaml`; `fieldManager` required, `force`,
 * field-ownership conflicts as 409), `dryRun=All` and `fieldValidation=Strict` on every write, delete, Status errors
 * as the real server sends them. Bearer tokens must be valid EKS tokens for
 * the cluster. Objects are validated with kubernetes-models and RFC 1123 names.
 */
export function kubernetesStandIn(seed: SandboxSeed) {
  const stores = new Map(seed.clusters.map(c => [c.name, new ObjectStore()]));
  for (const store of stores.values()) {
    for (const name of seed.namespaces) {
      store.apply(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        'sandbox-seed',
        { namespaced: false },
      );
    }
  }
  for (const service of seed.services) {
    for (const [cluster, health] of Object.entries(service.clusters)) {
      const store = stores.get(cluster);
      if (store) seedWorkload(store, service, health);
    }
  }

  const handler: Handler = async (req: SandboxRequest) => {
    const m = /^\/k8s\/([^/]+)(\/.*)?$/.exec(req.url.pathname);
    if (!m) return undefined;
    const cluster = m[1];
    const path = m[2] ?? '/';
    const store = stores.get(cluster);
    if (!store)
      return status(404, 'NotFound', `the sandbox has no cluster "${cluster}"`);

    const auth = String(req.headers.authorization ?? '');
    const problem = auth.startsWith('Bearer ')
      ? await eksTokenProblem(auth.slice(7), cluster, seed.aws)
      : 'no bearer token';
    if (problem) return status(401, 'Unauthorized', `Unauthorized: ${problem}`);

    if (path === '/version') {
      return json(200, {
        major: '1',
        minor: '31',
        gitVersion: 'v1.31.0-eks-sandbox',
        platform: 'linux/amd64',
        goVersion: 'go1.22',
      });
    }
    if (req.method === 'GET' && path === '/openapi/v2') {
      // JSON only: the protobuf form kubectl asks for first (when there is no v3) is not served.
      const accept = String(req.headers.accept ?? '*/*');
      return /json|\*\/\*/.test(accept)
        ? json(200, openApiV2())
        : status(
            406,
            'NotAcceptable',
            `only the following media types are accepted: application/json`,
          );
    }
    if (req.method === 'GET' && path.startsWith('/openapi/')) {
      const served = openApi(path, cluster);
      return served
        ? json(200, served)
        : status(
            404,
            'NotFound',
            'the server could not find the requested resource',
          );
    }
    const doc = req.method === 'GET' ? discovery(path) : undefined;
    if (doc) return json(200, doc);

    const r = route(path);
    if (!r)
      return status(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    const apiVersion = apiVersionOf(r.type);
    const namespaceMissing =
      r.namespace && !store.get('v1', 'Namespace', undefined, r.namespace);

    if (req.method === 'GET') {
      if (r.name) {
        const obj = store.get(apiVersion, r.type.kind, r.namespace, r.name);
        return obj
          ? json(200, obj)
          : status(
              404,
              'NotFound',
              `${r.type.plural}${r.type.group ? `.${r.type.group}` : ''} "${
                r.name
              }" not found`,
              { name: r.name, group: r.type.group, kind: r.type.plural },
            );
      }
      const items = store
        .list(apiVersion, r.type.kind, r.namespace)
        .filter(o =>
          matchesSelector(
            o.metadata.labels,
            req.url.searchParams.get('labelSelector'),
          ),
        );
      return json(200, {
        kind: `${r.type.kind}List`,
        apiVersion,
        metadata: { resourceVersion: String(Date.now()) },
        items,
      });
    }

    if (req.method === 'DELETE' && r.name) {
      const gone = store.delete(apiVersion, r.type.kind, r.namespace, r.name);
      return gone
        ? json(200, {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Success',
            details: {
              name: r.name,
              kind: r.type.plural,
              uid: gone.metadata.uid,
            },
          })
        : status(404, 'NotFound', `${r.type.plural} "${r.name}" not found`, {
            name: r.name,
            kind: r.type.plural,
          });
    }

    const params = req.url.searchParams;
    const dryRun = params.get('dryRun') === 'All';
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0];
    const manager =
      params.get('fieldManager') ??
      // As the API server: without one, the client's user agent names the manager.
      (String(req.headers['user-agent'] ?? '').split('/')[0] || 'unknown');
    if (contentType === 'application/vnd.kubernetes.protobuf')
      return status(
        415,
        'UnsupportedMediaType',
        'the sandbox decodes JSON and YAML bodies only, not Kubernetes protobuf (application/vnd.kubernetes.protobuf)',
      );
    if (req.method === 'PATCH' && !PATCH_TYPES.includes(contentType))
      return status(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(
          ', ',
        )}`,
      );
    const decoded = decodeBody(req.body, contentType);
    if ('error' in decoded) return status(400, 'BadRequest', decoded.error);
    const body = decoded.value;

    /** Checks the object a write would store, as the API server does before storing it (400/404/422). */
    const admit = (config: any, name: string) => {
      if (!config || typeof config !== 'object' || Array.isArray(config))
        return status(
          400,
          'BadRequest',
          'the body of the request is not an object',
        );
      config.apiVersion ??= apiVersion;
      config.kind ??= r.type.kind;
      config.metadata ??= {};
      if (config.apiVersion !== apiVersion || config.kind !== r.type.kind) {
        return status(
          400,
          'BadRequest',
          `the body's apiVersion/kind (${config.apiVersion}/${config.kind}) does not match the URL (${apiVersion}/${r.type.kind})`,
        );
      }
      if (config.metadata.name !== name) {
        return status(
          400,
          'BadRequest',
          `the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`,
        );
      }
      if (r.type.namespaced) {
        config.metadata.namespace ??= r.namespace;
        if (config.metadata.namespace !== r.namespace) {
          return status(
            400,
            'BadRequest',
            'the namespace of the provided object does not match the namespace sent on the request',
          );
        }
        if (namespaceMissing)
          return status(
            404,
            'NotFound',
            `namespaces "${r.namespace}" not found`,
            { name: r.namespace, kind: 'namespaces' },
          );
      }
      // fieldValidation: Strict refuses fields the kind does not have, Warn (the default) reports them.
      // Checked against the served OpenAPI document of the kind, as the API server decodes; custom resources,
      // which have none here, against kubernetes-models' schema.
      const unknown =
        unknownFields(config) ??
        schemaProblems(config).filter(p => p.startsWith('unknown field'));
      if (unknown.length && params.get('fieldValidation') === 'Strict')
        return status(
          400,
          'BadRequest',
          `${r.type.kind} in version "${
            r.type.version
          }" cannot be handled as a ${
            r.type.kind
          }: strict decoding error: ${unknown.join(', ')}`,
        );
      const problems = validationProblems(config, r.type.kind, apiVersion);
      if (problems.length) {
        return status(
          422,
          'Invalid',
          `${r.type.kind} "${name}" is invalid: ${problems.join('; ')}`,
          {
            name,
            kind: r.type.plural,
            causes: problems.map(message => ({
              reason: 'FieldValueInvalid',
              message,
            })),
          },
        );
      }
      return undefined;
    };
    const what = (name: string) =>
      `${r.type.plural}${r.type.group ? `.${r.type.group}` : ''} "${name}"`;
    const stored = (
      config: any,
      name: string,
      create: boolean,
      code: number,
    ) => {
      const refused = admit(config, name);
      if (refused) return refused;
      const result = store.write(config, manager, {
        create,
        dryRun,
        namespaced: r.type.namespaced,
      });
      if (result.error === 'AlreadyExists')
        return status(409, 'AlreadyExists', `${what(name)} already exists`, {
          name,
          group: r.type.group,
          kind: r.type.plural,
        });
      if (result.error === 'NotFound')
        return status(404, 'NotFound', `${what(name)} not found`, {
          name,
          group: r.type.group,
          kind: r.type.plural,
        });
      if (result.error === 'Conflict')
        return status(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${what(
            name,
          )}: the object has been modified; please apply your changes to the latest version and try again`,
          { name, group: r.type.group, kind: r.type.plural },
        );
      return json(code, result.object);
    };

    if (req.method === 'POST' && !r.name) {
      const config = body as any;
      if (
        config?.metadata &&
        !config.metadata.name &&
        config.metadata.generateName
      )
        config.metadata.name = `${config.metadata.generateName}${randomBytes(3)
          .toString('hex')
          .slice(0, 5)}`;
      const name = config?.metadata?.name;
      if (!name)
        return status(
          422,
          'Invalid',
          `${r.type.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
        );
      return stored(config, name, true, 201);
    }
    if (req.method === 'PUT' && r.name) return stored(body, r.name, false, 200);

    if (req.method === 'PATCH' && r.name) {
      if (contentType === 'application/apply-patch+yaml')
        return serverSideApply(body, r.name);
      const current = store.get(apiVersion, r.type.kind, r.namespace, r.name);
      if (!current)
        return status(404, 'NotFound', `${what(r.name)} not found`, {
          name: r.name,
          group: r.type.group,
          kind: r.type.plural,
        });
      let patched: any;
      try {
        patched = applyPatch(current, body, contentType);
      } catch (error) {
        if (error instanceof UnsupportedPatch)
          return status(415, 'UnsupportedMediaType', error.message);
        return status(
          422,
          'Invalid',
          `the server rejected our request due to an error in our request: ${
            (error as Error).message
          }`,
        );
      }
      // A patch never changes status through the main resource, nor needs the current resourceVersion.
      delete patched.metadata?.managedFields;
      if (body && (body as any).metadata?.resourceVersion === undefined)
        delete patched.metadata.resourceVersion;
      return stored(patched, r.name, false, 200);
    }

    function serverSideApply(config: any, name: string) {
      if (!params.get('fieldManager'))
        return status(
          422,
          'Invalid',
          'PATCH with application/apply-patch+yaml requires the fieldManager query parameter',
        );
      if (config?.apiVersion !== apiVersion || config?.kind !== r!.type.kind)
        return status(
          400,
          'BadRequest',
          `the body's apiVersion/kind (${config?.apiVersion}/${
            config?.kind
          }) does not match the URL (${apiVersion}/${r!.type.kind})`,
        );
      const refused = admit(config, name);
      if (refused) return refused;
      const result = store!.apply(config, manager, {
        force: params.get('force') === 'true',
        dryRun,
        namespaced: r!.type.namespaced,
      });
      if (result.conflicts) {
        const fields = result.conflicts.map(
          c => `conflict with "${c.manager}": ${c.field}`,
        );
        return status(
          409,
          'Conflict',
          `Apply failed with ${fields.length} conflict${
            fields.length > 1 ? 's' : ''
          }: ${fields.join('; ')}`,
          {
            causes: result.conflicts.map(c => ({
              type: 'FieldManagerConflict',
              message: `conflict with "${c.manager}"`,
              field: c.field,
            })),
          },
        );
      }
      return json(result.created ? 201 : 200, result.object);
    }
    return status(
      405,
      'MethodNotAllowed',
      `the sandbox does not support ${req.method} on ${path}`,
    );
  };
  return { handler, stores };
}
