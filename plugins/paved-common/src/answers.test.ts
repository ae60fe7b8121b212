import { AnswersFileError, parseAnswersFile } from './answers';

describe('parseAnswersFile', () => {
  it('splits what copier writes into source, version, answers and copier keys', () => {
    const parsed = parseAnswersFile(
      [
        '# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY',
        '_commit: v1.2.0',
        '_src_path: https://github.com/acme/templates',
        '_copier_python: 3.11.7',
        'name: payments',
        'tier: gold',
        'replicas: 3',
        'clusters: [dev, prod]',
      ].join('\n'),
    );
    expect(parsed).toEqual({
      srcPath: 'https://github.com/acme/templates',
      commit: 'v1.2.0',
      answers: {
        name: 'payments',
        tier: 'gold',
        replicas: 3,
        clusters: ['dev', 'prod'],
      },
      meta: { _copier_python: '3.11.7' },
    });
  });

  it('accepts an instance without a recorded commit (rendered from a template outside Git)', () => {
    const parsed = parseAnswersFile(
      '_src_path: /srv/templates/service\nname: a\n',
    );
    expect(parsed.commit).toBeUndefined();
    expect(parsed).not.toHaveProperty('commit');
  });

  it('names the file and the missing key when _src_path is absent', () => {
    expect(() =>
      parseAnswersFile('name: a\n', 'svc/.copier-answers.yml'),
    ).toThrow(
      'svc/.copier-answers.yml is not a valid answers file: _src_path: _src_path is required',
    );
  });

  it('rejects a _commit that is not a string', () => {
    expect(() =>
      parseAnswersFile('_src_path: gh:acme/t\n_commit: 12\n'),
    ).toThrow(/_commit: _commit must be a string/);
  });

  it('rejects answer names that templates could not refer to', () => {
    let error: AnswersFileError | undefined;
    try {
      parseAnswersFile('_src_path: gh:acme/t\n"bad-name": 1\n"9lives": 2\n');
    } catch (e) {
      error = e as AnswersFileError;
    }
    expect(error).toBeInstanceOf(AnswersFileError);
    expect(error?.issues).toEqual([
      'bad-name: "bad-name" is not a valid answer name (letters, digits and _ only, not starting with a digit)',
      '9lives: "9lives" is not a valid answer name (letters, digits and _ only, not starting with a digit)',
    ]);
  });

  it.each([
    ['a list', '- a\n- b\n'],
    ['a scalar', 'just text\n'],
    ['an empty file', ''],
  ])(
    'rejects %s with a message saying a mapping is expected',
    (_what, text) => {
      expect(() => parseAnswersFile(text)).toThrow(
        '.copier-answers.yml must be a YAML mapping of answer names to values',
      );
    },
  );

  it('reports YAML syntax errors with the file name', () => {
    expect(() => parseAnswersFile('_src_path: [unclosed\n', 'a.yml')).toThrow(
      /^a\.yml is not valid YAML: /,
    );
  });
});
