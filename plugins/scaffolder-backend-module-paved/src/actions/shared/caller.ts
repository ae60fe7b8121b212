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

/** The owner a template's answers name (`values.owner`), when they name one. */
export function ownerAnswer(values: Record<string, unknown> | undefined) {
  const owner = values?.owner;
  return typeof owner === 'string' && owner.trim() ? owner.trim() : undefined;
}
