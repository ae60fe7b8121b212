/**
 * Ids of Paved's scaffolder actions, for templates, tests and documentation that name them.
 * @public
 */
export const PAVED_ACTION_IDS = {
  templateFetch: 'paved:template:fetch',
  templateUpdate: 'paved:template:update',
  templateAdopt: 'paved:template:adopt',
  namespaceProvision: 'paved:namespace:provision',
  argocdRegister: 'paved:argocd:register',
  preflight: 'paved:preflight',
  catalogRegister: 'paved:catalog:register',
} as const;

/** @public */
export type PavedActionId =
  (typeof PAVED_ACTION_IDS)[keyof typeof PAVED_ACTION_IDS];
