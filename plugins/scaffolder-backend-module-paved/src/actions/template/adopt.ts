import type { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PAVED_ACTION_IDS } from '@paved/plugin-paved-common';
import type { OwnershipService, TemplateSync } from '@paved/plugin-paved-node';
import { examples } from './adopt.examples';
import { adoptInput, adoptOutput, parseAdoptInput, sourceFrom } from './input';
import { resolveRepoUrl } from '../shared/repoUrl';
import {
  assertCallerMayActForAnswers,
  assertCallerOwnsRepository,
} from '../shared/caller';

/**
 * `paved:template:adopt`: brings a repository that came from an older copy of a template under template sync — one
 * pull request adding its answers file (rendered by the template at that version with the given answers, so they
 * are checked) and the provenance annotations on its catalog-info.yaml. Dry runs report the files without a PR.
 * @public
 */
export function createTemplateAdoptAction(options: {
  templates: TemplateSync;
  integrations: ScmIntegrationRegistry;
  ownership: OwnershipService;
}) {
  const { templates, integrations, ownership } = options;
  return createTemplateAction({
    id: PAVED_ACTION_IDS.templateAdopt,
    description:
      'Registers an existing repository, copied from a template before template sync, as an instance of that template: one pull request with its answers file and catalog provenance',
    examples,
    supportsDryRun: true,
    schema: { input: adoptInput, output: adoptOutput },
    async handler(ctx) {
      const input = parseAdoptInput(ctx.input);
      await assertCallerMayActForAnswers(
        ctx,
        ownership,
        input.values,
        owner => `adopt a repository for ${owner}`,
      );
      const repoUrl = resolveRepoUrl(input.repoUrl, integrations);
      // The pull request goes to that repository: its catalog owners (or platform admins) may adopt it, nobody else.
      await assertCallerOwnsRepository(
        ctx,
        ownership,
        repoUrl,
        `adopt ${repoUrl}`,
      );
      const request = {
        repoUrl,
        source: sourceFrom(input, templates, PAVED_ACTION_IDS.templateAdopt),
        version: input.version,
        values: input.values,
        answersFile: input.answersFile,
        baseBranch: input.baseBranch,
      };
      const result = ctx.isDryRun
        ? await templates.adoptInstance({ ...request, dryRun: true })
        : await ctx.checkpoint({
            key: `template.adopt.${request.repoUrl}#${
              request.answersFile ?? '.copier-answers.yml'
            }`,
            fn: async () => {
              const r = await templates.adoptInstance(request);
              return {
                version: r.version,
                answersFile: r.answersFile,
                branch: r.branch,
                files: r.files,
                pullRequestUrl: r.pullRequest?.url ?? null,
              };
            },
          });
      ctx.output('version', result.version);
      ctx.output('answersFile', result.answersFile);
      ctx.output('branch', result.branch);
      ctx.output('files', result.files);
      const url = 'pullRequestUrl' in result ? result.pullRequestUrl : null;
      if (url) ctx.output('pullRequestUrl', url);
      ctx.logger.info(
        ctx.isDryRun
          ? `Dry run: would open a pull request adopting ${request.source} ${
              result.version
            } in ${request.repoUrl} (${result.files.join(', ')})`
          : `Adopting ${request.source} ${result.version} in ${request.repoUrl}: ${url}`,
      );
    },
  });
}
