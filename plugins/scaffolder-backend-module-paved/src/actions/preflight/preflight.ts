import type { AuthService } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  stringifyEntityRef,
  type CompoundEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PAVED_ACTION_IDS } from '@paved/plugin-paved-common';
import type {
  ArgoCdRegistrar,
  GitProvider,
  NamespaceProvisioner,
  OwnershipService,
} from '@paved/plugin-paved-node';
import { parseAllDocuments, parse } from 'yaml';
import { assertCallerMayActFor } from '../shared/caller';
import { isPickerForm, resolveRepoUrl } from '../shared/repoUrl';
import { examples } from './preflight.examples';
import { parsePreflightInput, preflightInput, preflightOutput } from './input';

type Problem = { conflict: boolean; message: string };

const lower = (ref: CompoundEntityRef) =>
  stringifyEntityRef(ref).toLocaleLowerCase('en-US');

/** A template answer as YAML and JSON both spell it, for comparing a recorded answer with a new one. */
const canonical = (value: unknown) => JSON.stringify(value ?? null);

/**
 * `paved:preflight`: everything a golden path could trip over later, checked before anything is created, with one
 * sentence and what to do per problem: the caller may act for the owner; the entity name is free in the catalog; the
 * repository does not exist (or is this very service, left by an earlier run that did not finish: then the run
 * resumes with it); the namespace is neither reserved nor another owner's on any target cluster; no Argo CD
 * application or project of that name belongs to another entity or team. Reads only, so dry runs do it too.
 * @public
 */
