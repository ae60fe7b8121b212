import { PAVED_ACTION_IDS } from '@paved/plugin-paved-common';

/** The input that names the owner a Paved action acts for, per action (`values.owner`: the template's answer). */
export const ownerInputOf: Array<{ actionId: string; key: string }> = [
  { actionId: PAVED_ACTION_IDS.namespaceProvision, key: 'owner' },
  { actionId: PAVED_ACTION_IDS.argocdRegister, key: 'owner' },
  { actionId: PAVED_ACTION_IDS.preflight, key: 'owner' },
  { actionId: PAVED_ACTION_IDS.templateFetch, key: 'values.owner' },
  { actionId: PAVED_ACTION_IDS.templateAdopt, key: 'values.owner' },
];

/** The ways a template may spell a ref: `group:default/payments`, `group:payments`, `payments`. */
export function spellings(ref: string): string[] {
  const m = /^([^:]+):([^/]+)\/(.+)$/.exec(ref);
  if (!m) return [ref];
  const [, kind, namespace, name] = m;
  const out = [ref];
  if (namespace === 'default') {
    out.push(`${kind}:${name}`);
    if (kind === 'group') out.push(name);
  }
  return out;
}
