import { canonicalSource, isAllowedSource } from './sources';

describe('template sources', () => {
  const allowed = [
    'https://github.com/acme/templates',
    'http://127.0.0.1:7440/paved-demo',
    'https://git.example.com/platform/all//python',
  ];

  it.each([
    ['https://github.com/acme/templates', true],
    ['https://github.com/acme/templates.git', true],
    ['https://github.com/acme/templates/', true],
    ['https://github.com/acme/templates//typescript-service', true],
    ['https://github.com/acme/templates/sub', true],
    ['HTTPS://GitHub.COM:443/acme/templates', true],
    ['https://github.com/acme/./templates', true],
    ['https://github.com/acme/x/../templates', true],
    ['https://github.com/acme/%74emplates', true],
    ['gh:acme/templates', true],
    [
      'http://127.0.0.1:7440/paved-demo/templates.git//typescript-service',
      true,
    ],
    ['https://git.example.com/platform/all//python', true],
    ['https://git.example.com/platform/all//python/v2', true],
    // look-alikes
    ['https://github.com/acme/templates-evil', false],
    ['https://github.com/acme', false],
    ['https://github.com.evil.example/acme/templates', false],
    ['https://github.com@evil.example/acme/templates', false],
    ['http://github.com/acme/templates', false],
    ['https://github.com:8443/acme/templates', false],
    ['https://git.example.com/platform/all', false],
    ['https://git.example.com/platform/all//pythonic', false],
    ['/srv/templates', false],
    // dot segments and encodings that lead elsewhere
    ['http://127.0.0.1:7440/paved-demo/../paved-bot/x.git', false],
    ['https://github.com/acme/templates/../../attacker/evil.git', false],
    ['https://github.com/acme/templates/%2e%2e/%2e%2e/attacker/evil', false],
    ['https://github.com/acme/templates/%2E%2E/evil', false],
    ['https://github.com/acme/templates%2f..%2f..%2fattacker%2fevil', false],
    ['https://github.com/acme/templates%5c..%5cevil', false],
    ['https://github.com/acme/templates/..%2fevil', false],
    ['https://github.com/acme/templates//../../attacker/evil', false],
    // credentials, queries and other schemes
    ['https://token@github.com/acme/templates', false],
    ['https://user:pass@github.com/acme/templates', false],
    ['https://github.com/acme/templates?ref=x', false],
    ['https://github.com/acme/templates#x', false],
    ['ext::sh -c touch% /tmp/pwned', false],
    ['file:///etc', false],
    ['--upload-pack=touch /tmp/pwned', false],
    ['https://github.com/acme/templates\u0000/x', false],
    ['', false],
  ])('%s allowed: %s', (source, expected) => {
    expect(isAllowedSource(source, allowed)).toBe(expected);
  });

  it('allows nothing when no sources are configured', () => {
    expect(isAllowedSource('https://github.com/acme/templates', [])).toBe(
      false,
    );
    expect(isAllowedSource('https://github.com/acme/templates', [''])).toBe(
      false,
    );
  });

  it.each([
    [
      'HTTPS://GitHub.com:443/acme/x/../templates.git',
      'https://github.com/acme/templates.git',
    ],
    ['gh:acme/templates//python/', 'https://github.com/acme/templates//python'],
    [
      'git@github.com:acme/templates.git',
      'ssh://git@github.com/acme/templates.git',
    ],
    [
      'http://127.0.0.1:7440/a/%7Euser%20x',
      'http://127.0.0.1:7440/a/~user%20x',
    ],
    ['/srv/./templates/../tpl', '/srv/tpl'],
  ])('spells %s as %s', (source, canonical) => {
    expect(canonicalSource(source).source).toBe(canonical);
  });

  it.each([
    ['https://token@github.com/acme/templates', 'carries credentials'],
    ['https://github.com/acme/templates?x=1', 'query or fragment'],
    ['ftp://github.com/acme/templates', 'uses ftp:'],
    ['acme/templates', 'must be an https URL'],
    ['https://github.com/a/..%2fb', 'encoded'],
    ['https://github.com/', 'names no repository'],
    [`https://github.com/${'a'.repeat(3000)}`, 'longer than 2048'],
  ])('refuses %s: %s', (source, message) => {
    expect(() => canonicalSource(source)).toThrow(message);
    // The error quotes at most a short prefix of what it was given.
    expect(() => canonicalSource(source)).not.toThrow(/a{100}/);
  });
});
