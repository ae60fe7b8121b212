#!/usr/bin/env node
// Records the part of GitHub's published REST description the GitHub stand-in serves: for each operation in
// OPERATIONS (method and path as api.github.com.json spells them), its responses (the shared `components.responses`
// put in place), and every schema those responses reach, transitively. Descriptions and examples are dropped (most
// of the size; validation does not read them); types, formats, `required`, `nullable`, enums, oneOf/anyOf/allOf are
// kept as they are. The source is @octokit/openapi's generated/api.github.com.json (400 MB unpacked with the other
// descriptions, so it is not a dependency): `npm pack @octokit/openapi@<version>` and extract that one file.
//
//   node packages/sandbox/scripts/github-openapi.mjs <api.github.com.json> "<source: @octokit/openapi@version>"
//
// It writes data/github/rest-openapi.json.gz: { source, openapi, operations: { "GET /path": responses }, schemas }.
import fs from 'node:fs';
import { writeRecording } from './recording.mjs';

/** Every REST operation the stand-in answers (src/github/rest.ts); the stand-in's test checks the two agree. */
const OPERATIONS = [
  'GET /user',
  'GET /users/{username}',
  'POST /orgs/{org}/repos',
  'POST /user/repos',
  'GET /repos/{owner}/{repo}',
  'GET /repos/{owner}/{repo}/git/ref/{ref}',
  'POST /repos/{owner}/{repo}/git/refs',
  'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
  'DELETE /repos/{owner}/{repo}/git/refs/{ref}',
  'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
  'POST /repos/{owner}/{repo}/git/commits',
  'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
  'POST /repos/{owner}/{repo}/git/blobs',
  'POST /repos/{owner}/{repo}/git/trees',
  'GET /repos/{owner}/{repo}/contents/{path}',
  'GET /repos/{owner}/{repo}/pulls',
  'POST /repos/{owner}/{repo}/pulls',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}',
  'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
  'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
  'DELETE /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/labels',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
  'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
  'GET /repos/{owner}/{repo}/branches/{branch}/protection',
  'PUT /repos/{owner}/{repo}/branches/{branch}/protection',
];

const [input, source] = process.argv.slice(2);
if (!input || !source) {
  console.error('usage: github-openapi.mjs <api.github.com.json> "<source>"');
  process.exit(2);
}
const doc = JSON.parse(fs.readFileSync(input, 'utf8'));
const DROP = new Set(['description', 'example', 'examples', 'summary']);
const wanted = new Set();
const strip = value => {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      // `description` is also a property name (label.description): drop only the annotation (a string).
      if (DROP.has(k) && typeof v !== 'object') continue;
      if (k === 'examples' || k === 'example') continue;
      if (k === '$ref' && typeof v === 'string') {
        const m = /^#\/components\/schemas\/(.+)$/.exec(v);
        if (m) wanted.add(m[1]);
      }
      out[k] = strip(v);
    }
    return out;
  }
  return value;
};
const resolve = node => {
  let n = node;
  while (n?.$ref)
    n = n.$ref
      .split('/')
      .slice(1)
      .reduce((a, k) => a[k], doc);
  return n;
};

const operations = {};
for (const op of OPERATIONS) {
  const [method, template] = op.split(' ');
  const found = doc.paths[template]?.[method.toLowerCase()];
  if (!found) throw new Error(`${op} is not in ${input}`);
  const responses = {};
  for (const [status, response] of Object.entries(found.responses)) {
    const r = resolve(response);
    responses[status] = strip({
      ...(r.content?.['application/json']?.schema
        ? { schema: r.content['application/json'].schema }
        : {}),
    });
  }
  operations[op] = responses;
}
const schemas = {};
for (const name of wanted) {
  // `wanted` grows while it is walked: each schema's own references join it.
  schemas[name] = strip(doc.components.schemas[name]);
}

writeRecording(
  'github/rest-openapi.json.gz',
  { source, openapi: doc.openapi, operations, schemas },
  `${OPERATIONS.length} operations, ${Object.keys(schemas).length} schemas`,
);
