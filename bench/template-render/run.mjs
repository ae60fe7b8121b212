#!/usr/bin/env node
// Benchmark: what the portal's second wall costs. The built engine (`backstage-cli package build`, installed as the
// production backend loads it) renders (a) a 20-file and (b) a 200-file template with `copyTemplate`, once in the calling
// process and once in the render process (no environment, permission model, heap limit) the portal always uses.
// Prints median wall time per render and the difference.
// Usage: node bench/template-render/run.mjs [--iterations N]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure } from '../lib/figures.cjs';
import { gitEnv } from '../lib/gitEnv.mjs';

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const pkg = path.join(repoRoot, 'plugins/template-sync-node');
const iterations =
  Number(process.argv[process.argv.indexOf('--iterations') + 1]) || 7;
const env = gitEnv;
// The engine as a backend installs it: built packages whose package.json points at dist/, in a node_modules folder
// (bench/.installed, inside the repository so the other dependencies resolve from its node_modules).
const installed = path.join(repoRoot, 'bench/.installed/node_modules/@paved');
fs.rmSync(installed, { recursive: true, force: true });
for (const name of ['template-sync-node', 'paved-common']) {
  const dir = path.join(repoRoot, 'plugins', name);
  execFileSync('yarn', ['backstage-cli', 'package', 'build'], {
    cwd: dir,
    stdio: 'inherit',
  });
  const target = path.join(installed, `plugin-${name}`);
  fs.mkdirSync(target, { recursive: true });
  fs.cpSync(path.join(dir, 'dist'), path.join(target, 'dist'), {
    recursive: true,
  });
  const manifest = JSON.parse(
    fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
  );
  const built = p =>
    p.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '.cjs.js');
  manifest.main = 'dist/index.cjs.js';
  if (manifest.exports) {
    manifest.exports = Object.fromEntries(
      Object.entries(manifest.exports).map(([k, v]) => [k, built(v)]),
    );
  }
  fs.writeFileSync(
    path.join(target, 'package.json'),
    JSON.stringify(manifest, null, 2),
  );
}
const { copyTemplate } = createRequire(import.meta.url)(
  path.join(installed, 'plugin-template-sync-node'),
);

const git = (cwd, ...args) =>
  execFileSync('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
const median = values =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function scenario(name, templateFiles) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `paved-bench-${name}-`));
  try {
    const tpl = path.join(work, 'template');
    fs.mkdirSync(path.join(tpl, 'src'), { recursive: true });
    git(tpl, 'init', '-q', '-b', 'main');
    fs.writeFileSync(
      path.join(tpl, 'copier.yml'),
      'name: {type: str, default: bench}\ntier: {type: str, default: small, choices: [small, large]}\n',
    );
    for (let i = 0; i < templateFiles; i++) {
      fs.writeFileSync(
        path.join(tpl, `src/module${i}.ts.jinja`),
        `${Array.from(
          { length: 40 },
          (_, n) =>
            `export const value${n} = '{{ name }}-{{ tier }}-${i * 100 + n}';`,
        ).join('\n')}\n`,
      );
    }
    git(tpl, 'add', '-A');
    git(tpl, 'commit', '-q', '-m', 'v1');
    git(tpl, 'tag', 'v1.0.0');
    const times = { inProcess: [], isolated: [] };
    let n = 0;
    const run = async (kind, isolation) => {
      const dst = path.join(work, `out-${n++}`);
      const start = process.hrtime.bigint();
      await copyTemplate({ src: tpl, dst, defaults: true, isolation });
      times[kind].push(Number(process.hrtime.bigint() - start) / 1e9);
      fs.rmSync(dst, { recursive: true, force: true });
    };
    await run('isolated', {}); // warm the file cache and the entry point lookup
    for (let i = 0; i < iterations; i++) {
      await run('inProcess', undefined);
      await run('isolated', {});
    }
    times.isolated.shift();
    return {
      name,
      templateFiles,
      inProcess: median(times.inProcess),
      isolated: median(times.isolated),
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const rows = [await scenario('a', 20), await scenario('b', 200)];
console.log(
  `copyTemplate of the built engine, median of ${iterations} runs (wall s)\n`,
);
console.log(
  '| scenario | template files | in process | render process | added |',
);
console.log('|---|---|---|---|---|');
for (const r of rows) {
  const added = r.isolated - r.inProcess;
  console.log(
    `| ${r.name} | ${r.templateFiles} | ${r.inProcess.toFixed(
      3,
    )} | ${r.isolated.toFixed(3)} | +${(added * 1000).toFixed(0)} ms |`,
  );
  figure(
    'template-render',
    `scenario ${r.name}: ${r.templateFiles}-file template, render process vs in process`,
    `${r.isolated.toFixed(3)} s vs ${r.inProcess.toFixed(3)} s (+${(
      added * 1000
    ).toFixed(0)} ms)`,
  );
}
