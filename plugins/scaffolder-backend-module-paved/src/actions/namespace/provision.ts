import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  type NamespaceProvisioner,
  type OwnershipService,
  toYamlDocuments,
} from '@paved/plugin-paved-node';
import { assertCallerMayActFor } from '../shared/caller';
import { PAVED_ACTION_IDS } from '@paved/plugin-paved-common';
import { examples } from './provision.examples';
import { namespaceInput, namespaceOutput, parseNamespaceInput } from './input';

/**
 * `paved:namespace:provision`: a guarded team namespace (quota, limits, default-deny network policies, RBAC for the
 * owning group, workload-identity service account) on each target cluster, as one GitOps pull request or by
 * server-side apply. Re-running converges; a namespace another team owns is a ConflictError.
 * @public
 */
export function createNamespaceProvisionAction(options: {
  provisioner: NamespaceProvisioner;
  ownership: OwnershipService;
}) {
  const { provisioner, ownership } = options;
  return createTemplateAction({
    id: PAVED_ACTION_IDS.namespaceProvision,
    description:
      'Provisions a team namespace on EKS (quota, limits, network policies, RBAC, workload identity) through a GitOps pull request or server-side apply',
    examples,
    supportsDryRun: true,
    schema: { input: namespaceInput, output: namespaceOutput },
    async handler(ctx) {
      const input = parseNamespaceInput(ctx.input);
      const mode = input.mode ?? provisioner.defaultMode;
      const plan = provisioner.plan(input);
      await assertCallerMayActFor(
        ctx,
        ownership,
        plan.ownerRef,
        `provision namespace ${plan.name} for ${plan.ownerRef}`,
      );
      const manifests = toYamlDocuments(plan.manifests);
      ctx.output('namespace', plan.name);
      ctx.output('ownerRef', plan.ownerRef);
      ctx.output('clusters', plan.clusters);
      ctx.output('mode', mode);
      ctx.output('manifests', manifests);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would provision namespace ${plan.name} for ${
            plan.ownerRef
          } on ${plan.clusters.join(', ')} (${mode}):\n${manifests}`,
        );
        return;
      }

      if (mode === 'apply') {
        // Every cluster is checked before any is written: a conflict on the last one leaves the first untouched.
        await provisioner.checkOwnership(plan);
        const objects = [];
        for (const cluster of plan.clusters) {
          const applied = await ctx.checkpoint({
            key: `namespace.apply.${cluster}.${plan.name}`,
            fn: async () =>
              (
                await provisioner.apply(plan, cluster)
              ).map(o => ({
                cluster,
                kind: o.kind,
                name: o.name,
                changed: o.changed,
              })),
          });
          ctx.logger.info(
            `Namespace ${plan.name} on ${cluster}: ${
              applied.filter(o => o.changed).length
            } of ${applied.length} objects changed`,
          );
          objects.push(...applied);
        }
        ctx.output('objects', objects);
        return;
      }

      await provisioner.checkOwnership(plan);
      const result = await ctx.checkpoint({
        key: `namespace.gitops.${plan.name}`,
        fn: async () => {
          const change = await provisioner.write(plan);
          return {
            changed: change.changed,
            branch: change.branch,
            commitSha: change.commitSha ?? null,
            pullRequestUrl: change.pullRequest?.url ?? null,
            created: change.pullRequest?.created ?? false,
          };
        },
      });
      ctx.output('branch', result.branch);
      if (result.commitSha) ctx.output('commitSha', result.commitSha);
      if (result.pullRequestUrl) {
        ctx.output('pullRequestUrl', result.pullRequestUrl);
        ctx.logger.info(
          `${result.created ? 'Opened' : 'Refreshed'} GitOps pull request ${
            result.pullRequestUrl
          } for namespace ${plan.name}`,
        );
      } else {
        ctx.logger.info(
          `Namespace ${plan.name} ${
            result.changed ? 'committed to' : 'already in'
          } ${result.branch} of the GitOps repository`,
        );
      }
    },
  });
}
