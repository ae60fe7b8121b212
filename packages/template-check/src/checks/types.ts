/** One thing wrong with a rendered file. @public */
export interface Problem {
  /** Which check found it (`catalog-info`, `workflows`, …). */
  check: string;
  /** Repository-relative file. */
  file: string;
  message: string;
}

/** What one check looked at and found. @public */
export interface CheckResult {
  check: string;
  /** Files it validated. */
  files: string[];
  problems: Problem[];
}
