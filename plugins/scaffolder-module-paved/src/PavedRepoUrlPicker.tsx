import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  RepoUrlPickerFieldExtension,
  type RepoUrlPickerUiOptions,
} from '@backstage/plugin-scaffolder';
import {
  type FieldExtensionComponentProps,
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { type ComponentType, useMemo } from 'react';

/** Backstage's own RepoUrlPicker, read through the public field-extension registry. */
const backstageFields = (
  <ScaffolderFieldExtensions>
    <RepoUrlPickerFieldExtension />
  </ScaffolderFieldExtensions>
);

/**
 * The defaults `paved.scaffolder.repository` sets, applied to a RepoUrlPicker's options and empty value.
 *
 * @public
 */
export function repositoryDefaults(
  options: RepoUrlPickerUiOptions,
  defaults: { host?: string; owner?: string },
  formData: string | undefined,
): { options: RepoUrlPickerUiOptions; formData: string | undefined } {
  const hosts = options.allowedHosts ?? [];
  // Only a host the template allows: the configured one never widens the template's list.
  const preferred =
    defaults.host && hosts.includes(defaults.host) ? defaults.host : undefined;
  const ordered = preferred
    ? [preferred, ...hosts.filter(h => h !== preferred)]
    : hosts;
  const host = ordered[0];
  const owner =
    defaults.owner &&
    (!options.allowedOwners?.length ||
      options.allowedOwners.includes(defaults.owner))
      ? defaults.owner
      : undefined;
  let initial = formData;
  if (!formData && host)
    initial = owner
      ? `${host}?${new URLSearchParams({ owner }).toString()}`
      : host;
  return {
    options: options.allowedHosts
      ? { ...options, allowedHosts: ordered }
      : options,
    formData: initial,
  };
}

/**
 * `ui:field: PavedRepoUrlPicker`: Backstage's RepoUrlPicker, unchanged in what it asks and returns, with the host
 * and organisation of `paved.scaffolder.repository` chosen when the form opens (the host only when the field's
 * `allowedHosts` lists it). In development that is the sandbox's GitHub and its organisation; in production, the
 * company's GitHub and organisation.
 */
export function PavedRepoUrlPicker(
  props: FieldExtensionComponentProps<string, RepoUrlPickerUiOptions>,
) {
  const [backstagePicker] = useCustomFieldExtensions(backstageFields);
  const config = useApi(configApiRef);
  const host = config.getOptionalString('paved.scaffolder.repository.host');
  const owner = config.getOptionalString('paved.scaffolder.repository.owner');
  const { uiSchema, formData } = props;
  const applied = useMemo(
    () =>
      repositoryDefaults(
        uiSchema?.['ui:options'] ?? {},
        { host, owner },
        formData,
      ),
    [uiSchema, host, owner, formData],
  );
  // The registry types its components loosely (unknown value and options); this one is RepoUrlPicker.
  const Picker = backstagePicker.component as ComponentType<
    FieldExtensionComponentProps<string, RepoUrlPickerUiOptions>
  >;
  return (
    <Picker
      {...props}
      uiSchema={
        { ...uiSchema, 'ui:options': applied.options } as typeof uiSchema
      }
      formData={applied.formData}
    />
  );
}
