import fs from 'node:fs';
import path from 'node:path';

describe('packages/backend/src/index.ts', () => {
  // `backstage-cli new` appends a backend.add line for every new module; a second one stops the backend at start-up.
  it('adds every feature exactly once', () => {
    const source = fs.readFileSync(path.join(__dirname, 'index.ts'), 'utf8');
    const added = [
      ...source.matchAll(/backend\.add\(\s*import\('([^']+)'\)/g),
    ].map(m => m[1]);
    expect(added.length).toBeGreaterThan(10);
    expect(added.filter((name, i) => added.indexOf(name) !== i)).toEqual([]);
    expect(added).toContain('@paved/plugin-catalog-backend-module-paved');
  });
});
