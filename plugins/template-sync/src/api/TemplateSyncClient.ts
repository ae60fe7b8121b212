import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  TemplateFleetResponse,
  TemplateInstanceState,
  TemplateSyncSchedule,
} from '@paved/plugin-paved-common';
import type { FleetQuery, TemplateSyncApi } from './TemplateSyncApi';

/**
 * The default {@link TemplateSyncApi} over Backstage's fetch API, so the user's token rides along and the backend
 * can check their permissions.
 * @public
 */
export class TemplateSyncClient implements TemplateSyncApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async entityUrl(entityRef: string): Promise<string> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const base = await this.deps.discoveryApi.getBaseUrl('template-sync');
    return `${base}/entity/${[namespace, kind, name]
      .map(encodeURIComponent)
      .join('/')}`;
  }

  async getEntityState(
    entityRef: string,
    options?: { signal?: AbortSignal },
  ): Promise<TemplateInstanceState | undefined> {
    const response = await this.deps.fetchApi.fetch(
      await this.entityUrl(entityRef),
      { signal: options?.signal },
    );
    if (response.status === 404) return undefined;
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as TemplateInstanceState;
  }

  async syncEntity(entityRef: string): Promise<TemplateInstanceState> {
    const response = await this.deps.fetchApi.fetch(
      `${await this.entityUrl(entityRef)}/sync`,
      { method: 'POST' },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as TemplateInstanceState;
  }

  async getFleet(
    query: FleetQuery = {},
    options?: { signal?: AbortSignal },
  ): Promise<TemplateFleetResponse> {
    const params = new URLSearchParams();
    if (query.source) params.set('source', query.source);
    if (query.status?.length) params.set('status', query.status.join(','));
    if (query.owner) params.set('owner', query.owner);
    if (query.q) params.set('q', query.q);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.offset !== undefined) params.set('offset', String(query.offset));
    const base = await this.deps.discoveryApi.getBaseUrl('template-sync');
    const search = params.toString();
    const response = await this.deps.fetchApi.fetch(
      `${base}/fleet${search ? `?${search}` : ''}`,
      { signal: options?.signal },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as TemplateFleetResponse;
  }

  async getSchedule(options?: {
    signal?: AbortSignal;
  }): Promise<TemplateSyncSchedule> {
    const base = await this.deps.discoveryApi.getBaseUrl('template-sync');
    const response = await this.deps.fetchApi.fetch(`${base}/schedule`, {
      signal: options?.signal,
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as TemplateSyncSchedule;
  }
}
