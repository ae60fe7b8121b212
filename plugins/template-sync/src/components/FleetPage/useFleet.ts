import { useApi } from '@backstage/frontend-plugin-api';
import type { TemplateFleetResponse } from '@paved/plugin-paved-common';
import { useCallback, useEffect, useState } from 'react';
import { type FleetQuery, templateSyncApiRef } from '../../api';

/** The fleet for a query; newer answers win, older ones are dropped (each query aborts the one before). */
export function useFleet(query: FleetQuery) {
  const api = useApi(templateSyncApiRef);
  const [fleet, setFleet] = useState<TemplateFleetResponse>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(query);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .getFleet(JSON.parse(key), { signal: controller.signal })
      .then(answer => {
        setFleet(answer);
        setError(undefined);
      })
      .catch(e => {
        if (!controller.signal.aborted) setError(e);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [api, key, generation]);

  const reload = useCallback(() => setGeneration(g => g + 1), []);
  return { fleet, error, loading, reload };
}
