#!/usr/bin/env node
// Records NerdGraph's real schema for the New Relic stand-in: the introspection result New Relic's own Go client
// (newrelic/newrelic-client-go) generates its code from, `schema.json` at the root of that repository (fetched there
// by tutone from NerdGraph itself). Descriptions and deprecation reasons are dropped (they are most of its size and
// validation does not read them), and the empty lists tutone leaves out are put back; everything else — types, fields, arguments, enums, input objects, interfaces,
// unions — is kept as it is.
//
//   node packages/sandbox/scripts/nerdgraph-schema.mjs <schema.json> "<source: repository@commit (date)>"
//
// It writes data/newrelic/nerdgraph.json.gz: { source, schema } where schema is an IntrospectionQuery's __schema.
import fs from 'node:fs';
import { writeRecording } from './recording.mjs';

const [input, source] = process.argv.slice(2);
if (!input || !source) {
  console.error('usage: nerdgraph-schema.mjs <schema.json> "<source>"');
  process.exit(2);
}
const raw = JSON.parse(fs.readFileSync(input, 'utf8'));
const schema = raw.data?.__schema ?? raw.__schema ?? raw;
const strip = value => {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'description' || k === 'deprecationReason') continue;
      out[k] = strip(v);
    }
    return out;
  }
  return value;
};
// tutone leaves empty lists out (an object type with no interfaces, a field with no arguments); graphql-js wants them.
const normalised = strip(schema);
for (const type of normalised.types) {
  if (type.kind === 'OBJECT' || type.kind === 'INTERFACE')
    type.interfaces ??= [];
  if (type.kind === 'INTERFACE' || type.kind === 'UNION')
    type.possibleTypes ??= [];
  for (const field of type.fields ?? []) field.args ??= [];
}
const text = JSON.stringify({ source, schema: normalised });
writeRecording(
  'newrelic/nerdgraph.json.gz',
  text,
  `${schema.types.length} types, ${text.length} bytes`,
);
