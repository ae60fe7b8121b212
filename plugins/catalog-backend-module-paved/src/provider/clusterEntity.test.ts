import { clusterEntityName, uniqueClusterNames } from './clusterEntity';

const cluster = (name: string, region = 'eu-west-1', accountId = '1') => ({
  name,
  region,
  accountId,
  arn: `arn:${region}:${accountId}:${name}`,
  tags: {},
});

describe('cluster entity names', () => {
  it.each([
    ['prod-eu', 'prod-eu'],
    ['Prod_EU', 'prod-eu'],
    ['_weird__name_', 'weird-name'],
    ['x'.repeat(100), `${'x'.repeat(54)}-`],
  ])('%s → %s', (name, expected) => {
    expect(clusterEntityName(name).startsWith(expected)).toBe(true);
    expect(clusterEntityName(name).length).toBeLessThanOrEqual(63);
  });

  it('keeps long names distinct', () => {
    expect(clusterEntityName(`${'a'.repeat(70)}1`)).not.toBe(
      clusterEntityName(`${'a'.repeat(70)}2`),
    );
  });

  it('suffixes names shared across regions, then across accounts', () => {
    expect(
      uniqueClusterNames([
        cluster('main'),
        cluster('main', 'us-east-1'),
        cluster('main', 'us-east-1', '2'),
        cluster('solo'),
      ]),
    ).toEqual([
      'main-eu-west-1',
      'main-us-east-1-1',
      'main-us-east-1-2',
      'solo',
    ]);
  });
});
