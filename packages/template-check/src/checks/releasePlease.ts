import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { read } from './files';
import type { CheckResult, Problem } from './types';

/** The config schema release-please itself ships. */
function releasePleaseSchema(): object {
  const pkg = require.resolve('release-please/package.json');
  return JSON.parse(
    fs.readFileSync(
      path.join(path.dirname(pkg), 'schemas', 'config.json'),
      'utf8',
    ),
  );
}

/** Release Please: release-please-config.json against its schema; the manifest names a version per package. */
export async function checkReleasePlease(
  dir: string,
  files: string[],
): Promise<CheckResult> {
  const problems: Problem[] = [];
  const config = 'release-please-config.json';
  const manifest = '.release-please-manifest.json';
  if (!files.includes(config))
    return { check: 'release-please', files: [], problems };
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(releasePleaseSchema());
  let parsed: any;
  try {
    parsed = JSON.parse(await read(dir, config));
  } catch (error) {
    problems.push({
      check: 'release-please',
      file: config,
      message: (error as Error).message,
    });
    return { check: 'release-please', files: [config], problems };
  }
  if (!validate(parsed)) {
    for (const e of validate.errors ?? []) {
      problems.push({
        check: 'release-please',
        file: config,
        message: `${e.instancePath || '/'} ${e.message}`,
      });
    }
  }
  if (!files.includes(manifest)) {
    problems.push({
      check: 'release-please',
      file: manifest,
      message: 'missing',
    });
  } else {
    const versions = JSON.parse(await read(dir, manifest));
    for (const pkg of Object.keys(parsed.packages ?? {})) {
      if (
        typeof versions[pkg] !== 'string' ||
        !/^\d+\.\d+\.\d+/.test(versions[pkg])
      ) {
        problems.push({
          check: 'release-please',
          file: manifest,
          message: `no version for package "${pkg}"`,
        });
      }
    }
  }
  return { check: 'release-please', files: [config, manifest], problems };
}
