/**
 * Paved's template engine: copier-compatible versioned templates rendered natively in TypeScript, updated with a
 * real three-way merge. No Backstage imports: the CLI and the backend plugins adapt it.
 *
 * @packageDocumentation
 */

export { copyTemplate, recopyInstance } from './lib/copy';
export type { CopyOptions, CopyResult, RecopyOptions } from './lib/copy';
export type { RenderIsolation } from './lib/isolation';
export { updateInstance } from './lib/update';
export type {
  ConflictMode,
  FileChange,
  FileStatus,
  KeptFile,
  UpdateOptions,
  UpdateReport,
} from './lib/update';
export { checkInstance } from './lib/check';
export type { CheckOptions, CheckResult } from './lib/check';
export {
  cloneRepository,
  latestVersion,
  parseLocation,
  TemplateSource,
} from './lib/source';
export type {
  GitCredentials,
  ResolvedVersion,
  TemplateLocation,
} from './lib/source';
export { parseTemplateConfig, DEFAULT_EXCLUDE } from './lib/config';
export type {
  Choice,
  Migration,
  Question,
  QuestionType,
  Task,
  TemplateConfig,
} from './lib/config';
export {
  parseTags,
  parseRecordedVersion,
  compareRecorded,
} from './lib/versions';
export type { TagVersion, RecordedVersion } from './lib/versions';
export { Jinja, toNiceYaml } from './lib/jinja';
export type { EnvOps } from './lib/jinja';
export { TemplateError } from './errors';
export { setCommandTimeout } from './lib/git';
export type { TemplateErrorCode } from './errors';
