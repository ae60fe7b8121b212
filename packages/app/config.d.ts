export interface Config {
  paved?: {
    signIn?: {
      /**
       * Sign-in methods the portal offers, in order. `guest` is for local development only (the backend refuses guest
       * sign-in outside NODE_ENV=development); production uses `github`, backed by `auth.providers.github`.
       * @visibility frontend
       */
      providers?: Array<'guest' | 'github'>;
    };
  };
}
