import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { parse } from 'yaml';
import { examples as fetchExamples } from './fetch.examples';
import { normaliseRepoUrl, parseFetchInput, parseUpdateInput } from './input';
import { examples as updateExamples } from './update.examples';
import { resolveRepoUrl } from '../shared/repoUrl';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [
        { host: 'github.com', token: 't' },
        {
          host: '127.0.0.1:7440',
          apiBaseUrl: 'http://127.0.0.1:7440/api/v3',
          token: 't',
        },
      ],
    },
  }),
);

describe('template actions: inputs', () => {
  it.each(fetchExamples.map(e => [e.description, e.example]))(
    'fetch example parses: %s',
    (_d, example) => {
      expect(() =>
        parseFetchInput(parse(example).steps[0].input),
      ).not.toThrow();
    },
  );

  it.each(updateExamples.map(e => [e.description, e.example]))(
    'update example parses: %s',
    (_d, example) => {
      expect(() =>
        parseUpdateInput(parse(example).steps[0].input),
      ).not.toThrow();
    },
  );

  it('reports every problem of an input at once, naming the action', () => {
    expect(() =>
      parseFetchInput({ source: '', targetPath: '/abs', values: 'x' }),
    ).toThrow(
      /^Invalid input to paved:template:fetch: source: .*; values: .*; targetPath: must be a relative path without "\.\."/,
    );
  });

  it.each([
    ['github.com?owner=acme&repo=orders', 'https://github.com/acme/orders'],
    ['github.com?repo=orders&owner=acme', 'https://github.com/acme/orders'],
    ['https://github.com/acme/orders.git', 'https://github.com/acme/orders'],
    ['https://github.com/acme/orders/', 'https://github.com/acme/orders'],
  ])('normalises %s', (value, url) => {
    expect(normaliseRepoUrl(value)).toBe(url);
  });

  it('clones a plain-HTTP integration over plain HTTP and refuses hosts without one', () => {
    expect(
      resolveRepoUrl(
        '127.0.0.1:7440?owner=paved-demo&repo=orders',
        integrations,
      ),
    ).toBe('http://127.0.0.1:7440/paved-demo/orders');
    expect(
      resolveRepoUrl('github.com?owner=acme&repo=orders', integrations),
    ).toBe('https://github.com/acme/orders');
    expect(() =>
      resolveRepoUrl('https://gitlab.example.com/a/b', integrations),
    ).toThrow('no SCM integration is configured for gitlab.example.com');
    expect(() =>
      resolveRepoUrl('ssh://git@github.com/a/b', integrations),
    ).toThrow('must be https://host/owner/repo');
  });
});
