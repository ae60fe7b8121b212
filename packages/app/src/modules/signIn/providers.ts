import { githubAuthApiRef } from '@backstage/frontend-plugin-api';
import type { IdentityProviders } from '@backstage/core-components';

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
};

/**
 * Turns `paved.signIn.providers` into what Backstage's SignInPage takes. Without configuration the portal offers
 * guest sign-in, as a fresh development setup expects.
 */
export function signInProviders(names: string[] | undefined): SignInProvider[] {
  const wanted = names?.length ? names : ['guest'];
  return wanted.map(name => {
    const provider = knownProviders[name];
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
