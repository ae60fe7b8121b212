#!/usr/bin/env node
// Runs every benchmark under bench/ in turn (each prints its own table), then one summary table of the figures the
// issues asked for, with their goals. `yarn bench [--only a,b]`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const onlyIndex = process.argv.indexOf('--only');
const only =
  onlyIndex >= 0 ? new Set(process.argv[onlyIndex + 1].split(',')) : undefined;
const figures = path.join(
  fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-')),
  'figures.jsonl',
);
fs.writeFileSync(figures, '');
const failed = [];
for (const entry of fs
  .readdirSync(here, { withFileTypes: true })
  .sort((a, b) => a.name.localeCompare(b.name))) {
  const script = path.join(here, entry.name, 'run.mjs');
  if (!entry.isDirectory() || !fs.existsSync(script)) continue;
  if (only && !only.has(entry.name)) continue;
  console.log(`\n## ${entry.name}\n`);
  const start = Date.now();
  try {
    execFileSync(process.execPath, [script], {
      stdio: 'inherit',
      env: { ...process.env, PAVED_BENCH_FIGURES: figures },
    });
  } catch {
    failed.push(entry.name);
  }
  console.log(
    `\n(${entry.name}: ${((Date.now() - start) / 1000).toFixed(0)} s)`,
  );
}

const rows = fs
  .readFileSync(figures, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map(line => JSON.parse(line));
const cell = s => String(s).replace(/\|/g, '\\|');
console.log('\n## Summary: the figures the issues asked for\n');
console.log('| benchmark | figure | measured | goal | met |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) {
  const met = r.met === undefined ? '' : r.met ? 'yes' : '**no**';
  console.log(
    `| ${r.benchmark} | ${cell(r.name)} | ${cell(r.measured)} | ${cell(
      r.goal,
    )} | ${met} |`,
  );
}
if (failed.length) {
  console.log(`\nFailed to run: ${failed.join(', ')}`);
  process.exitCode = 1;
}
