import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
} from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_CLUSTERS,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_SOURCE_TEMPLATE,
} from '@paved/plugin-paved-common';
import { derivedKubernetesId, entityProblems, RuleOptions } from './rules';

/** @public */
export interface PavedEntityProcessorOptions extends RuleOptions {
  /** Give Components without `backstage.io/kubernetes-id` (or a label selector) one derived from their name. */
  deriveKubernetesId: boolean;
}

/**
 * Validates Paved's and the reused annotations (reporting each problem as a processing error that says how to fix
 * it), derives `backstage.io/kubernetes-id` where configured, and relates Components to the cluster Resources they
 * deploy to and to the Template they came from. Makes no network calls.
 * @public
 */
export class PavedEntityProcessor implements CatalogProcessor {
  static fromConfig(config: Config): PavedEntityProcessor {
    return new PavedEntityProcessor({
      deriveKubernetesId:
        config.getOptionalBoolean('paved.catalog.deriveKubernetesId') ?? false,
      groupOwnedLifecycles: config.getOptionalStringArray(
        'paved.catalog.groupOwnedLifecycles',
      ) ?? ['production'],
      argocdInstances: (
        config.getOptionalConfigArray('paved.argocd.instances') ?? []
      ).map(c => c.getString('name')),
    });
  }

  constructor(private readonly options: PavedEntityProcessorOptions) {}

  getProcessorName(): string {
    return 'PavedEntityProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    const annotations = entity.metadata.annotations ?? {};
    if (
      !this.options.deriveKubernetesId ||
      entity.kind !== 'Component' ||
      annotations[ANNOTATION_KUBERNETES_ID] !== undefined ||
      annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR] !== undefined
    ) {
      return entity;
    }
    const id = derivedKubernetesId(entity);
    if (!id) return entity;
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: { ...annotations, [ANNOTATION_KUBERNETES_ID]: id },
      },
    };
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    for (const problem of entityProblems(entity, this.options)) {
      emit(
        processingResult.inputError(
          location,
          `${entity.kind} ${entity.metadata.name}: ${problem}`,
        ),
      );
    }
    if (entity.kind !== 'Component') return entity;

    const self = getCompoundEntityRef(entity);
    const dependOn = (target: {
      kind: string;
      namespace: string;
      name: string;
    }) => {
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_DEPENDS_ON,
          target,
        }),
      );
      emit(
        processingResult.relation({
          source: target,
          type: RELATION_DEPENDENCY_OF,
          target: self,
        }),
      );
    };
    const annotations = entity.metadata.annotations ?? {};
    for (const ref of (annotations[ANNOTATION_CLUSTERS] ?? '').split(',')) {
      if (!ref.trim()) continue;
      try {
        const target = parseEntityRef(ref.trim(), {
          defaultKind: 'resource',
          defaultNamespace: self.namespace,
        });
        if (target.kind.toLocaleLowerCase('en-US') === 'resource')
          dependOn({ ...target, kind: 'resource' });
      } catch {
        // reported by entityProblems
      }
    }
    const template = annotations[ANNOTATION_SOURCE_TEMPLATE];
    if (template) {
      try {
        dependOn(
          parseEntityRef(template, {
            defaultKind: 'template',
            defaultNamespace: 'default',
          }),
        );
      } catch {
        emit(
          processingResult.inputError(
            location,
            `${entity.kind} ${entity.metadata.name}: ${ANNOTATION_SOURCE_TEMPLATE} "${template}" is not an entity ref; use template:<namespace>/<name>`,
          ),
        );
      }
    }
    return entity;
  }
}
