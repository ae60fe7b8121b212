import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as policy from 'kubernetes-models/policy/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';

type Model = new (data: any) => { validate(): void };
const MODELS: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'policy/v1': policy,
  'networking.k8s.io/v1': networking,
  'rbac.authorization.k8s.io/v1': rbac,
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Kubernetes' rule for most object names: a lowercase RFC 1123 subdomain. */
export const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Problems with an object, checked with kubernetes-models' schemas and the API server's naming rules. */
export function validationProblems(
  obj: any,
  kind: string,
  apiVersion: string,
): string[] {
  const problems: string[] = [];
  const name: string = obj?.metadata?.name ?? '';
  const labelNamed = kind === 'Namespace' || kind === 'Service';
  if (
    labelNamed
      ? !(name.length <= 63 && DNS_LABEL.test(name))
      : !(name.length <= 253 && DNS_SUBDOMAIN.test(name))
  ) {
    problems.push(
      `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 ${
        labelNamed ? 'label' : 'subdomain'
      } must consist of lower case alphanumeric characters, '-'${
        labelNamed ? '' : " or '.'"
      }, and must start and end with an alphanumeric character`,
    );
  }
  const Model = MODELS[apiVersion]?.[kind] as Model | undefined;
  if (Model) {
    try {
      new Model(obj).validate();
    } catch (error) {
      problems.push(String((error as Error).message));
    }
  }
  return problems;
}
