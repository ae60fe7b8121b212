import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) =>
  parse(fs.readFileSync(path.join(root, file), 'utf8'));

/** Production as Backstage merges it: app-config.yaml, then app-config.production.yaml on top. */
const production = ConfigReader.fromConfigs([
  { context: 'app-config.yaml', data: read('app-config.yaml') },
  {
    context: 'app-config.production.yaml',
    data: read('app-config.production.yaml'),
  },
]);

describe('the production configuration', () => {
  it('never generates TechDocs inside the portal', () => {
    expect(production.getString('techdocs.builder')).toBe('external');
  });

  it('lets the frontend connect to its own origin only', () => {
    expect(production.getStringArray('backend.csp.connect-src')).toEqual([
      "'self'",
    ]);
  });

  it('offers OIDC and GitHub sign-in only (guest and development sign-in refuse outside development anyway)', () => {
    expect(production.getStringArray('paved.signIn.providers')).toEqual([
      'oidc',
      'github',
    ]);
    // Both resolve to catalog Users (so the permission policy sees their Groups); neither signs in an unknown user.
    for (const provider of ['oidc', 'github'])
      expect(
        production
          .getConfigArray(
            `auth.providers.${provider}.production.signIn.resolvers`,
          )
          .map(r => r.getString('resolver')),
      ).toEqual([
        provider === 'oidc'
          ? 'emailMatchingUserEntityProfileEmail'
          : 'usernameMatchingUserEntityName',
      ]);
  });

  it('keeps the permission policy on', () => {
    expect(production.getBoolean('permission.enabled')).toBe(true);
  });

  it('builds an image without the sandbox or local config', () => {
    const dockerfile = fs.readFileSync(
      path.join(root, 'packages/backend/Dockerfile'),
      'utf8',
    );
    const copied = dockerfile
      .split('\n')
      .filter(l => l.startsWith('COPY'))
      .join('\n');
    expect(copied).toContain('app-config.production.yaml');
    expect(copied).not.toMatch(
      /app-config\*|app-config\.sandbox|app-config\.local/,
    );
  });
});
