import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  type Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';
import { read } from './files';
import type { CheckResult, Problem } from './types';

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

const KIND_VALIDATORS = {
  Component: componentEntityV1alpha1Validator,
  API: apiEntityV1alpha1Validator,
  Resource: resourceEntityV1alpha1Validator,
  System: systemEntityV1alpha1Validator,
} as const;

/** catalog-info.yaml: every document an entity the catalog accepts, with the kind's own schema. */
export async function checkCatalogInfo(
  dir: string,
  files: string[],
): Promise<CheckResult> {
  const targets = files.filter(f => /(^|\/)catalog-info\.ya?ml$/.test(f));
  const problems: Problem[] = [];
  const problem = (file: string, message: string) =>
    problems.push({ check: 'catalog-info', file, message });
  if (targets.length === 0) problem('catalog-info.yaml', 'missing');
  for (const file of targets) {
    const docs = parseAllDocuments(await read(dir, file));
    for (const doc of docs) {
      if (doc.errors.length) {
        problem(file, doc.errors.map(e => e.message).join('; '));
        continue;
      }
      const entity = doc.toJS() as Entity;
      try {
        await policy.enforce(entity);
        const validator =
          KIND_VALIDATORS[entity.kind as keyof typeof KIND_VALIDATORS];
        if (validator) await validator.check(entity);
      } catch (error) {
        problem(
          file,
          `${entity?.kind ?? '?'} ${entity?.metadata?.name ?? '?'}: ${
            (error as Error).message
          }`,
        );
      }
    }
  }
  return { check: 'catalog-info', files: targets, problems };
}
