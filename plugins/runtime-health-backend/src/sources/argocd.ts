import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_ARGOCD_INSTANCE_NAME,
  type ArgoCdAppHealth,
  type ArgoCdHealth,
} from '@paved/plugin-paved-common';
import type { ArgoCdClients, ArgoCdObject } from '@paved/plugin-paved-node';

const HISTORY = 5;

/** An entity's Argo CD apps, by `argocd/app-name` or `argocd/app-selector` (and `argocd/instance-name`). */
export function argoCdTarget(entity: Entity) {
  const a = entity.metadata.annotations ?? {};
  const name = a[ANNOTATION_ARGOCD_APP_NAME];
  const selector = a[ANNOTATION_ARGOCD_APP_SELECTOR];
  if (!name && !selector) return undefined;
  return { name, selector, instance: a[ANNOTATION_ARGOCD_INSTANCE_NAME] };
}

function app(
  instance: ReturnType<ArgoCdClients['get']>,
  o: ArgoCdObject,
): ArgoCdAppHealth {
  const status = o.status ?? {};
  return {
    name: o.metadata.name,
    instance: instance.config.name,
    project: o.spec.project,
    syncStatus: status.sync?.status ?? 'Unknown',
    revision: status.sync?.revision,
    healthStatus: status.health?.status ?? 'Unknown',
    operationPhase: status.operationState?.phase,
    history: [...(status.history ?? [])]
      .reverse()
      .slice(0, HISTORY)
      .map((h: any) => ({
        id: h.id,
        revision: h.revision,
        deployedAt: h.deployedAt,
        ...(h.initiatedBy?.username
          ? { initiatedBy: h.initiatedBy.username }
          : {}),
      })),
    url: instance.applicationUrl(o.metadata.name),
  };
}

export async function readArgoCd(
  entity: Entity,
  argocd: ArgoCdClients,
): Promise<ArgoCdHealth> {
  const target = argoCdTarget(entity)!;
  const instance = argocd.get(target.instance);
  if (target.name) {
    const found = await instance.getApplication(target.name);
    return { apps: found ? [app(instance, found)] : [] };
  }
  const list = await instance.request(
    'GET',
    `/api/v1/applications?selector=${encodeURIComponent(target.selector!)}`,
  );
  return {
    apps: ((list?.items ?? []) as ArgoCdObject[])
      .map(o => app(instance, o))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
