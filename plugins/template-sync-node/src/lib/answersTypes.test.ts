import path from 'node:path';
import { TemplateError } from '../errors';
import { tempDir, templateRepo } from '../__testUtils__/repos';
import { copyTemplate } from './copy';

describe('answers of the wrong type', () => {
  const root = tempDir();
  const src = templateRepo(path.join(root, 'template'), [
    {
      tag: 'v1.0.0',
      files: {
        'copier.yml': [
          'name: { type: str }',
          'replicas: { type: int, default: 1 }',
          'ratio: { type: float, default: 0.5 }',
          'enabled: { type: bool, default: false }',
          'settings: { type: yaml, default: {} }',
          'extra: { type: json, default: "{}" }',
          'tier: { type: str, choices: [small, large], default: small }',
          'zones: { type: str, multiselect: true, choices: [a, b], default: [a] }',
        ].join('\n'),
        'out.txt.jinja': '{{ name }} {{ replicas }} {{ settings }}',
      },
    },
  ]);

  it.each([
    ['an int that is text', { name: 'x', replicas: 'many' }],
    ['a float that is a list', { name: 'x', ratio: [1] }],
    ['a bool that is text', { name: 'x', enabled: 'perhaps' }],
    ['YAML that does not parse', { name: 'x', settings: '{ a: [' }],
    ['JSON that does not parse', { name: 'x', extra: '{"a":' }],
    ['a str that is an object', { name: { nested: true } }],
    ['a str that is a list', { name: ['a', 'b'] }],
    ['a choice that is not offered', { name: 'x', tier: 'huge' }],
    ['a multiselect that is text', { name: 'x', zones: 'a' }],
    ['a multiselect with an unknown choice', { name: 'x', zones: ['c'] }],
  ])('refuses %s as a bad input, writing nothing', async (_what, data) => {
    const dst = path.join(root, `out-${Math.random()}`);
    const error = await copyTemplate({ src, dst, data, defaults: true }).catch(
      e => e,
    );
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.code).toBe('INVALID_INPUT');
  });
});
