// Runs a benchmark's bench.ts through Backstage's TypeScript transform (the plugins are consumed as sources in this
// repository), from the repository root.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export function runTs(file) {
  execFileSync(
    process.execPath,
    ['--require', '@backstage/cli/config/nodeTransform.cjs', file],
    { stdio: 'inherit', cwd: path.resolve(path.dirname(file), '../..') },
  );
}
