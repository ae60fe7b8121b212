#!/usr/bin/env node
// Builds the portal's frontend (packages/app, production mode: minified, split) once, and again only when its inputs
// change: a fingerprint of every tracked file of the frontend packages (the app and each plugin it bundles) and the
// lockfile, kept next to the bundle. `scripts/start.sh` serves the result from the backend; `yarn dev` stays the
// hot-reloading loop and never uses it.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'packages/app/dist');
const stamp = path.join(dist, '.paved-build-fingerprint');

/** Packages the frontend bundle is built from: the app and every workspace package whose role is a frontend one. */
function frontendFolders() {
  const folders = ['packages/app'];
  for (const base of ['plugins', 'packages']) {
    for (const name of fs.readdirSync(path.join(root, base))) {
      const manifest = path.join(root, base, name, 'package.json');
      if (!fs.existsSync(manifest)) continue;
      const role = JSON.parse(fs.readFileSync(manifest, 'utf8')).backstage
        ?.role;
      if (['frontend-plugin', 'web-library', 'common-library'].includes(role))
        folders.push(`${base}/${name}`);
    }
  }
  return folders;
}

function fingerprint() {
  const hash = createHash('sha256');
  const files = execFileSync(
    'git',
    [
      'ls-files',
      '-co',
      '--exclude-standard',
      '--',
      'yarn.lock',
      ...frontendFolders(),
    ],
    { cwd: root, encoding: 'utf8' },
  )
    .split('\n')
    .filter(
      f => f && !f.includes('/dist/') && fs.existsSync(path.join(root, f)),
    )
    .sort();
  for (const file of files) {
    hash.update(file);
    hash.update('\0');
    hash.update(fs.readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const wanted = fingerprint();
const have = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : '';
if (have === wanted && fs.existsSync(path.join(dist, 'index.html'))) {
  console.log('paved: the frontend build is up to date (packages/app/dist)');
} else {
  console.log(
    'paved: building the frontend for production (packages/app/dist); this takes a few minutes once, then only when its sources change',
  );
  const started = Date.now();
  const built = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
  fs.writeFileSync(stamp, `${wanted}\n`);
  console.log(
    `paved: frontend built in ${Math.round((Date.now() - started) / 1000)} s`,
  );
}
