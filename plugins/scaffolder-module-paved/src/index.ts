/**
 * Paved's scaffolder form fields for Backstage's new frontend system, as a module of the scaffolder plugin:
 * `PavedRepoUrlPicker` (the Repository step with the platform's host and organisation as defaults, from
 * `paved.scaffolder.repository`). Discovered by `app.packages`.
 *
 * @packageDocumentation
 */
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { repoPickerValidation } from '@backstage/plugin-scaffolder';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';

/** @public */
export const pavedRepoUrlPickerField = FormFieldBlueprint.make({
  name: 'paved-repo-url-picker',
  params: {
    field: () =>
      import('./PavedRepoUrlPicker').then(m =>
        createFormField({
          name: 'PavedRepoUrlPicker',
          component: m.PavedRepoUrlPicker as any,
          validation: repoPickerValidation as any,
        }),
      ),
  },
});

/** @public */
export default createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [pavedRepoUrlPickerField],
});

export { repositoryDefaults } from './PavedRepoUrlPicker';
