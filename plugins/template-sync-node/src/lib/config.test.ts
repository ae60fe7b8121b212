import { DEFAULT_ANSWERS_FILE } from '@paved/plugin-paved-common';
import {
  COPIER_ANSWERS_FILE,
  DEFAULT_EXCLUDE,
  parseTemplateConfig,
} from './config';

it("the engine's default answers file is the one the portal reads", () => {
  expect(COPIER_ANSWERS_FILE).toBe(DEFAULT_ANSWERS_FILE);
});

describe('parseTemplateConfig', () => {
  it('reads questions in order, with shorthand defaults and inferred types, and copier’s defaults for settings', () => {
    const config = parseTemplateConfig(
      'name: my-svc\nport: 8080\nratio: 0.5\nenabled: true\ntags: [a]\nregion:\n  type: str\n  choices:\n    Europe: eu-west-1\n    US: us-east-1\n',
    );
    expect(config.questions.map(q => [q.name, q.type, q.default])).toEqual([
      ['name', 'str', 'my-svc'],
      ['port', 'int', 8080],
      ['ratio', 'float', 0.5],
      ['enabled', 'bool', true],
      ['tags', 'yaml', ['a']],
      ['region', 'str', undefined],
    ]);
    expect(config.questions[5].choices).toEqual([
      { label: 'Europe', value: 'eu-west-1' },
      { label: 'US', value: 'us-east-1' },
    ]);
    expect(config).toMatchObject({
      exclude: DEFAULT_EXCLUDE,
      answersFile: '.copier-answers.yml',
      templatesSuffix: '.jinja',
      skipIfExists: [],
      unsupported: [],
    });
  });

  it('merges several YAML documents and reports settings it does not implement', () => {
    const config = parseTemplateConfig(
      'a: 1\n---\n_jinja_extensions: [x]\n_exclude: ["*.tmp"]\n',
    );
    expect(config.questions.map(q => q.name)).toEqual(['a']);
    expect(config.exclude).toEqual(['*.tmp']);
    expect(config.unsupported).toEqual(['_jinja_extensions']);
  });

  it.each([
    ['- a\n', 'copier.yml: must be a mapping of questions and settings'],
    [
      'q: {type: date}\n',
      'copier.yml: question "q": type "date" is not one of str, int, float, bool, json, yaml',
    ],
    ['_migrations: nope\n', 'copier.yml: _migrations must be a list'],
    ['a: [unclosed\n', 'copier.yml: not valid YAML'],
  ])('explains what is wrong with %j', (text, message) => {
    expect(() => parseTemplateConfig(text)).toThrow(message);
  });
});
