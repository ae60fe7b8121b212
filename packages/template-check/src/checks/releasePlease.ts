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

const IMAGE_TAG = /(^|\/)values[^/]*\.ya?ml$/;

/**
 * How the release reaches the cluster: Release Please's `yaml` updater rewrites a file without its comments; a
 * release pull request that sets the chart's image tag deploys a version whose image is not built yet (the image
 * is pushed when the release is tagged; the tag is set after that); a chart in the repository has its `version` and
 * `appVersion` bumped with the release (generic updater, `x-release-please-version` on both lines).
 */
async function releaseFlowProblems(
  dir: string,
  files: string[],
  config: any,
): Promise<Array<{ file?: string; message: string }>> {
  const problems: Array<{ file?: string; message: string }> = [];
  const add = (message: string, file?: string) =>
    problems.push({ file, message });
  const extra: Array<{ type?: string; path: string; jsonpath?: string }> = [];
  for (const [pkg, c] of Object.entries<any>(config?.packages ?? {}))
    for (const e of c?.['extra-files'] ?? [])
      extra.push(
        typeof e === 'string'
          ? { path: pkg === '.' ? e : `${pkg}/${e}` }
          : { ...e, path: pkg === '.' ? e.path : `${pkg}/${e.path}` },
      );
  for (const e of extra) {
    if (e.type === 'yaml')
      add(
        `extra-files ${e.path}: the yaml updater rewrites the file without its comments; use {"type": "generic"} and mark the lines with x-release-please-version`,
      );
    const text = files.includes(e.path) ? await read(dir, e.path) : '';
    const setsImage =
      IMAGE_TAG.test(e.path) &&
      ((e.jsonpath ?? '').includes('image') ||
        /^\s*tag:.*x-release-please-version/m.test(text));
    if (setsImage)
      add(
        `extra-files ${e.path}: the release pull request would set the image tag before that version's image is built (Argo CD could deploy it first); set it after the release's image is pushed`,
      );
  }
  for (const chart of files.filter(f => /(^|\/)Chart\.yaml$/.test(f))) {
    const entry = extra.find(e => e.path === chart);
    if (!entry) {
      add(
        `${chart} is not in extra-files: the chart's version and appVersion never move with releases`,
      );
      continue;
    }
    const text = await read(dir, chart);
    for (const key of ['version', 'appVersion'])
      if (
        entry.type !== 'yaml' &&
        !new RegExp(`^${key}:.*x-release-please-version`, 'm').test(text)
      )
        add(
          `${chart}: the ${key} line has no x-release-please-version marker, so releases never bump it`,
          chart,
        );
  }
  return problems;
}

/**
 * Release Please: release-please-config.json against its schema; the manifest names a version per package; the
 * release flow keeps comments, bumps the chart and never sets an image tag before the image exists.
 */
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
  problems.push(
    ...(await releaseFlowProblems(dir, files, parsed)).map(p => ({
      check: 'release-please',
      file: p.file ?? config,
      message: p.message,
    })),
  );
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
