#!/usr/bin/env node
// Peer actions side by side with Paved's against the sandbox (issue 24): the community kubernetes:create-namespace
// and Roadie's argocd:create-resources, each run twice, under a dry run, on another team's namespace or application,
// and with a bad name. Runs the comparison test (plugins/scaffolder-backend-module-paved/src/peers.sandbox.test.ts)
// and prints the behaviour it measured as a table.
//
//   node bench/peers/run.mjs
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const out = path.join(
  fs.mkdtempSync(path.join(os.tmpdir(), 'paved-peers-')),
  'table.json',
);
const run = spawnSync(
  'yarn',
  [
    'backstage-cli',
    'package',
    'test',
    '--watchAll=false',
    'src/peers.sandbox.test.ts',
  ],
  {
    cwd: path.join(root, 'plugins/scaffolder-backend-module-paved'),
    env: { ...process.env, PAVED_PEERS_TABLE: out, CI: 'true' },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
if (!fs.existsSync(out)) {
  console.error('The comparison test wrote no table');
  process.exit(run.status || 1);
}
const rows = JSON.parse(fs.readFileSync(out, 'utf8'));
const cell = text => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
console.log(
  '\n| action | runs twice | dry run | another team’s namespace / app | bad name |',
);
console.log('|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${[r.action, r.runsTwice, r.dryRun, r.otherTeam, r.badName]
      .map(cell)
      .join(' | ')} |`,
  );
process.exit(run.status ?? 0);
