import { githubAuthApiRef } from '@backstage/frontend-plugin-api';
import { signInProviders } from './providers';
import { oidcAuthApiRef } from './oidcAuth';

describe('signInProviders', () => {
  it('offers guest sign-in when nothing is configured', () => {
    expect(signInProviders(undefined)).toEqual(['guest']);
    expect(signInProviders([])).toEqual(['guest']);
  });

  it('maps github to the GitHub auth API, in the configured order', () => {
    expect(signInProviders(['github', 'guest'])).toEqual([
      expect.objectContaining({
        id: 'github-auth-provider',
        title: 'GitHub',
        apiRef: githubAuthApiRef,
      }),
      'guest',
    ]);
  });

  it('maps oidc to the OIDC auth API (the backend’s auth.providers.oidc)', () => {
    expect(signInProviders(['oidc', 'github'])).toEqual([
      expect.objectContaining({
        id: 'oidc-auth-provider',
        apiRef: oidcAuthApiRef,
      }),
      expect.objectContaining({ id: 'github-auth-provider' }),
    ]);
  });

  it('names the valid choices when a provider is unknown', () => {
    expect(() => signInProviders(['okta'])).toThrow(
      'paved.signIn.providers: unknown sign-in provider "okta"; use one of guest, github, oidc, platform-admin',
    );
  });
});
