import { githubAuthApiRef } from '@backstage/frontend-plugin-api';
import type { IdentityProviders } from '@backstage/core-components';
import { pavedDevAuthApiRef } from './devAuth';
import { oidcAuthApiRef } from './oidcAuth';

type SignInProvider = IdentityProviders[number];

/** The sign-in methods the portal knows, by the name used in `paved.signIn.providers`. */
const knownProviders: Record<string, SignInProvider> = {
  guest: 'guest',
  github: {
    id: 'github-auth-provider',
    title: 'GitHub',
    message: 'Sign in with your GitHub account',
    apiRef: githubAuthApiRef,
  },
  // Keycloak or any OpenID Provider (auth.providers.oidc).
  oidc: {
    id: 'oidc-auth-provider',
    title: 'Single sign-on',
    message: 'Sign in with your organisation’s identity provider (OIDC)',
    apiRef: oidcAuthApiRef,
  },
  // Development only: the backend's paved-dev provider refuses outside NODE_ENV=development.
  'platform-admin': {
    id: 'platform-admin-auth-provider',
    title: 'Platform admin (development)',
    message:
      'Sign in as the platform admin of the example catalog: everything the permission policy allows admins',
    apiRef: pavedDevAuthApiRef,
  },
};

/**
 * Turns `paved.signIn.providers` (and `paved.signIn.oidcTitle`) into what Backstage's SignInPage takes. Without configuration the portal offers
 * guest sign-in, as a fresh development setup expects.
 */
export function signInProviders(
  names: string[] | undefined,
  oidcTitle?: string,
): SignInProvider[] {
  const wanted = names?.length ? names : ['guest'];
  return wanted.map(name => {
    const provider = knownProviders[name];
    if (name === 'oidc' && oidcTitle && typeof provider === 'object')
      return { ...provider, title: oidcTitle };
    if (!provider) {
      throw new Error(
        `paved.signIn.providers: unknown sign-in provider "${name}"; use one of ${Object.keys(
          knownProviders,
        ).join(', ')}`,
      );
    }
    return provider;
  });
}
