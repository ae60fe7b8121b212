import {
  conflicted,
  orders,
  upToDate,
  withPullRequest,
} from '../__testUtils__/fixtures';
import {
  isTemplateInstance,
  pullRequestText,
  sourceLink,
  versionRange,
} from './present';

describe('template sync presentation', () => {
  it('shows the card on entities with a template source only', () => {
    expect(isTemplateInstance(orders)).toBe(true);
    expect(isTemplateInstance({ ...orders, metadata: { name: 'x' } })).toBe(
      false,
    );
  });

  it('writes version ranges', () => {
    expect(versionRange(withPullRequest)).toBe('v1.0.0 → v2.0.0');
    expect(versionRange(upToDate)).toBe('v2.0.0');
    expect(
      versionRange({
        ...upToDate,
        currentVersion: undefined,
        latestVersion: undefined,
      }),
    ).toBe('unknown');
  });

  it('describes pull requests', () => {
    expect(pullRequestText(withPullRequest.pullRequest!)).toBe('#12');
    expect(pullRequestText(conflicted.pullRequest!)).toBe(
      '#3 (draft, 2 conflicts)',
    );
    expect(
      pullRequestText({
        ...conflicted.pullRequest!,
        draft: false,
        conflicts: 1,
      }),
    ).toBe('#3 (1 conflict)');
  });

  it.each([
    [
      'https://github.com/acme/templates//service',
      'https://github.com/acme/templates/tree/HEAD/service',
    ],
    [
      'https://github.com/acme/service-template.git',
      'https://github.com/acme/service-template',
    ],
    ['git@github.com:acme/t.git', 'https://github.com/acme/t'],
    ['gh:acme/t//python', 'https://github.com/acme/t/tree/HEAD/python'],
    ['/srv/templates/service', undefined],
  ])('links %s as %s', (source, link) => {
    expect(sourceLink(source)).toBe(link);
  });
});
