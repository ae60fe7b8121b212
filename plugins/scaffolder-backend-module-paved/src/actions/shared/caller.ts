import { type OwnershipService, taskCaller } from '@paved/plugin-paved-node';

type StepContext = Parameters<typeof taskCaller>[0];

/**
 * Refuses (NotAllowedError), before any side effect, a step whose user may not act for `owner`: members of that
 * owner (directly or through child groups) and platform admins may.
 */
export async function assertCallerMayActFor(
  ctx: StepContext,
  ownership: OwnershipService,
  owner: string,
  what: string,
): Promise<void> {
  await ownership.assertMayActFor(await taskCaller(ctx), owner, what);
}

/** Refuses a step whose user does not own (through the catalog) the repository it would change. */
export async function assertCallerOwnsRepository(
  ctx: StepContext,
  ownership: OwnershipService,
  repoUrl: string,
  what: string,
): Promise<void> {
  await ownership.assertMayActForRepository(
    await taskCaller(ctx),
    repoUrl,
    what,
  );
}

/**
 * Refuses a step whose template answers name an owner (`values.owner`, which becomes the entity's spec.owner) the
 * user may not act for; answers that name no owner pass.
 */
export async function assertCallerMayActForAnswers(
  ctx: StepContext,
  ownership: OwnershipService,
  values: Record<string, unknown> | undefined,
  what: (owner: string) => string,
): Promise<void> {
  const raw = values?.owner;
  const owner = typeof raw === 'string' ? raw.trim() : '';
  if (owner) await assertCallerMayActFor(ctx, ownership, owner, what(owner));
}
