import { TestApiProvider } from '@backstage/frontend-test-utils';
import type { EntityHealth } from '@paved/plugin-paved-common';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { degraded, healthy, ordersApi } from '../__testUtils__/fixtures';
import { runtimeHealthApiRef, type RuntimeHealthApi } from '../api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { useCurrentEntityHealth, useEntityHealth } from './useEntityHealth';

/** An API whose answers the test releases one by one. */
function controlledApi() {
  const pending: {
    resolve: (h: EntityHealth) => void;
    signal?: AbortSignal;
  }[] = [];
  const api: RuntimeHealthApi = {
    getEntityHealth: (_ref, options) =>
      new Promise(resolve => {
        pending.push({ resolve, signal: options?.signal });
      }),
  };
  return { api, pending };
}

function render(api: RuntimeHealthApi, intervalMs = 30_000) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[runtimeHealthApiRef, api]]}>
      {children}
    </TestApiProvider>
  );
  return renderHook(() => useEntityHealth(ordersApi, intervalMs), { wrapper });
}

function setVisibility(state: 'visible' | 'hidden', announce = true) {
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => state,
  });
  if (announce) document.dispatchEvent(new Event('visibilitychange'));
}

describe('useEntityHealth', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    setVisibility('visible', false);
  });

  it('asks on mount, then again every interval, keeping the last answer while it waits', async () => {
    const { api, pending } = controlledApi();
    const { result } = render(api, 10_000);
    expect(pending).toHaveLength(1);
    expect(result.current.loading).toBe(true);

    await act(async () => pending[0].resolve(healthy));
    expect(result.current.health?.verdict).toBe('healthy');
    expect(result.current.updatedAt).toBeInstanceOf(Date);
    expect(result.current.loading).toBe(false);

    await act(async () => {
      jest.advanceTimersByTime(10_000);
    });
    expect(pending).toHaveLength(2);
    expect(result.current.loading).toBe(true);
    expect(result.current.health?.verdict).toBe('healthy');

    await act(async () => pending[1].resolve(degraded));
    expect(result.current.health?.verdict).toBe('degraded');
  });

  it('does not poll while the page is hidden, and asks as soon as it is shown again', async () => {
    const { api, pending } = controlledApi();
    render(api, 10_000);
    await act(async () => pending[0].resolve(healthy));

    act(() => setVisibility('hidden'));
    await act(async () => {
      jest.advanceTimersByTime(60_000);
    });
    expect(pending).toHaveLength(1);

    act(() => setVisibility('visible'));
    expect(pending).toHaveLength(2);
  });

  it('never lets an older answer overwrite a newer one', async () => {
    const { api, pending } = controlledApi();
    const { result } = render(api);
    act(() => result.current.refresh());
    expect(pending).toHaveLength(2);
    // The first request is aborted and its late answer ignored.
    expect(pending[0].signal?.aborted).toBe(true);

    await act(async () => pending[1].resolve(degraded));
    await act(async () => pending[0].resolve(healthy));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.health?.verdict).toBe('degraded');
  });

  it('stops polling and aborts the request in flight when unmounted', async () => {
    const { api, pending } = controlledApi();
    const { unmount } = render(api, 10_000);
    unmount();
    expect(pending[0].signal?.aborted).toBe(true);
    await act(async () => {
      jest.advanceTimersByTime(60_000);
    });
    expect(pending).toHaveLength(1);
  });

  it('polls every 5 s while the service waits to be deployed, and back at its interval once it runs, keeping the answer', async () => {
    const { api, pending } = controlledApi();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[runtimeHealthApiRef, api]]}>
        <EntityProvider entity={ordersApi}>{children}</EntityProvider>
      </TestApiProvider>
    );
    const { result } = renderHook(() => useCurrentEntityHealth(30_000), {
      wrapper,
    });
    const notDeployed = { ...healthy, verdict: 'not-deployed' as const };
    await act(async () => pending[0].resolve(notDeployed));
    expect(result.current.refreshIntervalMs).toBe(5_000);
    await act(async () => {
      jest.advanceTimersByTime(5_000);
    });
    expect(pending).toHaveLength(2);
    // The answer stays on screen while the faster polling starts.
    expect(result.current.health?.verdict).toBe('not-deployed');
    await act(async () => pending[1].resolve(healthy));
    expect(result.current.refreshIntervalMs).toBe(30_000);
    await act(async () => {
      jest.advanceTimersByTime(5_000);
    });
    expect(pending).toHaveLength(2);
    await act(async () => {
      jest.advanceTimersByTime(25_000);
    });
    expect(pending).toHaveLength(3);
  });
});
