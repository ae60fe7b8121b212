#!/usr/bin/env node
// What Paved's frontend plugins add to the portal's production bundle: builds packages/app twice, once as configured
// and once with every @paved frontend plugin excluded from package discovery (app.packages.exclude), and compares the
// gzip size of the JavaScript and CSS each build ships, split into what loads on the first page (the scripts
// index.html references) and what loads lazily. Goal (issue 10): the plugins add < 200 KB gzip.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure } from '../lib/figures.cjs';
import zlib from 'node:zlib';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const app = path.join(root, 'packages/app');
const appPackage = JSON.parse(
  fs.readFileSync(path.join(app, 'package.json'), 'utf8'),
);
const ours = Object.keys(appPackage.dependencies).filter(name => {
  if (!name.startsWith('@paved/')) return false;
  const pkg = JSON.parse(
    fs.readFileSync(
      path.join(root, 'node_modules', name, 'package.json'),
      'utf8',
    ),
  );
  return pkg.backstage?.role === 'frontend-plugin';
});

function build(label, extraConfig) {
  const args = [
    'backstage-cli',
    'package',
    'build',
    '--config',
    path.join(root, 'app-config.yaml'),
  ];
  if (extraConfig) args.push('--config', extraConfig);
  process.stderr.write(`building the app ${label}…\n`);
  execFileSync('yarn', args, {
    cwd: app,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const dist = path.join(app, 'dist');
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = new Set(
    [
      ...html.matchAll(/(?:src|href)="[^"]*\/static\/([^"]+\.(?:js|css))"/g),
    ].map(m => m[1]),
  );
  const sizes = { initial: 0, lazy: 0, files: 0 };
  for (const file of fs.readdirSync(path.join(dist, 'static'))) {
    if (!/\.(js|css)$/.test(file)) continue;
    const gz = zlib.gzipSync(
      fs.readFileSync(path.join(dist, 'static', file)),
    ).length;
    sizes[initial.has(file) ? 'initial' : 'lazy'] += gz;
    sizes.files += 1;
  }
  return sizes;
}

const exclude = path.join(
  fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bundle-')),
  'exclude.yaml',
);
fs.writeFileSync(
  exclude,
  `app:\n  packages:\n    exclude:\n${ours
    .map(n => `      - '${n}'`)
    .join('\n')}\n`,
);

const without = build(`without ${ours.join(', ')}`, exclude);
const withOurs = build('as configured');
const kb = n => `${(n / 1024).toFixed(1)} KB`;
const row = (name, a, b) => `| ${name} | ${kb(a)} | ${kb(b)} | ${kb(b - a)} |`;
const added = withOurs.initial + withOurs.lazy - without.initial - without.lazy;
figure(
  'bundle',
  `gzip added by ${ours.join(', ')} (first page ${kb(
    withOurs.initial - without.initial,
  )})`,
  kb(added),
  '< 200 KB',
  added < 200 * 1024,
);
console.log(`Frontend plugins measured: ${ours.join(', ')}\n`);
console.log(
  '| gzip (zlib default level) | without our plugins | with them | added |',
);
console.log('| --- | --- | --- | --- |');
console.log(
  row(
    'first page (index.html scripts + CSS)',
    without.initial,
    withOurs.initial,
  ),
);
console.log(row('lazy chunks', without.lazy, withOurs.lazy));
console.log(
  row(
    'total',
    without.initial + without.lazy,
    withOurs.initial + withOurs.lazy,
  ),
);
console.log(
  `\nGoal: added total < 200 KB. Files: ${without.files} → ${withOurs.files}.`,
);
