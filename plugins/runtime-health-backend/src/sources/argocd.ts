import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_ARGOCD_INSTANCE_NAME,
  ANNOTATION_ENTITY_REF,
  type ArgoCdAppHealth,
  type ArgoCdHealth,
} from '@paved/plugin-paved-common';
import type { ArgoCdClients, ArgoCdObject } from '@paved/plugin-paved-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ANNOTATION_OWNER_REF } from '@paved/plugin-paved-common';
import { ownerOf } from './owner';

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
    ...(o.spec.destination?.name || o.spec.destination?.server
      ? { cluster: o.spec.destination.name || o.spec.destination.server }
      : {}),
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

/**
 * The entity's Argo CD applications. One counts when it names the entity (`paved.dev/entity-ref`, as Paved registers
 * them) or, naming none, sits in a project of the entity's owner (`paved.dev/owner-ref` on the AppProject); the rest
 * the annotations matched are listed as not attributable.
 */
export async function readArgoCd(
  entity: Entity,
  argocd: ArgoCdClients,
): Promise<ArgoCdHealth> {
  const target = argoCdTarget(entity)!;
  const instance = argocd.get(target.instance);
  let found: ArgoCdObject[];
  if (target.name) {
    const one = await instance.getApplication(target.name);
    found = one ? [one] : [];
  } else {
    const list = await instance.request(
      'GET',
      `/api/v1/applications?selector=${encodeURIComponent(target.selector!)}`,
    );
    found = (list?.items ?? []) as ArgoCdObject[];
  }
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const owner = ownerOf(entity);
  const projects = new Map<string, Promise<string | undefined>>();
  const projectOwner = (name: string) => {
    if (!projects.has(name)) {
      projects.set(
        name,
        instance
          .getProject(name)
          .then(p =>
            p?.metadata.annotations?.[ANNOTATION_OWNER_REF]?.toLocaleLowerCase(
              'en-US',
            ),
          )
          .catch(() => undefined),
      );
    }
    return projects.get(name)!;
  };
  const apps: ArgoCdAppHealth[] = [];
  const unattributed: Array<{ kind: string; name: string; reason: string }> =
    [];
  for (const o of found) {
    const named =
      o.metadata.annotations?.[ANNOTATION_ENTITY_REF]?.toLocaleLowerCase(
        'en-US',
      );
    const project = String(o.spec.project ?? 'default');
    if (named === entityRef) {
      apps.push(app(instance, o));
      continue;
    }
    const projectsOwner = named ? undefined : await projectOwner(project);
    if (!named && owner && projectsOwner === owner) {
      apps.push(app(instance, o));
      continue;
    }
    unattributed.push({
      kind: 'Application',
      name: o.metadata.name,
      reason: named
        ? `it names ${named}`
        : `project ${project} belongs to ${projectsOwner ?? 'no Paved owner'}`,
    });
  }
  apps.sort((a, b) => a.name.localeCompare(b.name));
  return { apps, ...(unattributed.length ? { unattributed } : {}) };
}
