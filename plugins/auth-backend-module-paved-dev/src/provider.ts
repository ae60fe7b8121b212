import { InputError, NotAllowedError } from '@backstage/errors';
import {
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

interface DevUsers {
  users: string[];
  disabled: boolean;
}

const authenticator = createProxyAuthenticator<
  DevUsers,
  { name: string },
  undefined
>({
  defaultProfileTransform: async result => ({
    profile: { displayName: result.name },
  }),
  initialize({ config }) {
    return {
      users: config.getStringArray('users'),
      disabled:
        process.env.NODE_ENV !== 'development' &&
        config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') !==
          true,
    };
  },
  async authenticate({ req }, { users, disabled }) {
    if (disabled) {
      throw new NotAllowedError(
        'The paved-dev sign-in provider is for development only (NODE_ENV=development)',
      );
    }
    const name = String(req.query.user ?? '');
    if (!users.includes(name)) {
      throw new InputError(
        `Development sign-in offers ${users.join(', ')}; "${name.slice(
          0,
          40,
        )}" is not one of them`,
      );
    }
    return { result: { name } };
  },
});

/** Signs in as the catalog User `user:default/<name>`, with the group memberships the catalog records. @public */
export const devUsersProviderFactory = createProxyAuthProviderFactory({
  authenticator,
  signInResolver: async ({ result }, ctx) =>
    ctx.signInWithCatalogUser({
      entityRef: { kind: 'User', namespace: 'default', name: result.name },
    }),
});
