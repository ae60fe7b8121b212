import { compareRecorded, parseRecordedVersion, parseTags } from './versions';

const sha = (n: number) => String(n).padStart(40, 'a');

describe('parseTags', () => {
  const output = [
    `${sha(1)}\trefs/tags/v1.10.0`,
    `${sha(2)}\trefs/tags/v1.2.0`,
    `${sha(3)}\trefs/tags/v1.2.0^{}`,
    `${sha(4)}\trefs/tags/release-candidate`,
    `${sha(5)}\trefs/tags/2.0.0-rc.1`,
    `${sha(6)}\trefs/tags/1.9.0`,
  ].join('\n');

  it('orders semver tags, strips nothing from their names, and uses the peeled commit of annotated tags', () => {
    expect(parseTags(output).map(t => [t.tag, t.commit])).toEqual([
      ['v1.2.0', sha(3)],
      ['1.9.0', sha(6)],
      ['v1.10.0', sha(1)],
    ]);
  });

  it('includes pre-releases only on request', () => {
    expect(parseTags(output, { prereleases: true }).map(t => t.tag)).toEqual([
      'v1.2.0',
      '1.9.0',
      'v1.10.0',
      '2.0.0-rc.1',
    ]);
  });
});

describe('recorded versions', () => {
  it('reads git describe output and orders it between tags', () => {
    const described = parseRecordedVersion('v1.2.0-3-gabc1234');
    expect(described).toMatchObject({ distance: 3, commit: 'abc1234' });
    expect(
      compareRecorded(described, parseRecordedVersion('v1.2.0')),
    ).toBeGreaterThan(0);
    expect(
      compareRecorded(described, parseRecordedVersion('v1.2.1')),
    ).toBeLessThan(0);
    expect(
      compareRecorded(
        parseRecordedVersion('v1.2.0'),
        parseRecordedVersion('1.2.0'),
      ),
    ).toBe(0);
  });

  it('cannot order bare commits', () => {
    expect(
      compareRecorded(
        parseRecordedVersion('abcdef1'),
        parseRecordedVersion('v1.0.0'),
      ),
    ).toBeUndefined();
  });
});
