export interface Config {
  auth?: {
    providers?: {
      /** Development sign-in as one of `users` (`/api/auth/paved-dev/refresh?user=<name>`); refused outside development. */
      'paved-dev'?: {
        /** Names of catalog Users (namespace default) one may sign in as, e.g. `platform-admin`. */
        users: string[];
        /** Allow it outside NODE_ENV=development. Never set this in production. */
        dangerouslyAllowOutsideDevelopment?: boolean;
      };
    };
  };
}
