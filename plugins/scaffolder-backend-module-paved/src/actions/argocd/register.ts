import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { isPickerForm, resolveRepoUrl } from '../shared/repoUrl';
import { assertCallerMayActFor } from '../shared/caller';
import { PAVED_ACTION_IDS } from '@paved/plugin-paved-common';
import {
  type ArgoCdRegistrar,
  toYamlDocuments,
  type OwnershipService,
} from '@paved/plugin-paved-node';
import { annotateCatalogInfo } from './catalogInfo';
import { argoCdInput, argoCdOutput, parseArgoCdInput } from './input';
import { examples } from './register.examples';

/**
 * `paved:argocd:register`: the Component's Argo CD Applications (one per cluster) and its team's AppProject on a named
 * instance, as one GitOps pull request or through the API. Idempotent: an identical app is success, one that is ours
 * and differs is updated, one owned by another entity is a ConflictError.
 * @public
 */
export function createArgoCdRegisterAction(options: {
  registrar: ArgoCdRegistrar;
  /** Resolves the RepoUrlPicker's `host?owner=&repo=` form; without it only URLs are accepted. */
  integrations?: ScmIntegrationRegistry;
  ownership: OwnershipService;
}) {
  const { registrar, integrations, ownership } = options;
  return createTemplateAction({
    id: PAVED_ACTION_IDS.argocdRegister,
    description:
      "Registers a Component's Argo CD Applications (one per cluster) and its team's AppProject on a named instance, through one GitOps pull request or the Argo CD API",
    examples,
    supportsDryRun: true,
    schema: { input: argoCdInput, output: argoCdOutput },
    async handler(ctx) {
      const {
        mode = 'gitops',
        catalogInfoPath,
        ...request
      } = parseArgoCdInput(ctx.input);
      // The form's repository as the RepoUrlPicker gives it works here too (and in dry runs, where publish's
      // remoteUrl is a placeholder).
      if (integrations && isPickerForm(request.repoUrl)) {
        request.repoUrl = resolveRepoUrl(request.repoUrl, integrations);
      }
      // Argo CD will clone what it is given: only repositories on hosts Backstage has an SCM integration for.
      const host = URL.canParse(request.repoUrl)
        ? new URL(request.repoUrl).host
        : undefined;
      if (integrations && host && !integrations.byHost(host)) {
        throw new InputError(
          `repoUrl ${request.repoUrl}: ${host} has no SCM integration (integrations in app-config), so Argo CD is not pointed at it`,
        );
      }
      const plan = registrar.plan(request);
      const names = plan.applications.map(a => a.appName);
      await assertCallerMayActFor(
        ctx,
        ownership,
        request.owner,
        `register ${names.join(', ')} in Argo CD for ${request.owner}`,
      );
      const manifests = toYamlDocuments([
        plan.appProject,
        ...plan.applications.map(a => a.application),
      ]);
      ctx.output('appName', names[0]);
      ctx.output('appNames', names);
      ctx.output('instance', plan.instance);
      ctx.output('project', plan.project);
      ctx.output('url', plan.applications[0].url);
      ctx.output(
        'urls',
        plan.applications.map(a => a.url),
      );
      ctx.output(
        'applications',
        plan.applications.map(({ cluster, appName, url }) => ({
          cluster,
          appName,
          url,
        })),
      );
      ctx.output('mode', mode);
      ctx.output('manifests', manifests);

      if (catalogInfoPath) {
        // Workspace only (the repository is not published yet), so dry runs do it too.
        await annotateCatalogInfo(ctx.workspacePath, catalogInfoPath, {
          appNames: names,
          instance: plan.instance,
        });
      }
      // The destination must be the owner's namespace. A dry run writes nothing, so the namespace a preceding
      // paved:namespace:provision step would provision is not there yet: only another owner's namespace stops it.
      try {
        await registrar.checkDestination(plan);
      } catch (error) {
        if (!(ctx.isDryRun && error instanceof InputError)) throw error;
        ctx.logger.info(`Dry run: ${error.message}`);
      }
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would register ${names.join(', ')} on Argo CD ${
            plan.instance
          } (${mode}):\n${manifests}`,
        );
        return;
      }

      if (mode === 'api') {
        const result = await ctx.checkpoint({
          key: `argocd.api.${plan.instance}.${names.join(',')}`,
          fn: () => registrar.registerApi(plan),
        });
        ctx.output('applicationChanges', result.applications);
        ctx.output('projectChange', result.project);
        ctx.logger.info(
          `Argo CD ${plan.instance}: ${Object.entries(result.applications)
            .map(([name, what]) => `application ${name} ${what}`)
            .join(', ')}, project ${plan.project} ${result.project}`,
        );
        return;
      }

      const gitops = await registrar.gitopsChange(plan);
      const change = await ctx.checkpoint({
        key: `argocd.gitops.${plan.instance}.${gitops.branch}.${names.join(
          ',',
        )}`,
        fn: async () => {
          const { result, rebuilt } = await registrar.writeGitOps(plan, gitops);
          return {
            changed: result.changed,
            pullRequestUrl: result.pullRequest?.url ?? null,
            branch: result.branch,
            rebuilt,
          };
        },
      });
      if (change.pullRequestUrl)
        ctx.output('pullRequestUrl', change.pullRequestUrl);
      ctx.output('rebuiltPullRequests', change.rebuilt);
      ctx.logger.info(
        change.pullRequestUrl
          ? `Argo CD ${names.join(', ')}: GitOps pull request ${
              change.pullRequestUrl
            }`
          : `Argo CD ${names.join(', ')}: ${
              change.changed ? 'committed to' : 'already in'
            } ${change.branch}`,
      );
      for (const url of change.rebuilt) {
        ctx.logger.info(
          `Rebuilt ${url} on the current base so that project ${plan.project} is the same in every open pull request`,
        );
      }
    },
  });
}
