#!/usr/bin/env node
// Records the Kubernetes OpenAPI v3 documents the Kubernetes stand-in serves at /openapi/v3: the real documents of
// the group-versions it serves, as the Kubernetes project publishes them. Taken from kubernetes/kubectl's
// testdata/openapi/v3 (copies of kubernetes/kubernetes' api/openapi-spec/v3 that kubectl's own tests use; the
// kubernetes/kubernetes snapshot is too large to bring to this machine), gzipped, unchanged.
//
//   node packages/sandbox/scripts/kubernetes-openapi.mjs <kubectl checkout or git dir> "<source>"
//
// It writes data/kubernetes/openapi-v3.json.gz: { source, documents: { "api/v1": {…}, "apis/apps/v1": {…}, … } }.
import { execFileSync } from 'node:child_process';
import { writeRecording } from './recording.mjs';

const [repo, source] = process.argv.slice(2);
if (!repo || !source) {
  console.error(
    'usage: kubernetes-openapi.mjs <kubectl repository> "<source>"',
  );
  process.exit(2);
}
const GROUP_VERSIONS = ['api/v1', 'apis/apps/v1', 'apis/autoscaling/v2'];
const documents = {};
for (const gv of GROUP_VERSIONS) {
  const text = execFileSync(
    'git',
    ['--git-dir', repo, 'show', `HEAD:testdata/openapi/v3/${gv}.json`],
    { maxBuffer: 64 * 1024 * 1024 },
  ).toString('utf8');
  documents[gv] = JSON.parse(text);
}
writeRecording(
  'kubernetes/openapi-v3.json.gz',
  { source, documents },
  Object.keys(documents).join(', '),
);
