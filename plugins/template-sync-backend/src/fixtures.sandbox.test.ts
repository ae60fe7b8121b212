import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeProvenance } from '@paved/plugin-paved-node';
import { renderedServiceFixture } from '@paved/sandbox';
import { type FleetSandbox, startFleetSandbox } from './__testUtils__/fleet';

jest.setTimeout(60_000);

// The development sandbox seeds service repositories as if scaffolded (packages/sandbox/src/fixtures.ts); they must be
// exactly what the engine and paved:template:fetch write, or the first update would see edits nobody made.
describe('the sandbox seed of scaffolded services', () => {
  let fleet: FleetSandbox;
  beforeAll(async () => {
    fleet = await startFleetSandbox();
  });
  afterAll(() => fleet?.sandbox.close());

  it.each(['v1.0.0', 'v2.0.0'] as const)(
    'equals a render at %s with provenance',
    async version => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-seed-'));
      try {
        await fleet.templates.render({
          source: fleet.source,
          version,
          values: { name: 'payments-api' },
          targetDir: dir,
        });
        await writeProvenance(
          path.join(dir, 'catalog-info.yaml'),
          { source: fleet.source, version, answersFile: '.copier-answers.yml' },
          'set',
        );
        const expected = renderedServiceFixture({
          name: 'payments-api',
          version,
          srcPath: fleet.source,
        });
        const rendered = await Promise.all(
          expected.map(async f => ({
            path: f.path,
            content: await fs.readFile(path.join(dir, f.path), 'utf8'),
          })),
        );
        expect(rendered).toEqual(expected);
        const all = await fs.readdir(dir, { recursive: true });
        expect(all.filter(p => !p.endsWith('config')).sort()).toEqual(
          expected.map(f => f.path).sort(),
        );
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
  );
});
