import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** `paved.templateSync`, with its defaults applied. @public */
export interface TemplateSyncSettings {
  /** Template sources Paved may fetch: exact sources or prefixes (`https://github.com/acme/templates`). */
  allowedSources: string[];
  /** Consider pre-release tags as the latest version. */
  prereleases: boolean;
  /** Template sources by name (`paved:template:fetch` `template:`), so Template entities need no environment's URL. */
  templates: Record<string, string>;
  /** Limits of the render process every template render runs in (never in the backend's own process). */
  render: { timeoutMs: number; maxMemoryMb: number };
  pullRequest: {
    /** Labels every template-sync pull request carries. */
    labels: string[];
    /** Label added while the update has conflicts, removed once it has none. */
    conflictLabel: string;
    /** Open conflicted pull requests as drafts (and switch them back once clean). */
    draftOnConflict: boolean;
    /** Head branch prefix; the answers file's path follows it. */
    branchPrefix: string;
  };
}

/** Reads `paved.templateSync`. @public */
export function readTemplateSyncSettings(config: Config): TemplateSyncSettings {
  const c = config.getOptionalConfig('paved.templateSync');
  const pr = c?.getOptionalConfig('pullRequest');
  const branchPrefix =
    pr?.getOptionalString('branchPrefix') ?? 'paved/template-sync/';
  if (
    !/^[A-Za-z0-9._/-]+\/$/.test(branchPrefix) ||
    branchPrefix.includes('..')
  ) {
    throw new InputError(
      `paved.templateSync.pullRequest.branchPrefix "${branchPrefix}" must be a branch path ending in "/"`,
    );
  }
  return {
    allowedSources: (c?.getOptionalStringArray('allowedSources') ?? []).map(s =>
      s.trim().replace(/\/+$/, ''),
    ),
    prereleases: c?.getOptionalBoolean('prereleases') ?? false,
    templates: Object.fromEntries(
      (c?.getOptionalConfig('templates')?.keys() ?? []).map(name => [
        name,
        c!.getString(`templates.${name}.source`),
      ]),
    ),
    render: {
      timeoutMs: positive(c, 'render.timeoutMs', 60_000),
      maxMemoryMb: positive(c, 'render.maxMemoryMb', 512),
    },
    pullRequest: {
      labels: pr?.getOptionalStringArray('labels') ?? ['template-sync'],
      conflictLabel:
        pr?.getOptionalString('conflictLabel') ?? 'template-sync:conflicts',
      draftOnConflict: pr?.getOptionalBoolean('draftOnConflict') ?? true,
      branchPrefix,
    },
  };
}

function positive(
  c: Config | undefined,
  key: string,
  fallback: number,
): number {
  const value = c?.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new InputError(
      `paved.templateSync.${key} must be a positive number, got ${value}`,
    );
  }
  return value;
}

/**
 * The pull-request branch of one instance: the prefix and the answers file's path, with what git refuses in a ref
 * name (a leading dot in a component, `..`, `.lock` endings, control and special characters) made safe.
 * @public
 */
export function syncBranch(prefix: string, answersFile: string): string {
  const parts = answersFile.split('/').map(part => {
    let p = part
      // git refuses control characters in ref names, like the others here.
      // eslint-disable-next-line no-control-regex
      .replace(/[\x00-\x20~^:?*[\\\x7f]/g, '-')
      .replace(/\.\.+/g, '.')
      .replace(/@\{/g, '-')
      .replace(/^\.+/, '');
    if (p.endsWith('.lock')) p = `${p.slice(0, -5)}-lock`;
    return p || 'root';
  });
  return `${prefix}${parts.join('/')}`;
}
