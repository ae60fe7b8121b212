export interface Config {
  paved?: {
    signIn?: {
      /**
       * Sign-in methods the portal offers, in order. `guest` is for local development only (the backend refuses guest
       * sign-in outside NODE_ENV=development), as is `platform-admin` (the example catalog's platform admin, through
       * `auth.providers.paved-dev`); production uses `oidc` (Keycloak or any OpenID Provider, backed by
       * `auth.providers.oidc`) and/or `github` (backed by `auth.providers.github`).
       * @visibility frontend
       */
      providers?: Array<'guest' | 'github' | 'oidc' | 'platform-admin'>;
      /**
       * What the OIDC sign-in button and popup call the identity provider (e.g. "Acme SSO"). Default "Single sign-on".
       * @visibility frontend
       */
      oidcTitle?: string;
    };
  };
}
