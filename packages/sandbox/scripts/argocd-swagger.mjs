#!/usr/bin/env node
// Records Argo CD's published API description for the Argo CD stand-in's tests: assets/swagger.json of
// argoproj/argo-cd (the OpenAPI 2.0 document its gRPC gateway serves), gzipped, unchanged.
//
//   node packages/sandbox/scripts/argocd-swagger.mjs <argo-cd repository (git dir)> "<source>"
//
// It writes data/argocd/swagger.json.gz: { source, swagger }.
import { execFileSync } from 'node:child_process';
import { writeRecording } from './recording.mjs';

const [repo, source] = process.argv.slice(2);
if (!repo || !source) {
  console.error('usage: argocd-swagger.mjs <argo-cd repository> "<source>"');
  process.exit(2);
}
const swagger = JSON.parse(
  execFileSync('git', ['--git-dir', repo, 'show', 'HEAD:assets/swagger.json'], {
    maxBuffer: 64 * 1024 * 1024,
  }).toString('utf8'),
);
writeRecording(
  'argocd/swagger.json.gz',
  { source, swagger },
  `${Object.keys(swagger.paths).length} paths`,
);
