#!/usr/bin/env node
// The route in-process (bench.ts), then the portal's own backend compared with @backstage/plugin-kubernetes-backend.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTs } from '../lib/runTs.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
runTs(path.join(here, 'bench.ts'));
execFileSync(process.execPath, [path.join(here, 'portal.mjs')], {
  stdio: 'inherit',
  cwd: path.resolve(here, '../..'),
});
