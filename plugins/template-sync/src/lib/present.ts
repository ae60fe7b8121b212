import {
  ANNOTATION_TEMPLATE_SOURCE,
  type TemplateInstanceState,
  type TemplateSyncStatus,
} from '@paved/plugin-paved-common';
import type { Entity } from '@backstage/catalog-model';

/** Whether an entity records a template source: the card's filter. @public */
export function isTemplateInstance(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_TEMPLATE_SOURCE]);
}

/** How alarming a status is, which picks its colour and icon. */
export type Tone = 'ok' | 'warning' | 'error' | 'pending' | 'neutral';

export const STATUS: Record<
  TemplateSyncStatus,
  { label: string; tone: Tone; help: string }
> = {
  'up-to-date': {
    label: 'Up to date',
    tone: 'ok',
    help: 'The default branch records the newest template version.',
  },
  behind: {
    label: 'Behind',
    tone: 'warning',
    help: 'A newer template version exists; the next run opens a pull request.',
  },
  'pull-request': {
    label: 'Pull request open',
    tone: 'pending',
    help: 'A pull request brings the newest version: review and merge it.',
  },
  conflicts: {
    label: 'Conflicts',
    tone: 'error',
    help: 'The update pull request has conflict markers to resolve before it can be merged.',
  },
  declined: {
    label: 'Declined',
    tone: 'neutral',
    help: 'The pull request for the newest version was closed without merging; the next version opens a new one.',
  },
  error: {
    label: 'Cannot check',
    tone: 'error',
    help: 'Template sync could not check this instance.',
  },
  unknown: {
    label: 'Not checked yet',
    tone: 'neutral',
    help: 'Template sync has not checked this instance yet.',
  },
};

/** "v1.2.0 → v1.4.0", or the one version when there is nothing newer. */
export function versionRange(state: TemplateInstanceState): string {
  const current = state.currentVersion ?? 'unknown';
  if (!state.latestVersion || state.latestVersion === current) return current;
  return `${current} → ${state.latestVersion}`;
}

/** The pull request's description for a link: "#12 (draft, 2 conflicts)". */
export function pullRequestText(
  pr: NonNullable<TemplateInstanceState['pullRequest']>,
): string {
  const notes = [
    pr.draft ? 'draft' : '',
    pr.conflicts
      ? `${pr.conflicts} conflict${pr.conflicts === 1 ? '' : 's'}`
      : '',
  ].filter(Boolean);
  return `#${pr.number}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

/** A template source as a browser link: Git URLs as web pages, with the `//folder` as a tree path. */
export function sourceLink(source: string): string | undefined {
  const [repo, folder] = source.split(/(?<=[^:/])\/\/(?=[^/])/);
  const web = repo
    .replace(/^git@([^:]+):/, 'https://$1/')
    .replace(/^gh:/, 'https://github.com/')
    .replace(/^gl:/, 'https://gitlab.com/')
    .replace(/\.git$/, '');
  if (!/^https?:\/\//.test(web)) return undefined;
  return folder ? `${web}/tree/HEAD/${folder}` : web;
}
