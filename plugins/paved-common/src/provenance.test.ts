import {
  isSafeRelativePath,
  isTemplateVersion,
  readTemplateProvenance,
} from './provenance';

describe('readTemplateProvenance', () => {
  it('is absent when the entity has none of the annotations', () => {
    expect(readTemplateProvenance(undefined)).toEqual({ kind: 'absent' });
    expect(
      readTemplateProvenance({ 'backstage.io/kubernetes-id': 'x' }),
    ).toEqual({ kind: 'absent' });
  });

  it('defaults the answers file to copier’s', () => {
    expect(
      readTemplateProvenance({
        'paved.dev/template-source': 'https://github.com/acme/templates',
        'paved.dev/template-version': 'v1.4.0',
      }),
    ).toEqual({
      kind: 'valid',
      provenance: {
        source: 'https://github.com/acme/templates',
        version: 'v1.4.0',
        answersFile: '.copier-answers.yml',
      },
    });
  });

  it('keeps a monorepo instance’s own answers file', () => {
    const result = readTemplateProvenance({
      'paved.dev/template-source': 'git@github.com:acme/templates.git',
      'paved.dev/template-version': 'v2.0.0-3-gabc1234',
      'paved.dev/answers-file': 'services/payments/.copier-answers.yml',
    });
    expect(result).toMatchObject({
      kind: 'valid',
      provenance: { answersFile: 'services/payments/.copier-answers.yml' },
    });
  });

  it('lists every problem with a hint on how to fix it', () => {
    const result = readTemplateProvenance({
      'paved.dev/template-version': 'latest',
      'paved.dev/answers-file': '../outside.yml',
    });
    expect(result).toEqual({
      kind: 'invalid',
      problems: [
        "paved.dev/template-source is missing: set it to the template's Git URL, e.g. https://github.com/acme/templates",
        'paved.dev/template-version "latest" is not a version: use a version tag (v1.4.0, 2.1), git describe output (v1.4.0-3-gabc1234) or a commit SHA',
        'paved.dev/answers-file "../outside.yml" must be a path inside the repository, relative to its root, without ".."',
      ],
    });
  });

  it('rejects a source that is not a Git location and an answers file that is not YAML', () => {
    const result = readTemplateProvenance({
      'paved.dev/template-source': 'my template',
      'paved.dev/template-version': 'v1.0.0',
      'paved.dev/answers-file': 'answers.json',
    });
    expect(result).toEqual({
      kind: 'invalid',
      problems: [
        'paved.dev/template-source "my template" is not a Git URL: use https://host/org/repo, git@host:org/repo or gh:org/repo',
        'paved.dev/answers-file "answers.json" must name a YAML file (.yml or .yaml)',
      ],
    });
  });
});

describe('isTemplateVersion', () => {
  it.each([
    '1.2.3',
    'v1.2.3',
    'v1.2.3-rc.1',
    'v1.2.3-4-gdeadbee',
    'v1.0.0+build.5',
    // PEP 440, as copier reads tags
    'v1.2',
    'v1',
    '3',
    '1.2.3.post1',
    'v2.a2',
    '1.2.4.dev1',
    'v1.2-3-gabc1234',
    'deadbeef',
    'a'.repeat(40),
  ])('accepts %s', v => expect(isTemplateVersion(v)).toBe(true));
  it.each([
    '',
    'latest',
    'main',
    'release-1',
    'v1..2',
    'v1.2.x',
    'DEADBEEF',
    'a'.repeat(41),
  ])('rejects %s', v => expect(isTemplateVersion(v)).toBe(false));
});

describe('isSafeRelativePath', () => {
  it.each(['.copier-answers.yml', 'a/b/c.yml', 'a/.b.yml'])('accepts %s', p =>
    expect(isSafeRelativePath(p)).toBe(true),
  );
  it.each([
    '',
    '/etc/passwd',
    '../a.yml',
    'a/../../b.yml',
    'a//b.yml',
    'a\\b.yml',
    'a/',
  ])('rejects %s', p => expect(isSafeRelativePath(p)).toBe(false));
});
