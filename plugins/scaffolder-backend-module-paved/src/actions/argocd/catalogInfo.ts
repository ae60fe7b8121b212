import fs from 'node:fs/promises';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_ARGOCD_INSTANCE_NAME,
} from '@paved/plugin-paved-common';
import { parseAllDocuments } from 'yaml';

/**
 * Adds `argocd/app-name` (the applications, comma-separated) and `argocd/instance-name` to the Component of a
 * catalog-info.yaml in the workspace (before publish), keeping the file's comments and layout. A Component that
 * finds its applications by `argocd/app-selector` keeps it and gets the instance only. Returns false when the
 * annotations were already there.
 */
export async function annotateCatalogInfo(
  workspacePath: string,
  file: string,
  values: { appNames: string[]; instance: string },
): Promise<boolean> {
  let target: string;
  try {
    target = resolveSafeChildPath(workspacePath, file);
  } catch {
    throw new InputError(`catalogInfoPath ${file} is outside the workspace`);
  }
  let text: string;
  try {
    text = await fs.readFile(target, 'utf8');
  } catch {
    throw new InputError(
      `catalogInfoPath ${file} does not exist in the workspace; run this step after fetching the template`,
    );
  }
  const docs = parseAllDocuments(text);
  const component = docs.find(d => d.get('kind') === 'Component');
  if (!component || docs.some(d => d.errors.length)) {
    throw new InputError(`${file} holds no valid Component entity`);
  }
  const path = (key: string) => ['metadata', 'annotations', key];
  const bySelector = component.hasIn(path(ANNOTATION_ARGOCD_APP_SELECTOR));
  const appName = values.appNames.join(',');
  if (
    (bySelector ||
      component.getIn(path(ANNOTATION_ARGOCD_APP_NAME)) === appName) &&
    component.getIn(path(ANNOTATION_ARGOCD_INSTANCE_NAME)) === values.instance
  ) {
    return false;
  }
  if (!bySelector) component.setIn(path(ANNOTATION_ARGOCD_APP_NAME), appName);
  component.setIn(path(ANNOTATION_ARGOCD_INSTANCE_NAME), values.instance);
  await fs.writeFile(target, docs.map(d => d.toString()).join(''));
  return true;
}
