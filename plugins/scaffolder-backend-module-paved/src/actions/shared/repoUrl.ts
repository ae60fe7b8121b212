import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { normaliseRepoUrl } from '../template/input';

/** Whether a value is the RepoUrlPicker's `host?owner=…&repo=…`. */
export function isPickerForm(value: string): boolean {
  return /^[\w.-]+(:\d+)?\?/.test(value);
}

/**
 * The repository URL the scaffolder form gave, as git and the Git provider take it: the RepoUrlPicker's
 * `host?owner=&repo=` becomes a URL with the scheme of that host's integration. Only hosts with an SCM integration.
 */
export function resolveRepoUrl(
  value: string,
  integrations: ScmIntegrationRegistry,
): string {
  let url = normaliseRepoUrl(value);
  if (!/^https?:\/\//.test(url)) {
    throw new InputError(
      `repoUrl "${value}" must be https://host/owner/repo or host?owner=…&repo=…`,
    );
  }
  const host = new URL(url).host;
  const github = integrations.github.byHost(host);
  if (!github && !integrations.byHost(host)) {
    throw new InputError(
      `repoUrl ${url}: no SCM integration is configured for ${host} (integrations)`,
    );
  }
  // A plain-HTTP GitHub (the sandbox) is cloned over plain HTTP.
  if (github?.config.apiBaseUrl?.startsWith('http://'))
    url = url.replace(/^https:/, 'http:');
  return url;
}
