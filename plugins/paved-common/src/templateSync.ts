/**
 * Where an instance stands against its template:
 * - `up-to-date`: the default branch records the newest version
 * - `behind`: a newer version exists and no pull request brings it yet
 * - `pull-request`: an open pull request brings the newest version
 * - `conflicts`: that pull request has conflict markers to resolve
 * - `declined`: the pull request for the newest version was closed without merging; the next version opens a new one
 * - `error`: the instance could not be checked (see `error`)
 * - `unknown`: not checked yet
 * @public
 */
export type TemplateSyncStatus =
  | 'up-to-date'
  | 'behind'
  | 'pull-request'
  | 'conflicts'
  | 'declined'
  | 'error'
  | 'unknown';

/** Every status, in the order views list them (most urgent first). @public */
export const TEMPLATE_SYNC_STATUSES: TemplateSyncStatus[] = [
  'error',
  'conflicts',
  'declined',
  'behind',
  'pull-request',
  'unknown',
  'up-to-date',
];

/** One template instance (one entity) as the template-sync backend reports it. @public */
export interface TemplateInstanceState {
  entityRef: string;
  title?: string;
  owner?: string;
  /** Template source (`paved.dev/template-source`). */
  source: string;
  /** Short name of the template (last segment of the source). */
  templateName: string;
  /** Repository-relative answers file. */
  answersFile: string;
  repoUrl?: string;
  /** Version the repository's default branch records. */
  currentVersion?: string;
  /** Newest version of the template when last checked. */
  latestVersion?: string;
  status: TemplateSyncStatus;
  pullRequest?: {
    number: number;
    url: string;
    /** Version the pull request brings. */
    version: string;
    draft: boolean;
    conflicts: number;
    changedFiles: number;
  };
  error?: string;
  /** ISO time of the last check. */
  lastCheckedAt?: string;
}

/** One template across the fleet. @public */
export interface TemplateFleetSummary {
  source: string;
  templateName: string;
  latestVersion?: string;
  instances: number;
  /** Instances not at the newest version (with or without a pull request). */
  behind: number;
  openPullRequests: number;
  conflicted: number;
  errors: number;
  /** Instances per recorded version, newest first. */
  versions: Array<{ version: string; count: number }>;
}

/** `GET /fleet` of the template-sync backend. @public */
export interface TemplateFleetResponse {
  templates: TemplateFleetSummary[];
  instances: TemplateInstanceState[];
  /** Instances matching the filters (before limit/offset). */
  total: number;
}

/** `GET /schedule` of the template-sync backend: when the fleet job checks every instance. @public */
export interface TemplateSyncSchedule {
  /** False when `paved.templateSync.enabled` is false: only "Check now" and the CLI check. */
  enabled: boolean;
  /** How often, in words: "every 30 minutes", "on the cron schedule 0 6 * * 1-5", "only when asked". */
  description: string;
}
