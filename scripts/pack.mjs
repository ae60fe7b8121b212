#!/usr/bin/env node
// Packs every publishable package (every workspace that is not private) as npm would publish it: the plugins and
// libraries built with `backstage-cli repo build`, the CLI bundled with esbuild, then `yarn pack` in each (which
// runs `backstage-cli package prepack`: `main`/`types`/`exports` point at dist/, and `workspace:^` ranges become the
// versions they name). The release workflow publishes exactly these; the fresh-app install test installs them.
//
//   node scripts/pack.mjs <dir>
//
// Prints one JSON line: { dir, buildMs, packMs, packages: { name: { file, version } } }.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [target] = process.argv.slice(2);
if (!target) {
  console.error('usage: pack.mjs <dir>');
  process.exit(2);
}
const dir = path.resolve(target);
fs.mkdirSync(dir, { recursive: true });
const run = (args, cwd = root) =>
  execFileSync('yarn', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    // Building every package takes well under a minute here; ten is a hung process.
    timeout: 10 * 60_000,
  });

let started = Date.now();
run(['backstage-cli', 'repo', 'build']);
run(['workspace', '@paved/cli', 'build']);
const buildMs = Date.now() - started;

started = Date.now();
const workspaces = run(['workspaces', 'list', '--json', '--no-private'])
  .trim()
  .split('\n')
  .map(line => JSON.parse(line))
  .filter(w => w.location !== '.');
// One yarn process packs them all, two at a time (each runs `backstage-cli package prepack`).
run([
  'workspaces',
  'foreach',
  '--all',
  '--no-private',
  '--parallel',
  '--jobs',
  '2',
  'pack',
  '--out',
  path.join(dir, '%s-%v.tgz'),
]);
const packages = {};
for (const { name, location } of workspaces) {
  const { version } = JSON.parse(
    fs.readFileSync(path.join(root, location, 'package.json'), 'utf8'),
  );
  // Yarn names the archive after the package with the scope's slash as a dash.
  const file = path.join(dir, `${name.replace('/', '-')}-${version}.tgz`);
  if (!fs.existsSync(file)) throw new Error(`yarn pack made no ${file}`);
  packages[name] = { file, version };
}
const packMs = Date.now() - started;
console.log(JSON.stringify({ dir, buildMs, packMs, packages }));
