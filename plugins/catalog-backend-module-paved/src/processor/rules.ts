import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_ARGOCD_INSTANCE_NAME,
  ANNOTATION_ARGOCD_PROJECT_NAME,
  ANNOTATION_CLUSTERS,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ANNOTATION_NEWRELIC_ENTITY_GUID,
  isDnsLabel,
  isDnsSubdomain,
  isLabelValue,
  labelSelectorProblem,
  readTemplateProvenance,
} from '@paved/plugin-paved-common';

/**
 * What the processor checks against, from configuration.
 *
 * @public
 */
export interface RuleOptions {
  /** Argo CD instance names (`paved.argocd.instances[].name`); when empty, any instance name is accepted. */
  argocdInstances: string[];
  /** Component lifecycles whose owner must be a Group. */
  groupOwnedLifecycles: string[];
}

const NEW_RELIC_GUID = /^\d+\|[A-Z]+\|[A-Z_]+\|.+$/;

/**
 * Every problem with an entity's Paved and reused annotations, each a sentence that says how to fix it.
 * Pure and allocation-light: it runs for every entity on every processing pass.
 */
export function entityProblems(entity: Entity, options: RuleOptions): string[] {
  const problems: string[] = [];
  const annotations = entity.metadata.annotations ?? {};

  const provenance = readTemplateProvenance(annotations);
  if (provenance.kind === 'invalid') problems.push(...provenance.problems);

  const appName = annotations[ANNOTATION_ARGOCD_APP_NAME];
  const appSelector = annotations[ANNOTATION_ARGOCD_APP_SELECTOR];
  if (appName !== undefined) {
    const bad = appName
      .split(',')
      .map(n => n.trim())
      .filter(n => !isDnsSubdomain(n));
    if (bad.length) {
      problems.push(
        `${ANNOTATION_ARGOCD_APP_NAME} "${bad.join(
          ', ',
        )}" is not a valid Argo CD application name: use lower-case letters, digits, "-" and ".", at most 253 characters`,
      );
    }
    if (appSelector !== undefined) {
      problems.push(
        `Set either ${ANNOTATION_ARGOCD_APP_NAME} or ${ANNOTATION_ARGOCD_APP_SELECTOR}, not both`,
      );
    }
  }
  if (appSelector !== undefined) {
    const problem = labelSelectorProblem(appSelector);
    if (problem)
      problems.push(
        `${ANNOTATION_ARGOCD_APP_SELECTOR} "${appSelector}" is not a label selector: ${problem}`,
      );
  }
  const instance = annotations[ANNOTATION_ARGOCD_INSTANCE_NAME];
  if (
    instance !== undefined &&
    options.argocdInstances.length &&
    !options.argocdInstances.includes(instance)
  ) {
    problems.push(
      `${ANNOTATION_ARGOCD_INSTANCE_NAME} "${instance}" is not a configured Argo CD instance: use one of ${options.argocdInstances.join(
        ', ',
      )}`,
    );
  }
  const project = annotations[ANNOTATION_ARGOCD_PROJECT_NAME];
  if (project !== undefined && !isDnsSubdomain(project)) {
    problems.push(
      `${ANNOTATION_ARGOCD_PROJECT_NAME} "${project}" is not a valid AppProject name: use lower-case letters, digits, "-" and "."`,
    );
  }

  const k8sId = annotations[ANNOTATION_KUBERNETES_ID];
  if (k8sId !== undefined && (!k8sId || !isLabelValue(k8sId))) {
    problems.push(
      `${ANNOTATION_KUBERNETES_ID} "${k8sId}" is not a valid label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
    );
  }
  const namespace = annotations[ANNOTATION_KUBERNETES_NAMESPACE];
  if (namespace !== undefined && !isDnsLabel(namespace)) {
    problems.push(
      `${ANNOTATION_KUBERNETES_NAMESPACE} "${namespace}" is not a valid namespace: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit`,
    );
  }
  const selector = annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR];
  if (selector !== undefined) {
    const problem = labelSelectorProblem(selector);
    if (problem)
      problems.push(
        `${ANNOTATION_KUBERNETES_LABEL_SELECTOR} "${selector}" is not a label selector: ${problem}`,
      );
  }

  const guid = annotations[ANNOTATION_NEWRELIC_ENTITY_GUID];
  if (
    guid !== undefined &&
    !NEW_RELIC_GUID.test(Buffer.from(guid, 'base64').toString('utf8'))
  ) {
    problems.push(
      `${ANNOTATION_NEWRELIC_ENTITY_GUID} "${guid}" is not a New Relic entity GUID: copy it from the entity's metadata in New Relic (base64 of accountId|DOMAIN|TYPE|id)`,
    );
  }

  const clusters = annotations[ANNOTATION_CLUSTERS];
  if (clusters !== undefined) {
    for (const ref of clusters.split(',').map(c => c.trim())) {
      try {
        const parsed = parseEntityRef(ref, {
          defaultKind: 'resource',
          defaultNamespace: 'default',
        });
        if (parsed.kind.toLocaleLowerCase('en-US') !== 'resource')
          throw new Error('not a Resource');
      } catch {
        problems.push(
          `${ANNOTATION_CLUSTERS} entry "${ref}" must name a cluster Resource, e.g. "prod-eu" or "resource:default/prod-eu"`,
        );
      }
    }
  }

  if (entity.kind === 'Component' && options.groupOwnedLifecycles.length) {
    const lifecycle = (entity.spec as { lifecycle?: string } | undefined)
      ?.lifecycle;
    const owner = (entity.spec as { owner?: string } | undefined)?.owner;
    if (
      lifecycle &&
      options.groupOwnedLifecycles.includes(lifecycle) &&
      typeof owner === 'string'
    ) {
      let kind = 'group';
      try {
        kind = parseEntityRef(owner, {
          defaultKind: 'group',
        }).kind.toLocaleLowerCase('en-US');
      } catch {
        kind = 'invalid';
      }
      if (kind !== 'group') {
        problems.push(
          `spec.owner "${owner}" is not a Group: Components in lifecycle "${lifecycle}" must be owned by a team (spec.owner: group:<team>), so ownership survives people moving on`,
        );
      }
    }
  }
  return problems;
}

/** The Kubernetes id Paved derives from an entity's name (a label value), when the name allows it. */
export function derivedKubernetesId(entity: Entity): string | undefined {
  const name = entity.metadata.name
    .toLocaleLowerCase('en-US')
    .replace(/_/g, '-');
  return isLabelValue(name) ? name : undefined;
}
