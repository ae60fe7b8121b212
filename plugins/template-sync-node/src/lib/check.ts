import type { GitCredentials } from './source';
import path from 'node:path';
import { parseLocation, TemplateSource } from './source';
import { compareRecorded, parseRecordedVersion } from './versions';
import { readInstanceAnswers, withTempDir } from './workspace';

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
  const { answersRel: answersFile, recorded } = await readInstanceAnswers(
    dst,
    options.answersFile,
  );
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
