import { useApi } from '@backstage/frontend-plugin-api';
import type {
  TemplateInstanceState,
  TemplateSyncSchedule,
} from '@paved/plugin-paved-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { templateSyncApiRef } from '../../api';

/** An entity's template-sync state, with a "check now" that asks the backend to run for it. */
export interface TemplateSyncState {
  /** Undefined until loaded; null when template sync has not seen the entity. */
  state?: TemplateInstanceState | null;
  loading: boolean;
  error?: Error;
  syncing: boolean;
  syncError?: Error;
  sync(): Promise<void>;
  /** When the fleet job checks ("every 30 minutes"); undefined until loaded or when it could not be read. */
  schedule?: TemplateSyncSchedule;
}

export function useTemplateSyncState(entityRef: string): TemplateSyncState {
  const api = useApi(templateSyncApiRef);
  const [state, setState] = useState<TemplateInstanceState | null>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const [syncing, setSyncing] = useState(false);
  const [syncError, setSyncError] = useState<Error>();
  const mounted = useRef(true);
  const [schedule, setSchedule] = useState<TemplateSyncSchedule>();

  useEffect(() => {
    const controller = new AbortController();
    // Only words on the card: when it cannot be read the card says "on its schedule".
    api
      .getSchedule({ signal: controller.signal })
      .then(setSchedule)
      .catch(() => undefined);
    return () => controller.abort();
  }, [api]);

  useEffect(() => {
    mounted.current = true;
    const controller = new AbortController();
    setLoading(true);
    api
      .getEntityState(entityRef, { signal: controller.signal })
      .then(s => {
        setState(s ?? null);
        setError(undefined);
      })
      .catch(e => {
        if (!controller.signal.aborted) setError(e);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => {
      mounted.current = false;
      controller.abort();
    };
  }, [api, entityRef]);

  const sync = useCallback(async () => {
    setSyncing(true);
    setSyncError(undefined);
    try {
      const next = await api.syncEntity(entityRef);
      if (mounted.current) {
        setState(next);
        setError(undefined);
      }
    } catch (e) {
      if (mounted.current) setSyncError(e as Error);
    } finally {
      if (mounted.current) setSyncing(false);
    }
  }, [api, entityRef]);

  return { state, loading, error, syncing, syncError, sync, schedule };
}
