import { stringify } from 'yaml';

/** Objects as one multi-document YAML text, as kubectl and Argo CD read GitOps files. @public */
export function toYamlDocuments(objects: unknown[]): string {
  return objects.map(o => stringify(o)).join('---\n');
}
