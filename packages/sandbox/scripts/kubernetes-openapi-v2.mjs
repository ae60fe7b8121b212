#!/usr/bin/env node
// Records the Kubernetes OpenAPI v2 document the Kubernetes stand-in serves at /openapi/v2: Kubernetes' own
// api/openapi-spec/swagger.json, cut to the resources the stand-in serves (their list, item and collection paths, no
// watch or subresource paths) and the definitions those paths reach, everything else unchanged (descriptions
// included: `kubectl explain` reads them). Taken from kubernetes-client/python's kubernetes/swagger.json.unprocessed
// (the unchanged upstream document the official Python client is generated from; its scripts/constants.py names the
// Kubernetes branch), because the kubernetes/kubernetes snapshot is too large to bring to this machine.
//
//   node packages/sandbox/scripts/kubernetes-openapi-v2.mjs <kubernetes-client/python git dir> "<source>"
//
// It writes data/kubernetes/openapi-v2.json.gz: { source, swagger }.
import { execFileSync } from 'node:child_process';
import { writeRecording } from './recording.mjs';

/** The stand-in's resources (src/kubernetes/resources.ts) by group-version path. */
const SERVED = {
  'api/v1': [
    'namespaces',
    'serviceaccounts',
    'resourcequotas',
    'limitranges',
    'configmaps',
    'services',
    'pods',
  ],
  'apis/apps/v1': ['deployments', 'replicasets'],
  'apis/networking.k8s.io/v1': ['networkpolicies', 'ingresses'],
  'apis/rbac.authorization.k8s.io/v1': [
    'roles',
    'rolebindings',
    'clusterroles',
    'clusterrolebindings',
  ],
  'apis/policy/v1': ['poddisruptionbudgets'],
  'apis/autoscaling/v2': ['horizontalpodautoscalers'],
};

const [repo, source] = process.argv.slice(2);
if (!repo || !source) {
  console.error(
    'usage: kubernetes-openapi-v2.mjs <python client repository> "<source>"',
  );
  process.exit(2);
}
const full = JSON.parse(
  execFileSync(
    'git',
    ['--git-dir', repo, 'show', 'HEAD:kubernetes/swagger.json.unprocessed'],
    { maxBuffer: 64 * 1024 * 1024 },
  ).toString('utf8'),
);

const servedPath = p => {
  for (const [gv, plurals] of Object.entries(SERVED)) {
    const prefix = `/${gv}/`;
    if (p === prefix) return true;
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length);
    for (const plural of plurals) {
      const re = new RegExp(
        `^(namespaces/\\{namespace\\}/)?${plural}(/\\{name\\})?$`,
      );
      if (re.test(rest)) return true;
    }
  }
  return false;
};
const paths = Object.fromEntries(
  Object.entries(full.paths).filter(([p]) => servedPath(p)),
);

// The definitions the kept paths reach, transitively (and every kind of the served group-versions' lists).
const definitions = {};
const parameters = {};
const walk = value => {
  if (Array.isArray(value)) {
    value.forEach(walk);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (k === '$ref' && typeof v === 'string') {
      const def = /^#\/definitions\/(.+)$/.exec(v)?.[1];
      if (def && !definitions[def]) {
        definitions[def] = full.definitions[def];
        walk(definitions[def]);
      }
      const param = /^#\/parameters\/(.+)$/.exec(v)?.[1];
      if (param && !parameters[param]) {
        parameters[param] = full.parameters[param];
        walk(parameters[param]);
      }
    } else walk(v);
  }
};
walk(paths);

const swagger = {
  swagger: full.swagger,
  info: full.info,
  paths,
  definitions,
  parameters,
  securityDefinitions: full.securityDefinitions,
  security: full.security,
};
writeRecording(
  'kubernetes/openapi-v2.json.gz',
  { source, swagger },
  `${Object.keys(paths).length} paths, ${
    Object.keys(definitions).length
  } definitions`,
);
