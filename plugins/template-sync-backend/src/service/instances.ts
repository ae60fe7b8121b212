import {
  type Entity,
  getEntitySourceLocation,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_GITHUB_PROJECT_SLUG,
  readTemplateProvenance,
} from '@paved/plugin-paved-common';
import { templateName } from '@paved/plugin-paved-node';
import type { DiscoveredInstance } from '../database/SyncStore';

/** `scheme://host/owner/repo` of a URL into a repository (tree, blob or plain). */
function repositoryOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    const [owner, repo] = u.pathname.split('/').filter(Boolean);
    if (!owner || !repo || !/^https?:$/.test(u.protocol)) return undefined;
    return `${u.protocol}//${u.host}/${owner}/${repo.replace(/\.git$/, '')}`;
  } catch {
    return undefined;
  }
}

/**
 * The repository an entity lives in: its source location (`backstage.io/source-location`, or where the catalog read
 * it from), else `github.com/project-slug` on the first GitHub integration (`defaultGithub`, e.g. https://github.com).
 */
export function repositoryOfEntity(
  entity: Entity,
  defaultGithub?: string,
): string | undefined {
  try {
    const location = getEntitySourceLocation(entity);
    if (location.type === 'url') {
      const repo = repositoryOf(location.target);
      if (repo) return repo;
    }
  } catch {
    // no source location: try the slug
  }
  const slug = entity.metadata.annotations?.[ANNOTATION_GITHUB_PROJECT_SLUG];
  if (slug && defaultGithub && /^[\w.-]+\/[\w.-]+$/.test(slug)) {
    return `${defaultGithub.replace(/\/+$/, '')}/${slug}`;
  }
  return undefined;
}

/** The owner as a full entity ref (`group:default/team-a`), as filters compare it. */
function ownerRef(entity: Entity): string | undefined {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/** The template instance an entity stands for, or undefined when its provenance is absent or invalid. */
export function instanceOf(
  entity: Entity,
  defaultGithub?: string,
): DiscoveredInstance | undefined {
  const provenance = readTemplateProvenance(entity.metadata.annotations);
  if (provenance.kind !== 'valid') return undefined;
  const { source, answersFile } = provenance.provenance;
  const owner = ownerRef(entity);
  return {
    entityRef: stringifyEntityRef(entity),
    ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
    ...(typeof owner === 'string' ? { owner } : {}),
    source,
    templateName: templateName(source),
    answersFile,
    repoUrl: repositoryOfEntity(entity, defaultGithub),
  };
}
