import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModulePaved from '@paved/plugin-catalog-backend-module-paved';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

const repoRoot = path.resolve(__dirname, '../../..');
const backendDir = path.resolve(__dirname, '..');

/**
 * The catalog section of the real app-config.yaml, with file locations made absolute (they are written relative to
 * the backend process, which runs in packages/backend).
 */
function catalogConfig() {
  const appConfig = parseYaml(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  // Only the repository's own entities: entity providers (the sandbox's EKS) are tested in their own package.
  const { providers: _providers, ...catalog } = appConfig.catalog;
  catalog.locations = catalog.locations.map(
    (location: { type: string; target: string }) =>
      location.type === 'file'
        ? { ...location, target: path.resolve(backendDir, location.target) }
        : location,
  );
  return catalog;
}

/** Every workspace package, with the Component its catalog-info.yaml declares. */
function workspaceComponents() {
  return ['packages', 'plugins'].flatMap(parent =>
    fs
      .readdirSync(path.join(repoRoot, parent), { withFileTypes: true })
      .filter(
        dir =>
          dir.isDirectory() &&
          fs.existsSync(path.join(repoRoot, parent, dir.name, 'package.json')),
      )
      .map(dir => {
        const file = path.join(repoRoot, parent, dir.name, 'catalog-info.yaml');
        const docs = fs.existsSync(file)
          ? parseAllDocuments(fs.readFileSync(file, 'utf8')).map(doc =>
              doc.toJS(),
            )
          : [];
        const component = docs.find(doc => doc?.kind === 'Component');
        return {
          dir: `${parent}/${dir.name}`,
          name: component?.metadata?.name as string | undefined,
        };
      }),
  );
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

// On a laptop without PostgreSQL the PostgreSQL run shows up as skipped, with what to set, instead of vanishing.
if (!databases.supports('POSTGRES_15')) {
  it.skip('Paved catalog on POSTGRES_15: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (e.g. postgresql://postgres@127.0.0.1:5432) to run it', () => {});
}

describe('every workspace package', () => {
  it.each(workspaceComponents().map(c => [c.dir, c]))(
    '%s declares its Component in catalog-info.yaml',
    (_dir, c) => {
      expect(c.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    },
  );
});

describe.each(databases.eachSupportedId())(
  'Paved catalog on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;

    afterEach(async () => {
      await backend?.stop();
      backend = undefined;
    });

    it('stores the repository’s own entities and serves them back', async () => {
      const knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModulePaved,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: { catalog: catalogConfig() },
          }),
        ],
      });

      const expected = [
        'system:default/paved',
        'group:default/platform-team',
        ...workspaceComponents().map(c => `component:default/${c.name}`),
      ];

      const fetchEntities = async () => {
        const response = await request(backend!.server)
          .post('/api/catalog/entities/by-refs')
          .set('Authorization', mockCredentials.user.header())
          .send({ entityRefs: expected });
        expect(response.status).toBe(200);
        return response.body.items as Array<{
          kind: string;
          metadata: { name: string };
          spec: any;
          relations?: any[];
        } | null>;
      };

      // Processing is asynchronous: the location is read, then each entity it emits is processed and stitched.
      let items = await fetchEntities();
      for (
        let attempt = 0;
        attempt < 120 &&
        items.some(item => item === null || !item.relations?.length);
        attempt++
      ) {
        await new Promise(resolve => setTimeout(resolve, 250));
        items = await fetchEntities();
      }

      const byRef = Object.fromEntries(
        expected.map((ref, i) => [ref, items[i]]),
      );
      expect(
        Object.entries(byRef)
          .filter(([, entity]) => entity === null)
          .map(([ref]) => ref),
      ).toEqual([]);

      expect(byRef['system:default/paved']?.spec.owner).toBe(
        'group:platform-team',
      );
      for (const component of workspaceComponents()) {
        const entity = byRef[`component:default/${component.name}`];
        expect({
          ref: component.name,
          system: entity?.spec.system,
          owner: entity?.spec.owner,
        }).toEqual({
          ref: component.name,
          system: 'paved',
          owner: 'group:platform-team',
        });
        expect(entity?.relations).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              type: 'partOf',
              targetRef: 'system:default/paved',
            }),
            expect.objectContaining({
              type: 'ownedBy',
              targetRef: 'group:default/platform-team',
            }),
          ]),
        );
      }

      // The rows really are in this database, not only in a cache.
      const [{ count }] = await knex('final_entities').count({ count: '*' });
      expect(Number(count)).toBeGreaterThanOrEqual(expected.length);
    }, 90_000);
  },
);