export function createPreflightAction(options: {
  catalog: CatalogService;
  auth: AuthService;
  git: GitProvider;
  namespaces: NamespaceProvisioner;
  registrar: ArgoCdRegistrar;
  ownership: OwnershipService;
  integrations: ScmIntegrationRegistry;
}) {
  const { catalog, auth, git, namespaces, registrar, ownership, integrations } =
    options;
  return createTemplateAction({
    id: PAVED_ACTION_IDS.preflight,
    description:
      'Checks, before anything is created, that the entity name, repository, namespace and Argo CD applications are free for this owner, with one message and what to do per problem',
    examples,
    supportsDryRun: true,
    schema: { input: preflightInput, output: preflightOutput },
    async handler(ctx) {
      const input = parsePreflightInput(ctx.input);
      const repoUrl = isPickerForm(input.repoUrl)
        ? resolveRepoUrl(input.repoUrl, integrations)
        : input.repoUrl;
      let entity: CompoundEntityRef;
      let owner: CompoundEntityRef;
      try {
        entity = parseEntityRef(input.entityRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        });
        owner = parseEntityRef(input.owner, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        });
      } catch (error) {
        throw new InputError(
          `Invalid input to paved:preflight: ${(error as Error).message}`,
        );
      }
      await assertCallerMayActFor(
        ctx,
        ownership,
        input.owner,
        `create ${stringifyEntityRef(entity)} for ${input.owner}`,
      );
      const checked: string[] = [];
      const problems: Problem[] = [];
      const credentials = await auth.getOwnServiceCredentials();
      const clusters = input.clusters ?? [];

      const [existing, repository] = await Promise.all([
        catalog.getEntityByRef(entity, { credentials }),
        git.repository(repoUrl),
      ]);
      checked.push(`the name ${lower(entity)} in the catalog`);
      if (existing) {
        // The owner only when the user may read the entity: the name being taken is all anyone else learns.
        const visible = await catalog
          .getEntityByRef(entity, {
            credentials: await ctx.getInitiatorCredentials(),
          })
          .catch(() => undefined);
        const theirs =
          typeof visible?.spec?.owner === 'string'
            ? ` (owned by ${visible.spec.owner})`
            : '';
        problems.push({
          conflict: true,
          message: `${lower(
            entity,
          )} is already in the catalog${theirs}: choose another name.`,
        });
      }

      checked.push(`the repository ${repoUrl}`);
      let resume = false;
      if (repository.exists) {
        const leftover = await leftoverOf(repository, {
          repoUrl,
          entity,
          owner,
          registered: Boolean(existing),
          answers: input.answers,
          answersFile: input.answersFile ?? '.copier-answers.yml',
        });
        if (leftover.problem) problems.push(leftover.problem);
        resume = leftover.resume;
      } else if (repository.ownerExists === false) {
        problems.push({
          conflict: false,
          message: `${repoUrl} cannot be created: ${
            new URL(repoUrl).host
          } has no organisation or user ${
            new URL(repoUrl).pathname.split('/')[1]
          }: check the owner on the Repository step.`,
        });
      }

      if (input.namespace) {
        checked.push(
          `the namespace ${input.namespace} on ${
            clusters.join(', ') || 'no cluster'
          }`,
        );
        const reserved = namespaces.reservedBy(input.namespace);
        if (reserved) {
          problems.push({
            conflict: false,
            message: `Namespace ${input.namespace} is reserved (${reserved}): pick an owner whose namespace is not a platform one.`,
          });
        } else {
          for (const cluster of clusters) {
            const records = await namespaces.namespaceRecords(
              cluster,
              input.namespace,
            );
            const foreign = records.find(
              r =>
                !r.owner ||
                lower(parseEntityRef(r.owner, { defaultKind: 'group' })) !==
                  lower(owner),
            );
            if (foreign)
              problems.push({
                conflict: true,
                message: `Namespace ${input.namespace} on ${
                  foreign.where
                } belongs to ${
                  foreign.owner ?? 'someone outside Paved'
                }, not ${lower(
                  owner,
                )}: ask the platform team, or scaffold for the team that owns it.`,
              });
          }
        }
      }

      if (input.appName && input.namespace && clusters.length) {
        checked.push('the Argo CD applications and project');
        try {
          const plan = registrar.plan({
            entityRef: stringifyEntityRef(entity),
            owner: stringifyEntityRef(owner),
            repoUrl,
            clusters,
            namespace: input.namespace,
            appName: input.appName,
            instance: input.instance,
          });
          for (const message of await registrar.conflicts(plan))
            problems.push({
              conflict: true,
              message: `${message}: choose another name, or ask its owner.`,
            });
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          problems.push({ conflict: false, message: error.message });
        }
      }

      ctx.output('resume', resume);
      ctx.output('checked', checked);
      if (resume) {
        ctx.output('remoteUrl', repository.cloneUrl);
        ctx.output(
          'repoContentsUrl',
          `${repository.htmlUrl}/blob/${repository.defaultBranch ?? 'main'}`,
        );
      }
      if (problems.length) {
        const text = `Cannot create ${lower(entity)}: ${
          problems.length === 1
            ? problems[0].message
            : problems.map((p, i) => `(${i + 1}) ${p.message}`).join(' ')
        } Nothing was created.`;
        throw problems.some(p => p.conflict)
          ? new ConflictError(text)
          : new InputError(text);
      }
      ctx.logger.info(
        resume
          ? `Pre-flight: ${repoUrl} is left from an earlier run of ${lower(
              entity,
            )} that did not finish; this run resumes with it. Checked ${checked.join(
              '; ',
            )}.`
          : `Pre-flight: all clear. Checked ${checked.join('; ')}.`,
      );
    },
  });

  /** Whether an existing repository is this very service, left by an earlier run that did not finish. */
  async function leftoverOf(
    repository: { defaultBranch?: string },
    what: {
      repoUrl: string;
      entity: CompoundEntityRef;
      owner: CompoundEntityRef;
      registered: boolean;
      answers?: Record<string, unknown>;
      answersFile: string;
    },
  ): Promise<{ resume: boolean; problem?: Problem }> {
    const taken = (why: string): { resume: false; problem: Problem } => ({
      resume: false,
      problem: {
        conflict: true,
        message: `Repository ${what.repoUrl} already exists${why}: choose another repository name.`,
      },
    });
    if (what.registered) return taken('');
    const text = await git.readFile(
      what.repoUrl,
      'catalog-info.yaml',
      repository.defaultBranch,
    );
    const component = text
      ? parseAllDocuments(text)
          .map(d => d.toJS() as any)
          .find(
            d =>
              d?.kind === 'Component' &&
              typeof d?.metadata?.name === 'string' &&
              d.metadata.name.toLocaleLowerCase('en-US') ===
                what.entity.name.toLocaleLowerCase('en-US') &&
              (d.metadata.namespace ?? 'default') === what.entity.namespace,
          )
      : undefined;
    let recordedOwner: string | undefined;
    try {
      recordedOwner =
        typeof component?.spec?.owner === 'string'
          ? lower(
              parseEntityRef(component.spec.owner, { defaultKind: 'group' }),
            )
          : undefined;
    } catch {
      recordedOwner = undefined;
    }
    if (!component || recordedOwner !== lower(what.owner))
      return taken(
        ` and is not an earlier run of ${lower(what.entity)} for ${lower(
          what.owner,
        )}`,
      );
    if (what.answers) {
      const recordedText = await git.readFile(
        what.repoUrl,
        what.answersFile,
        repository.defaultBranch,
      );
      let recorded: Record<string, unknown> = {};
      try {
        recorded = (recordedText && parse(recordedText)) || {};
      } catch {
        recorded = {};
      }
      const differ = Object.entries(what.answers)
        .filter(([key, value]) => canonical(recorded[key]) !== canonical(value))
        .map(
          ([key, value]) =>
            `${key}: ${canonical(recorded[key])} there, ${canonical(
              value,
            )} now`,
        );
      if (differ.length)
        return {
          resume: false,
          problem: {
            conflict: true,
            message: `Repository ${
              what.repoUrl
            } is left from an earlier run of ${lower(
              what.entity,
            )} with other answers (${differ.join(
              '; ',
            )}): run again with the earlier answers to finish it, or delete the repository to start afresh.`,
          },
        };
    }
    return { resume: true };
  }
}
