import type { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PAVED_ACTION_IDS } from '@paved/plugin-paved-common';
import type { OwnershipService, TemplateSync } from '@paved/plugin-paved-node';
import { examples } from './update.examples';
import { parseUpdateInput, updateInput, updateOutput } from './input';
import { resolveRepoUrl } from '../shared/repoUrl';
import { assertCallerOwnsRepository } from '../shared/caller';

/**
 * `paved:template:update`: brings one template instance in an existing repository to a newer template version
 * through one pull request (opened, or refreshed when it exists). Never merges. Dry runs report what would change.
 * @public
 */
export function createTemplateUpdateAction(options: {
  templates: TemplateSync;
  integrations: ScmIntegrationRegistry;
  ownership: OwnershipService;
}) {
  const { templates, integrations, ownership } = options;
  return createTemplateAction({
    id: PAVED_ACTION_IDS.templateUpdate,
    description:
      'Updates one template instance in a repository to a newer template version with a three-way merge, as one pull request (never merged)',
    examples,
    supportsDryRun: true,
    schema: { input: updateInput, output: updateOutput },
    async handler(ctx) {
      const input = parseUpdateInput(ctx.input);
      const repoUrl = resolveRepoUrl(input.repoUrl, integrations);
      await assertCallerOwnsRepository(
        ctx,
        ownership,
        repoUrl,
        `update the template instance in ${repoUrl}`,
      );
      const answersFile = input.answersFile ?? '.copier-answers.yml';
      const request = {
        repoUrl,
        answersFile,
        version: input.version,
        baseBranch: input.baseBranch,
      };
      const result = ctx.isDryRun
        ? await templates.updateInstance({ ...request, dryRun: true })
        : await ctx
            .checkpoint({
              key: `template.update.${repoUrl}#${answersFile}@${
                input.version ?? 'latest'
              }`,
              fn: async () => {
                const r = await templates.updateInstance(request);
                // Checkpoints hold JSON: the parts the outputs need.
                return {
                  from: r.from,
                  to: r.to,
                  upToDate: r.upToDate,
                  branch: r.branch,
                  conflicts: r.conflicts,
                  changedFiles: r.files,
                  pullRequestUrl: r.pullRequest?.url ?? null,
                  pullRequestNumber: r.pullRequest?.number ?? null,
                };
              },
            })
            .then(r => ({
              ...r,
              files: r.changedFiles,
              pullRequest:
                r.pullRequestUrl && r.pullRequestNumber
                  ? { url: r.pullRequestUrl, number: r.pullRequestNumber }
                  : undefined,
            }));
      ctx.output('from', result.from);
      ctx.output('to', result.to);
      ctx.output('upToDate', result.upToDate);
      ctx.output('branch', result.branch);
      ctx.output('conflicts', result.conflicts);
      ctx.output('changedFiles', result.files);
      if (result.pullRequest) {
        ctx.output('pullRequestUrl', result.pullRequest.url);
        ctx.output('pullRequestNumber', result.pullRequest.number);
      }
      let outcome = '';
      if (ctx.isDryRun) outcome = ' (dry run: no pull request)';
      else if (result.pullRequest)
        outcome = `, pull request ${result.pullRequest.url}`;
      ctx.logger.info(
        result.upToDate
          ? `${repoUrl} ${answersFile} is at ${result.to}: nothing to update`
          : `${repoUrl} ${answersFile}: ${result.from} → ${result.to}, ${result.files.length} file(s), ${result.conflicts} conflict(s)${outcome}`,
      );
    },
  });
}
