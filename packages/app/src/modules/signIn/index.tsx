import { SignInPage } from '@backstage/core-components';
import {
  configApiRef,
  createFrontendModule,
  useApi,
} from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import type { ComponentProps } from 'react';
import { signInProviders } from './providers';
import { pavedDevAuthApi } from './devAuth';
import { oidcAuthApi } from './oidcAuth';

type SignInPageProps = Pick<
  ComponentProps<typeof SignInPage>,
  'onSignInSuccess'
>;

const PavedSignInPage = (props: SignInPageProps) => {
  const config = useApi(configApiRef);
  const providers = signInProviders(
    config.getOptionalStringArray('paved.signIn.providers'),
    config.getOptionalString('paved.signIn.oidcTitle'),
  );
  return <SignInPage {...props} providers={providers} />;
};

/** Replaces the default guest-only sign-in page with the methods `paved.signIn.providers` lists. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    pavedDevAuthApi,
    oidcAuthApi,
    SignInPageBlueprint.make({
      params: {
        loader: async () => props => <PavedSignInPage {...props} />,
      },
    }),
  ],
});
