#!/usr/bin/env node
// What a release would do, checked without publishing: in a scratch copy of the working tree, `changeset version`
// consumes every pending changeset, bumps each named package by the highest bump it got, writes its CHANGELOG.md
// entry, and keeps the internal `workspace:^` ranges. Also checks what makes a package publishable here: nothing under
// plugins/ is private, and every publishable package has its API report (and the CLI its CLI report) checked in.
//
//   node scripts/release-check.mjs
//
// Prints the release plan (package, from → to) and exits non-zero with every problem found.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];
const readJson = f => JSON.parse(fs.readFileSync(f, 'utf8'));

const workspaces = execFileSync('yarn', ['workspaces', 'list', '--json'], {
  cwd: root,
  encoding: 'utf8',
  timeout: 60_000,
})
  .trim()
  .split('\n')
  .map(l => JSON.parse(l))
  .filter(w => w.location !== '.')
  .map(w => ({
    ...w,
    pkg: readJson(path.join(root, w.location, 'package.json')),
  }));

for (const { location, pkg } of workspaces) {
  if (location.startsWith('plugins/') && pkg.private)
    problems.push(
      `${pkg.name} (${location}) is private: plugins are published`,
    );
  if (pkg.private) continue;
  const dir = path.join(root, location);
  const reports = fs
    .readdirSync(dir)
    .filter(f => /^(report.*\.api\.md|cli-report.*\.md)$/.test(f));
  const wanted =
    pkg.backstage?.role === 'cli' ? 'cli-report.md' : 'report.api.md';
  if (!reports.includes(wanted))
    problems.push(
      `${pkg.name} has no ${wanted}: run yarn build:api-reports and commit it`,
    );
  if (!pkg.files?.length)
    problems.push(
      `${pkg.name} has no "files": it would publish its sources and tests`,
    );
  if (pkg.publishConfig?.access !== 'public')
    problems.push(
      `${pkg.name} lacks publishConfig.access "public" (a scoped package is private on npm by default)`,
    );
}

// `changeset version` in a scratch copy of the tree as it is now (committed or not).
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-release-check-'));
try {
  const files = execFileSync(
    'git',
    ['ls-files', '-co', '--exclude-standard', '-z'],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    },
  )
    .split('\0')
    .filter(
      f =>
        f &&
        (['package.json', 'yarn.lock', '.yarnrc.yml'].includes(f) ||
          f.startsWith('.changeset/') ||
          f.endsWith('/package.json')),
    );
  for (const f of files) {
    if (!fs.existsSync(path.join(root, f))) continue;
    fs.mkdirSync(path.dirname(path.join(scratch, f)), { recursive: true });
    fs.copyFileSync(path.join(root, f), path.join(scratch, f));
  }
  // The tools changeset version runs (yarn, and Prettier on the changelogs) come from this checkout.
  for (const link of ['node_modules', '.yarn'])
    fs.symlinkSync(path.join(root, link), path.join(scratch, link));
  execFileSync('git', ['init', '-q'], { cwd: scratch, timeout: 60_000 });
  const pending = fs
    .readdirSync(path.join(scratch, '.changeset'))
    .filter(f => f.endsWith('.md') && f !== 'README.md');
  const bumps = new Map();
  const order = { patch: 1, minor: 2, major: 3 };
  for (const f of pending) {
    const text = fs.readFileSync(path.join(scratch, '.changeset', f), 'utf8');
    const front = text.match(/^---\n([\s\S]*?)\n---/)?.[1];
    if (!front) {
      problems.push(`.changeset/${f} has no front matter`);
      continue;
    }
    for (const m of front.matchAll(
      /^['"]?([^'":]+)['"]?:\s*(patch|minor|major)\s*$/gm,
    )) {
      const known = workspaces.find(w => w.name === m[1]);
      if (!known)
        problems.push(
          `.changeset/${f} names ${m[1]}, which is not a package here`,
        );
      if ((order[m[2]] ?? 0) > (order[bumps.get(m[1])] ?? 0))
        bumps.set(m[1], m[2]);
    }
  }
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/@changesets/cli/bin.js'), 'version'],
    {
      cwd: scratch,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    },
  );
  const left = fs
    .readdirSync(path.join(scratch, '.changeset'))
    .filter(f => f.endsWith('.md') && f !== 'README.md');
  if (left.length)
    problems.push(`changeset version left ${left.join(', ')} unconsumed`);
  const plan = [];
  for (const { name, location, pkg } of workspaces) {
    const after = readJson(path.join(scratch, location, 'package.json'));
    const changelog = path.join(scratch, location, 'CHANGELOG.md');
    if (after.version !== pkg.version) {
      plan.push(`${name} ${pkg.version} → ${after.version}`);
      if (!fs.existsSync(changelog))
        problems.push(`${name} was bumped but got no CHANGELOG.md`);
    }
    const bump = bumps.get(name);
    if (bump && after.version === pkg.version)
      problems.push(`${name} has a ${bump} changeset but was not bumped`);
    for (const [dep, range] of Object.entries(after.dependencies ?? {}))
      if (dep.startsWith('@paved/') && !String(range).startsWith('workspace:'))
        problems.push(
          `${name}: changeset version rewrote ${dep} to ${range}; internal ranges stay workspace:^`,
        );
  }
  console.log(
    `release plan (${pending.length} changesets):\n  ${
      plan.join('\n  ') || 'nothing to release'
    }`,
  );
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

if (problems.length) {
  console.error(`release check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  'release check: every package is publishable and the changesets version cleanly',
);
