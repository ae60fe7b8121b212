// What every recording script here shares: the recording is JSON, gzipped at the highest level, written under the
// package's data/ folder (which ships with the package: see `files` in package.json).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** Writes `value` as gzipped JSON to data/<name>; prints `<file>: <summary> (<bytes> bytes gzipped)`. */
export function writeRecording(name, value, summary) {
  const out = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    '../data',
    name,
  );
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    zlib.gzipSync(typeof value === 'string' ? value : JSON.stringify(value), {
      level: 9,
    }),
  );
  console.log(`${out}: ${summary} (${fs.statSync(out).size} bytes gzipped)`);
}
