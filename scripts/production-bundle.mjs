#!/usr/bin/env node
// Lays out the production backend as packages/backend/Dockerfile does, without Docker: `yarn build:backend`, the
// skeleton and the bundle unpacked into <dir>, `yarn workspaces focus --all --production` there, and the two config
// files the image carries (app-config.yaml, app-config.production.yaml) — nothing else of this repository. Run the
// result with `NODE_ENV=production node packages/backend --config app-config.yaml --config
// app-config.production.yaml [--config <override>]` from <dir>.
//
//   node scripts/production-bundle.mjs <dir>
//
// Prints one JSON line: { dir, buildMs, installMs, reused }. The install is reused while the skeleton and yarn.lock
// are unchanged; the bundle and the config files are laid out fresh every time.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [target] = process.argv.slice(2);
if (!target) {
  console.error('usage: production-bundle.mjs <dir>');
  process.exit(2);
}
const dir = path.resolve(target);
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    // Building and installing take a minute or two; ten is a hung process.
    timeout: 10 * 60_000,
    env: { ...process.env, NODE_ENV: 'production' },
  });

let started = Date.now();
run('yarn', ['build:backend'], root);
const buildMs = Date.now() - started;
const dist = path.join(root, 'packages/backend/dist');
// The install depends on the skeleton (every package.json) and yarn.lock only: reuse it while they are the same.
const skeleton = fs.mkdtempSync(path.join(path.dirname(dir), '.skeleton-'));
run('tar', ['xzf', path.join(dist, 'skeleton.tar.gz')], skeleton);
const hash = crypto.createHash('sha256');
const walk = d => {
  for (const entry of fs
    .readdirSync(d, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(d, entry.name);
    if (entry.isDirectory()) walk(p);
    else hash.update(path.relative(skeleton, p)).update(fs.readFileSync(p));
  }
};
walk(skeleton);
hash.update(fs.readFileSync(path.join(root, 'yarn.lock')));
const digest = hash.digest('hex');
const marker = path.join(dir, '.paved-install');
const reused =
  fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === digest;
let installMs = 0;
if (!reused) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(
    path.join(root, '.yarn/releases'),
    path.join(dir, '.yarn/releases'),
    {
      recursive: true,
    },
  );
  fs.cpSync(skeleton, dir, { recursive: true });
  for (const file of [
    '.yarnrc.yml',
    'backstage.json',
    'yarn.lock',
    'package.json',
  ])
    fs.copyFileSync(path.join(root, file), path.join(dir, file));
  started = Date.now();
  run('yarn', ['workspaces', 'focus', '--all', '--production'], dir);
  installMs = Date.now() - started;
  fs.writeFileSync(marker, digest);
}
fs.rmSync(skeleton, { recursive: true, force: true });
// The bundle (every package's dist) and the two config files the image carries, fresh on every run.
run('tar', ['xzf', path.join(dist, 'bundle.tar.gz')], dir);
for (const file of ['app-config.yaml', 'app-config.production.yaml'])
  fs.copyFileSync(path.join(root, file), path.join(dir, file));
console.log(JSON.stringify({ dir, buildMs, installMs, reused }));
