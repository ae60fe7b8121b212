import type { GitCredentials } from './source';
import path from 'node:path';
import { DEFAULT_ANSWERS_FILE } from '@paved/plugin-paved-common';
import { normaliseRelative } from './paths';
import { parseLocation, TemplateSource } from './source';
import { compareRecorded, parseRecordedVersion } from './versions';
import { readAnswers, withTempDir } from './workspace';

/** @public */
export interface CheckOptions {
  dst: string;
  answersFile?: string;
  prereleases?: boolean;
  tmpDir?: string;
  /** Headers that authenticate git against a remote template repository (see {@link GitCredentials}). */
  credentials?: GitCredentials;
}

/** @public */
export interface CheckResult {
  srcPath: string;
  answersFile: string;
  current: string;
  latest: string;
  /** True when a newer version than the recorded one exists. */
  behind: boolean;
}

/** Compares an instance's recorded version with the template's newest version tag. Reads tags only. @public */
export async function checkInstance(
  options: CheckOptions,
): Promise<CheckResult> {
  const dst = path.resolve(options.dst);
  const answersFile = normaliseRelative(
    options.answersFile ?? DEFAULT_ANSWERS_FILE,
    'Answers file',
  );
  const recorded = await readAnswers(dst, answersFile);
  return withTempDir(options.tmpDir, async work => {
    const source = new TemplateSource(
      parseLocation(recorded.srcPath, dst),
      work,
      options.credentials,
    );
    const latest = await source.resolve({ prereleases: options.prereleases });
    const current = recorded.commit ?? '';
    const order = compareRecorded(
      parseRecordedVersion(latest.recorded),
      parseRecordedVersion(current),
    );
    return {
      srcPath: recorded.srcPath,
      answersFile,
      current,
      latest: latest.recorded,
      behind: order === undefined ? latest.recorded !== current : order > 0,
    };
  });
}
