import type {
  TemplateFleetResponse,
  TemplateInstanceState,
  TemplateSyncSchedule,
} from '@paved/plugin-paved-common';
import type { FleetQuery, TemplateSyncApi } from '../api';

/** A TemplateSyncApi whose answers tests set, recording what it was asked. */
export function fakeApi(
  options: {
    state?: TemplateInstanceState | Error;
    sync?: TemplateInstanceState | Error;
    fleet?: (query: FleetQuery) => TemplateFleetResponse | Error;
    schedule?: TemplateSyncSchedule | Error;
  } = {},
) {
  const queries: FleetQuery[] = [];
  const synced: string[] = [];
  const answer = <T>(value: T | Error | undefined): Promise<T> =>
    value instanceof Error
      ? Promise.reject(value)
      : Promise.resolve(value as T);
  const api: TemplateSyncApi = {
    getEntityState: async () => answer(options.state),
    syncEntity: async ref => {
      synced.push(ref);
      return answer(options.sync);
    },
    getFleet: async (query = {}) => {
      queries.push(query);
      return answer(options.fleet?.(query));
    },
    getSchedule: async () =>
      answer(
        options.schedule ?? { enabled: true, description: 'every 30 minutes' },
      ),
  };
  return { api, queries, synced };
}

/** An error as the client throws it for a backend refusal (a ResponseError's body). */
export function backendError(message: string): Error {
  return Object.assign(new Error('Request failed with 403 Forbidden'), {
    body: { error: { name: 'NotAllowedError', message } },
  });
}
