import type { WorkloadHealth } from '@paved/plugin-paved-common';
import { degraded, healthy, NOW, sourceDown } from '../__testUtils__/fixtures';
import {
  annotationHint,
  errorMessage,
  lastDeploy,
  linksOut,
  relativeTime,
  shortRevision,
  SIGNALS,
  signalRange,
  sourceStatusText,
  workloadState,
} from './present';

describe('presentation rules', () => {
  it.each([
    ['2026-11-22T10:29:55Z', 'now'],
    ['2026-11-22T10:29:30Z', '30 seconds ago'],
    ['2026-11-22T10:25:00Z', '5 minutes ago'],
    ['2026-11-22T07:30:00Z', '3 hours ago'],
    ['2026-11-21T10:30:00Z', 'yesterday'],
    ['2026-11-22T10:35:00Z', 'in 5 minutes'],
    ['not a date', 'at an unknown time'],
  ])('says %s is "%s"', (iso, text) => {
    expect(relativeTime(iso, NOW)).toBe(text);
  });

  it.each([
    ['4f2a9c1e0b7d3a5f6e8c9d0b1a2f3e4d5c6b7a89', '4f2a9c1'],
    ['v1.4.0', 'v1.4.0'],
    ['main', 'main'],
  ])('shortens revision %s to %s', (revision, short) => {
    expect(shortRevision(revision)).toBe(short);
  });

  it('formats each golden signal in its unit', () => {
    const format = Object.fromEntries(SIGNALS.map(s => [s.key, s.format]));
    expect(format.throughput(12345.6)).toBe('12,346 rpm');
    expect(format.errorRate(0.0421)).toBe('4.21%');
    expect(format.errorRate(0)).toBe('0%');
    expect(format.responseTimeMs(81.6)).toBe('82 ms');
    expect(format.apdex(0.9)).toBe('0.90');
  });

  it('starts every chart at zero and keeps flat series from filling the chart', () => {
    const signal = Object.fromEntries(SIGNALS.map(s => [s.key, s]));
    expect(signalRange(signal.errorRate, 0)).toEqual([0, 0.01]);
    expect(signalRange(signal.errorRate, 0.2)[1]).toBeCloseTo(0.23);
    expect(signalRange(signal.throughput, 0)).toEqual([0, 10]);
    expect(signalRange(signal.apdex, 0.5)).toEqual([0, 1]);
  });

  it('finds the latest deploy across apps, and none without history', () => {
    const twoApps = {
      apps: [
        { ...healthy.sources.argocd.data!.apps[0] },
        {
          ...healthy.sources.argocd.data!.apps[0],
          name: 'orders-api-prod-eu',
          history: [
            { id: 9, revision: 'v2.0.0', deployedAt: '2026-11-22T10:20:00Z' },
          ],
        },
      ],
    };
    expect(lastDeploy(twoApps)).toMatchObject({
      app: 'orders-api-prod-eu',
      revision: 'v2.0.0',
    });
    expect(lastDeploy(undefined)).toBeUndefined();
    expect(
      lastDeploy({ apps: [{ ...twoApps.apps[0], history: [] }] }),
    ).toBeUndefined();
  });

  const workload = (w: Partial<WorkloadHealth>): WorkloadHealth => ({
    kind: 'Deployment',
    name: 'w',
    namespace: 'n',
    ready: 2,
    desired: 2,
    pods: [],
    ...w,
  });
  it.each<[Partial<WorkloadHealth>, string]>([
    [{}, 'ok'],
    [{ ready: 1 }, 'progressing'],
    [{ ready: 0 }, 'error'],
    [{ ready: 0, desired: 0 }, 'ok'],
    [
      {
        pods: [
          {
            name: 'p',
            phase: 'Running',
            ready: true,
            restarts: 3,
            problems: ['OOMKilled'],
          },
        ],
      },
      'error',
    ],
  ])('judges workload %j as %s', (w, state) => {
    expect(workloadState(workload(w))).toBe(state);
  });

  it('links out to every Argo CD app, the New Relic entity and each cluster dashboard it knows', () => {
    expect(linksOut(healthy).map(l => l.title)).toEqual([
      'Argo CD: orders-api-dev-eu',
      'New Relic: orders-api',
      'Cluster: dev-eu',
    ]);
    expect(linksOut(degraded).map(l => l.title)).toEqual([
      'Argo CD: orders-api-prod-eu',
      'New Relic: orders-api',
    ]);
    expect(linksOut(sourceDown).map(l => l.title)).toEqual(['Cluster: dev-eu']);
  });

  it('names the annotations that turn a source on, and words each status', () => {
    expect(annotationHint('kubernetes')).toBe(
      "Add `backstage.io/kubernetes-id` or `backstage.io/kubernetes-label-selector` to the entity's catalog-info.yaml to see Kubernetes here.",
    );
    expect(
      ['ok', 'error', 'timeout', 'not-configured'].map(status =>
        sourceStatusText({ status: status as any, fetchedAt: '' }),
      ),
    ).toEqual(['reporting', 'unavailable', 'timed out', 'not configured']);
  });

  it("prefers the backend's own error message", () => {
    const responseError = Object.assign(new Error('Request failed with 403'), {
      body: { error: { name: 'NotAllowedError', message: 'You may not' } },
    });
    expect(errorMessage(responseError)).toBe('You may not');
    expect(errorMessage(new Error('Failed to fetch'))).toBe('Failed to fetch');
  });
});
