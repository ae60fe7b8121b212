#!/usr/bin/env node
// Benchmark: `paved template update` on (a) a small service and (b) a service with 5,000 extra files and a
// 200-file template, against a floor of copying the service tree plus one `git merge-file` per file the template
// changed (what any 3-way template update must at least do). Prints wall time (median) and peak memory.
// Usage: node bench/template-update/run.mjs [--iterations N]   (needs git and GNU time at /usr/bin/time)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure } from '../lib/figures.cjs';
import { gitEnv } from '../lib/gitEnv.mjs';

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const devBin = path.join(repoRoot, 'packages/cli/bin/paved');
const bundle = path.join(repoRoot, 'packages/cli/dist/paved.cjs');
const iterations =
  Number(process.argv[process.argv.indexOf('--iterations') + 1]) || 5;
const env = gitEnv;
// What users run: the CLI bundle (built fresh), as `node dist/paved.cjs`.
execFileSync('yarn', ['workspace', '@paved/cli', 'build'], {
  cwd: repoRoot,
  stdio: 'inherit',
});
const paved = (...args) =>
  execFileSync(process.execPath, [bundle, ...args], { env }).toString();
if (!fs.existsSync('/usr/bin/time')) {
  console.error(
    'bench/template-update needs GNU time (/usr/bin/time; Debian package "time") to read peak memory',
  );
  process.exit(1);
}

const git = (cwd, ...args) =>
  execFileSync('git', args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
const write = (dir, rel, text) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};
const lines = (i, changedLine) =>
  Array.from({ length: 40 }, (_, n) =>
    n === 5 && changedLine
      ? `// ${changedLine} ${i}`
      : n === 0
      ? `// module ${i} of {{ name }}`
      : `export const value${n} = ${i * 100 + n};`,
  ).join('\n') + '\n';

/** Wall seconds and peak RSS (MB) of one command, via GNU time. */
function measure(command, args, cwd) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], {
    cwd,
    env,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  const [wall, kb] = result.stderr
    .trim()
    .split('\n')
    .pop()
    .split(' ')
    .map(Number);
  return { wall, rssMb: kb / 1024 };
}

