#!/usr/bin/env node
// Benchmark: `paved template check-output` on the TypeScript service as a template author runs it — the CLI in this
// repository, the working tree (`--vcs-ref HEAD`), realistic answers (billing-api, two clusters, medium tier) and
// this repository's platform/ — every check (real Helm per cluster, actionlint, schemas, platform references) once
// without and once with the generated service's npm ci + lint + test. Prints the median of N runs each.
// Usage: node bench/check-output/run.mjs [--iterations N]
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure } from '../lib/figures.cjs';

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const iterations =
  Number(process.argv[process.argv.indexOf('--iterations') + 1]) || 5;
const args = [
  path.join(repoRoot, 'packages/cli/bin/paved'),
  'template',
  'check-output',
  `${repoRoot}//templates/typescript-service`,
  '--vcs-ref',
  'HEAD',
  '--data',
  'name=billing-api',
  '--data',
  'owner=group:default/payments-team',
  '--data',
  'clusters=[dev-eu, prod-eu]',
  '--data',
  'tier=medium',
  '--platform',
  `paved-demo/platform=${path.join(repoRoot, 'platform')}`,
];

function run(extra) {
  const start = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [...args, ...extra], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 600_000,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (/FAIL/.test(out)) throw new Error(`check-output found problems:\n${out}`);
  return ms;
}
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

run(['--skip-npm-test']); // warm-up: Helm unpacked into node_modules/.cache, the TypeScript transform's cache
const without = Array.from({ length: iterations }, () =>
  run(['--skip-npm-test']),
);
const withNpm = Array.from(
  { length: Math.max(1, Math.ceil(iterations / 2)) },
  () => run([]),
);
const s = ms => `${(ms / 1000).toFixed(2)} s`;
console.log('| run | median | runs |');
console.log('| --- | --- | --- |');
console.log(
  `| without npm test | ${s(median(without))} | ${without.map(s).join(', ')} |`,
);
console.log(
  `| with npm ci + lint + test | ${s(median(withNpm))} | ${withNpm
    .map(s)
    .join(', ')} |`,
);
figure(
  'check-output',
  'typescript-service, 2 clusters, without npm test',
  s(median(without)),
  '≤ 5 s',
  median(without) <= 5000,
);
figure(
  'check-output',
  'typescript-service, 2 clusters, with npm ci + lint + test',
  s(median(withNpm)),
);
