import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { EntityHealth } from '@paved/plugin-paved-common';
import type { RuntimeHealthApi } from './RuntimeHealthApi';

/**
 * The default {@link RuntimeHealthApi}: `GET {runtime-health}/entity/:namespace/:kind/:name` through Backstage's
 * fetch API, so the user's token rides along and the backend can check their permissions.
 * @public
 */
export class RuntimeHealthClient implements RuntimeHealthApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  async getEntityHealth(
    entityRef: string,
    options?: { signal?: AbortSignal },
  ): Promise<EntityHealth> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const base = await this.deps.discoveryApi.getBaseUrl('runtime-health');
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    const response = await this.deps.fetchApi.fetch(`${base}/entity/${path}`, {
      signal: options?.signal,
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as EntityHealth;
  }
}