const median = values =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function scenario(name, { templateFiles, changedFiles, extraFiles }) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `paved-bench-${name}-`));
  try {
    const tpl = path.join(work, 'template');
    fs.mkdirSync(tpl);
    git(tpl, 'init', '-q', '-b', 'main');
    write(tpl, 'copier.yml', 'name: {type: str, default: bench}\n');
    for (let i = 0; i < templateFiles; i++)
      write(tpl, `src/module${i}.ts.jinja`, lines(i));
    git(tpl, 'add', '-A');
    git(tpl, 'commit', '-q', '-m', 'v1');
    git(tpl, 'tag', 'v1.0.0');

    // The service: rendered from v1.0.0, plus files of its own, plus edits (some overlapping the next release).
    const svc = path.join(work, 'service');
    paved('template', 'copy', tpl, svc, '--defaults', '--vcs-ref', 'v1.0.0');
    for (let i = 0; i < extraFiles; i++)
      write(
        svc,
        `app/part${i % 50}/file${i}.ts`,
        `export const own${i} = ${i};\n`,
      );
    for (let i = 0; i < changedFiles; i++) {
      const file = path.join(svc, `src/module${i}.ts`);
      const text = fs.readFileSync(file, 'utf8').split('\n');
      if (i % 2 === 0)
        text[30] = `// service edit ${i}`; // merges cleanly with the template's edit of line 5
      else if (i % 4 === 1) text[5] = `// service's own line 5 ${i}`; // conflicts
      fs.writeFileSync(file, text.join('\n'));
    }
    git(svc, 'init', '-q', '-b', 'main');
    git(svc, 'add', '-A');
    git(svc, 'commit', '-q', '-m', 'service');

    // The next template release: changes `changedFiles` files, adds and removes a few.
    for (let i = 0; i < changedFiles; i++)
      write(tpl, `src/module${i}.ts.jinja`, lines(i, 'v2 change'));
    for (let i = 0; i < 5; i++)
      write(tpl, `src/added${i}.ts.jinja`, lines(1000 + i));
    for (let i = templateFiles - 5; i < templateFiles; i++)
      fs.rmSync(path.join(tpl, `src/module${i}.ts.jinja`));
    git(tpl, 'add', '-A');
    git(tpl, 'commit', '-q', '-m', 'v2');
    git(tpl, 'tag', 'v2.0.0');

    // Renders of both versions for the floor (not timed).
    const base = path.join(work, 'base');
    const theirs = path.join(work, 'theirs');
    paved('template', 'copy', tpl, base, '--defaults', '--vcs-ref', 'v1.0.0');
    paved('template', 'copy', tpl, theirs, '--defaults', '--vcs-ref', 'v2.0.0');
    const changed = [];
    for (let i = 0; i < templateFiles; i++) {
      const rel = `src/module${i}.ts`;
      const a = path.join(base, rel);
      const b = path.join(theirs, rel);
      if (fs.existsSync(b) && !fs.readFileSync(a).equals(fs.readFileSync(b)))
        changed.push(rel);
    }
    const floorScript = path.join(work, 'floor.sh');
    fs.writeFileSync(
      floorScript,
      [
        'set -e',
        // the service's work tree (not its .git), as a tool that renders into a scratch copy must write it
        `mkdir ${work}/floor-copy`,
        `tar -C ${svc} --exclude=.git -cf - . | tar -C ${work}/floor-copy -xf -`,
        ...changed.map(
          rel =>
            `git merge-file -p ${work}/floor-copy/${rel} ${base}/${rel} ${theirs}/${rel} > /dev/null || true`,
        ),
        `rm -rf ${work}/floor-copy`,
      ].join('\n'),
    );

    const bundled = [];
    const dev = [];
    const floor = [];
    const reset = () => {
      git(svc, 'reset', '-q', '--hard');
      git(svc, 'clean', '-q', '-fdx');
    };
    for (let i = 0; i < iterations; i++) {
      reset();
      bundled.push(
        measure(
          process.execPath,
          [bundle, 'template', 'update', svc, '--json'],
          work,
        ),
      );
      reset();
      dev.push(measure(devBin, ['template', 'update', svc, '--json'], work));
      floor.push(measure('bash', [floorScript], work));
    }
    reset();
    const report = JSON.parse(
      paved('template', 'update', svc, '--json', '--pretend'),
    );
    return {
      name,
      templateFiles,
      extraFiles,
      changed: changed.length,
      conflicts: report.conflicts,
      pavedWall: median(bundled.map(p => p.wall)),
      pavedRss: Math.max(...bundled.map(p => p.rssMb)),
      devWall: median(dev.map(p => p.wall)),
      floorWall: median(floor.map(p => p.wall)),
      floorRss: Math.max(...floor.map(p => p.rssMb)),
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// Copier 9 on this machine kind, as measured for the issue: (a) 1.4–1.7 s, (b) median 4.5 s.
const copier = { a: '1.4–1.7 s', b: '4.5 s' };
const rows = [
  scenario('a', { templateFiles: 20, changedFiles: 8, extraFiles: 20 }),
  scenario('b', { templateFiles: 200, changedFiles: 40, extraFiles: 5000 }),
];
for (const r of rows) {
  figure(
    'template-update',
    `scenario ${r.name}: ${r.templateFiles}-file template, ${r.changed} changed, ${r.extraFiles} service files`,
    `${r.pavedWall.toFixed(2)} s, ${r.pavedRss.toFixed(
      0,
    )} MB (floor ${r.floorWall.toFixed(2)} s)`,
    '≤ 1.5× the copy + merge-file floor',
    r.pavedWall <= 1.5 * r.floorWall,
  );
}
console.log(
  `paved template update, median of ${iterations} runs (wall s / peak RSS MB)\n`,
);
console.log(
  '| scenario | template files | extra files | changed | conflicts | paved (bundle) | floor (copy + git merge-file) | paved/floor | copier 9 (measured earlier, not run here) | paved from TS sources |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.templateFiles} | ${r.extraFiles} | ${r.changed} | ${
      r.conflicts
    } | ${r.pavedWall.toFixed(2)} s / ${r.pavedRss.toFixed(
      0,
    )} MB | ${r.floorWall.toFixed(2)} s / ${r.floorRss.toFixed(0)} MB | ${(
      r.pavedWall / r.floorWall
    ).toFixed(2)}× | ${copier[r.name]} | ${r.devWall.toFixed(2)} s |`,
  );
}
