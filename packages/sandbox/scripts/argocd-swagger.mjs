#!/usr/bin/env node
// Records Argo CD's published API description for the Argo CD stand-in's tests: assets/swagger.json of
// argoproj/argo-cd (the OpenAPI 2.0 document its gRPC gateway serves), gzipped, unchanged.
//
//   node packages/sandbox/scripts/argocd-swagger.mjs <argo-cd repository (git dir)> "<source>"
//
// It writes data/argocd/swagger.json.gz: { source, swagger }.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

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
const out = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../data/argocd/swagger.json.gz',
);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(
  out,
  zlib.gzipSync(JSON.stringify({ source, swagger }), { level: 9 }),
);
console.log(
  `${out}: ${Object.keys(swagger.paths).length} paths (${
    fs.statSync(out).size
  } bytes gzipped)`,
);
