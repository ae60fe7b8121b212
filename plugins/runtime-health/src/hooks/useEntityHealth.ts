import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { EntityHealth } from '@paved/plugin-paved-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { runtimeHealthApiRef } from '../api';

/** How often the views refresh by default; the backend caches answers for about as long. */
export const DEFAULT_REFRESH_INTERVAL_MS = 30_000;

/**
 * How often they refresh while the service waits to be deployed (not deployed, or pull requests pending): someone is
 * merging and watching, and the backend caches such answers for a fifth of its TTL.
 */
export const WAITING_REFRESH_INTERVAL_MS = 5_000;

/** Whether an answer is one a person is waiting to see change: nothing (or not everything) deployed yet. */
export function isWaiting(health: EntityHealth | undefined): boolean {
  return (
    !!health &&
    (health.verdict === 'not-deployed' ||
      health.verdict === 'partially-deployed' ||
      !!health.pending?.length)
  );
}

/** @public */
export interface EntityHealthState {
  /** The latest answer; kept while a refresh is under way or after a refresh failed. */
  health?: EntityHealth;
  /** Why the latest request failed (permission denied, backend down, …). */
  error?: Error;
  /** A request is under way. */
  loading: boolean;
  /** When `health` arrived. */
  updatedAt?: Date;
  /** Asks again now. */
  refresh: () => void;
}

/**
 * The entity's runtime health, asked for on mount and every `refreshIntervalMs` while the page is visible (a hidden
 * tab does not poll; it asks again when shown). Answers to an older request never overwrite a newer one.
 */
export function useEntityHealth(
  entity: Entity,
  refreshIntervalMs: number = DEFAULT_REFRESH_INTERVAL_MS,
): EntityHealthState {
  const api = useApi(runtimeHealthApiRef);
  const entityRef = stringifyEntityRef(entity);
  const [state, setState] = useState<Omit<EntityHealthState, 'refresh'>>({
    loading: true,
  });
  const latest = useRef<AbortController>();

  const load = useCallback(() => {
    latest.current?.abort();
    const controller = new AbortController();
    latest.current = controller;
    setState(s => ({ ...s, loading: true }));
    api.getEntityHealth(entityRef, { signal: controller.signal }).then(
      health => {
        if (latest.current !== controller) return;
        setState({ health, loading: false, updatedAt: new Date() });
      },
      error => {
        if (latest.current !== controller) return;
        setState(s => ({ ...s, error, loading: false }));
      },
    );
  }, [api, entityRef]);

  // A new entity starts afresh; a new interval only re-times the polling, keeping the answer shown.
  useEffect(() => {
    setState({ loading: true });
    load();
    return () => {
      latest.current?.abort();
      latest.current = undefined;
    };
  }, [load]);

  useEffect(() => {
    const visible = () => document.visibilityState !== 'hidden';
    const timer = setInterval(() => {
      if (visible()) load();
    }, refreshIntervalMs);
    const onVisibility = () => {
      if (visible()) load();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [load, refreshIntervalMs]);

  return { ...state, refresh: load };
}

/** {@link useEntityHealth} for the entity of the page, with the interval it polls at. */
export function useCurrentEntityHealth(
  refreshIntervalMs: number = DEFAULT_REFRESH_INTERVAL_MS,
): EntityHealthState & { refreshIntervalMs: number } {
  const { entity } = useEntity();
  const [waiting, setWaiting] = useState(false);
  const interval = waiting
    ? Math.min(refreshIntervalMs, WAITING_REFRESH_INTERVAL_MS)
    : refreshIntervalMs;
  const state = useEntityHealth(entity, interval);
  const nowWaiting = isWaiting(state.health);
  useEffect(() => setWaiting(nowWaiting), [nowWaiting]);
  return { ...state, refreshIntervalMs: interval };
}
