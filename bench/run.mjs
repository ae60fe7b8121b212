#!/usr/bin/env node
// Runs every benchmark under bench/ in turn; each prints its own table.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
for (const entry of fs.readdirSync(here, { withFileTypes: true })) {
  const script = path.join(here, entry.name, 'run.mjs');
  if (entry.isDirectory() && fs.existsSync(script)) {
    console.log(`\n## ${entry.name}\n`);
    execFileSync(process.execPath, [script, ...process.argv.slice(2)], {
      stdio: 'inherit',
    });
  }
}
