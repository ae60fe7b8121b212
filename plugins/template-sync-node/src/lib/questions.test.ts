import { parseTemplateConfig } from './config';
import { Jinja } from './jinja';
import { resolveAnswers } from './questions';

const jinja = new Jinja();
const questions = (yaml: string) => parseTemplateConfig(yaml).questions;

describe('resolveAnswers', () => {
  it('casts answers given as text to each question’s type', () => {
    const { values } = resolveAnswers(
      questions(
        'n: {type: int}\nf: {type: float}\nb: {type: bool}\nj: {type: json}\ny: {type: yaml}\ns: {type: str}\n',
      ),
      jinja,
      {
        data: {
          n: '3',
          f: '0.25',
          b: 'no',
          j: '{"a": [1]}',
          y: 'k: [x, y]',
          s: 42,
        },
      },
    );
    expect(values).toEqual({
      n: 3,
      f: 0.25,
      b: false,
      j: { a: [1] },
      y: { k: ['x', 'y'] },
      s: '42',
    });
  });

  it('accepts a subset of the choices for a multiselect question, and nothing else', () => {
    const qs = questions(
      'envs:\n  type: str\n  multiselect: true\n  choices: [dev, staging, prod]\n',
    );
    expect(
      resolveAnswers(qs, jinja, { data: { envs: '[dev, prod]' } }).values.envs,
    ).toEqual(['dev', 'prod']);
    expect(() =>
      resolveAnswers(qs, jinja, { data: { envs: ['dev', 'qa'] } }),
    ).toThrow(
      'answer "envs" must be one of "dev", "staging", "prod", got "qa"',
    );
  });

  it('refuses a choice disabled by its validator, with the validator’s reason', () => {
    const qs = questions(
      'tier: {type: str, default: gold}\nregion:\n  type: str\n  choices:\n    Europe: eu-west-1\n    China:\n      value: cn-north-1\n      validator: "{% if tier == \'gold\' %}not offered for gold{% endif %}"\n',
    );
    expect(() =>
      resolveAnswers(qs, jinja, {
        data: { region: 'cn-north-1' },
        defaults: true,
      }),
    ).toThrow(
      'answer "region": choice "cn-north-1" is not available: not offered for gold',
    );
    expect(
      resolveAnswers(qs, jinja, {
        data: { region: 'eu-west-1' },
        defaults: true,
      }).values.region,
    ).toBe('eu-west-1');
  });

  it('prefers given data over recorded answers over defaults, and renders defaults from earlier answers', () => {
    const qs = questions(
      'name: {type: str}\nslug: {type: str, default: "{{ name | lower }}"}\nport: {type: int, default: 80}\n',
    );
    const { values, recorded } = resolveAnswers(qs, jinja, {
      data: { port: '9090' },
      previous: { name: 'Payments', port: 8080 },
      defaults: true,
    });
    expect(values).toEqual({ name: 'Payments', slug: 'payments', port: 9090 });
    expect(recorded).toEqual(values);
  });
});
