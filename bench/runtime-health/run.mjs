#!/usr/bin/env node
// Runs bench.ts through Backstage's TypeScript transform (the plugins are consumed as sources in this repository).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
execFileSync(
  process.execPath,
  [
    '--require',
    '@backstage/cli/config/nodeTransform.cjs',
    path.join(here, 'bench.ts'),
  ],
  {
    stdio: 'inherit',
    cwd: path.resolve(here, '../..'),
  },
);
// Then the portal's own backend, comparing the same entity through @backstage/plugin-kubernetes-backend.
execFileSync(process.execPath, [path.join(here, 'portal.mjs')], {
  stdio: 'inherit',
  cwd: path.resolve(here, '../..'),
});
