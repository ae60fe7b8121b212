import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

/**
 * The Paved portal. Plugins listed in package.json are discovered through `app.packages: all`; this list holds
 * the features that need to be installed explicitly.
 */
export default createApp({
  features: [catalogPlugin, navModule, signInModule],
});
