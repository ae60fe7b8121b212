import { bearerToken, DecisionCache } from './DecisionCache';

describe('DecisionCache', () => {
  it('is off with a TTL of 0 and without a token', () => {
    const off = new DecisionCache({ ttlMs: 0 });
    off.allow('t', 'component:default/a');
    expect(off.isAllowed('t', 'component:default/a')).toBe(false);
    const on = new DecisionCache({ ttlMs: 1000 });
    on.allow(undefined, 'component:default/a');
    expect(on.isAllowed(undefined, 'component:default/a')).toBe(false);
  });

  it('keys by token and entity, and stays within its size', () => {
    const cache = new DecisionCache({ ttlMs: 60_000, maxEntries: 2 });
    cache.allow('t1', 'component:default/a');
    expect(cache.isAllowed('t1', 'component:default/a')).toBe(true);
    expect(cache.isAllowed('t1', 'component:default/b')).toBe(false);
    expect(cache.isAllowed('t2', 'component:default/a')).toBe(false);
    cache.allow('t1', 'component:default/b');
    cache.allow('t1', 'component:default/c');
    // The oldest went to make room.
    expect(cache.isAllowed('t1', 'component:default/a')).toBe(false);
    expect(cache.isAllowed('t1', 'component:default/c')).toBe(true);
  });

  it('reads bearer tokens only', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
