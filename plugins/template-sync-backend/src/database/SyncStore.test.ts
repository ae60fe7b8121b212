import { TestDatabases } from '@backstage/backend-test-utils';
import { SyncStore, type DiscoveredInstance } from './SyncStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

// On a laptop without PostgreSQL the PostgreSQL run shows up as skipped, with what to set, instead of vanishing.
if (!databases.supports('POSTGRES_15')) {
  it.skip('SyncStore on POSTGRES_15: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (e.g. postgresql://postgres@127.0.0.1:5432) to run it', () => {});
}

const instance = (
  name: string,
  extra: Partial<DiscoveredInstance> = {},
): DiscoveredInstance => ({
  entityRef: `component:default/${name}`,
  title: name.toUpperCase(),
  owner: 'group:default/team-a',
  source: 'https://github.com/acme/templates//service',
  templateName: 'service',
  answersFile: '.copier-answers.yml',
  repoUrl: `https://github.com/acme/${name}`,
  ...extra,
});

describe.each(databases.eachSupportedId())('SyncStore on %s', databaseId => {
  let clock = 1_800_000_000_000;
  const store = async () => {
    const knex = await databases.init(databaseId);
    return {
      knex,
      store: await SyncStore.create(
        { getClient: async () => knex, migrations: { skip: false } } as any,
        { now: () => clock },
      ),
    };
  };

  it('migrates, records what the catalog says, and keeps sync state across discoveries', async () => {
    const { store: s } = await store();
    await s.upsertDiscovered([instance('orders'), instance('payments')]);
    expect(await s.get('component:default/orders')).toEqual({
      entityRef: 'component:default/orders',
      title: 'ORDERS',
      owner: 'group:default/team-a',
      source: 'https://github.com/acme/templates//service',
      templateName: 'service',
      answersFile: '.copier-answers.yml',
      repoUrl: 'https://github.com/acme/orders',
      status: 'unknown',
    });
    await s.record('component:default/orders', {
      status: 'conflicts',
      currentVersion: 'v1.0.0',
      latestVersion: 'v2.0.0',
      pullRequest: {
        number: 7,
        url: 'https://github.com/acme/orders/pull/7',
        version: 'v2.0.0',
        draft: true,
        conflicts: 2,
        changedFiles: 5,
      },
    });
    // Rediscovered with a new title: state kept.
    await s.upsertDiscovered([instance('orders', { title: 'Orders API' })]);
    expect(await s.get('component:default/orders')).toMatchObject({
      title: 'Orders API',
      status: 'conflicts',
      currentVersion: 'v1.0.0',
      latestVersion: 'v2.0.0',
      pullRequest: {
        number: 7,
        draft: true,
        conflicts: 2,
        changedFiles: 5,
        version: 'v2.0.0',
      },
      lastCheckedAt: new Date(clock).toISOString(),
    });
    // Moved to another answers file: a different instance, state starts over.
    await s.upsertDiscovered([
      instance('orders', { answersFile: 'svc/.copier-answers.yml' }),
    ]);
    const moved = await s.get('component:default/orders');
    expect(moved).toMatchObject({
      status: 'unknown',
      answersFile: 'svc/.copier-answers.yml',
    });
    expect(moved?.pullRequest).toBeUndefined();
  });

  it('records errors and clears them on the next good check', async () => {
    const { store: s } = await store();
    await s.upsertDiscovered([instance('orders')]);
    await s.record('component:default/orders', {
      status: 'error',
      error: 'boom',
    });
    expect(await s.get('component:default/orders')).toMatchObject({
      status: 'error',
      error: 'boom',
    });
    await s.record('component:default/orders', {
      status: 'up-to-date',
      currentVersion: 'v2.0.0',
      latestVersion: 'v2.0.0',
    });
    const state = await s.get('component:default/orders');
    expect(state?.error).toBeUndefined();
    expect(state?.status).toBe('up-to-date');
  });

  it('lists by template and forgets entities that left the catalog', async () => {
    const { store: s } = await store();
    await s.upsertDiscovered([
      instance('b'),
      instance('a'),
      instance('c', {
        source: 'https://github.com/acme/templates//worker',
        templateName: 'worker',
      }),
    ]);
    expect((await s.list()).map(i => i.entityRef)).toEqual([
      'component:default/a',
      'component:default/b',
      'component:default/c',
    ]);
    expect(
      (
        await s.list({ source: 'https://github.com/acme/templates//worker' })
      ).map(i => i.entityRef),
    ).toEqual(['component:default/c']);
    expect(await s.removeExcept(['component:default/a'])).toBe(2);
    expect((await s.list()).map(i => i.entityRef)).toEqual([
      'component:default/a',
    ]);
  });

  it('handles a thousand instances in chunks', async () => {
    const { store: s } = await store();
    const many = Array.from({ length: 1000 }, (_, i) => instance(`svc-${i}`));
    await s.upsertDiscovered(many);
    expect(await s.list()).toHaveLength(1000);
    expect(await s.removeExcept([])).toBe(1000);
  });

  it('lets exactly one of two stores on the same database claim an instance, until released or expired', async () => {
    const { knex, store: first } = await store();
    const second = new SyncStore(knex, () => clock);
    await first.upsertDiscovered([instance('orders')]);
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? first : second).claim(
          'component:default/orders',
          `holder-${i}`,
          60_000,
        ),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = `holder-${claims.indexOf(true)}`;
    expect(await second.claim('component:default/orders', 'late', 60_000)).toBe(
      false,
    );
    await first.release('component:default/orders', 'not-the-holder');
    expect(await second.claim('component:default/orders', 'late', 60_000)).toBe(
      false,
    );
    await first.release('component:default/orders', winner);
    expect(await second.claim('component:default/orders', 'late', 60_000)).toBe(
      true,
    );
    clock += 61_000; // a crashed holder's claim runs out
    expect(
      await first.claim('component:default/orders', 'after-crash', 60_000),
    ).toBe(true);
    expect(await first.claim('component:default/missing', 'x', 60_000)).toBe(
      false,
    );
  });
});
