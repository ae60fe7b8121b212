import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { copyTemplate } from './copy';
import { updateInstance } from './update';
import { checkInstance } from './check';
import {
  commitAll,
  exists,
  read,
  release,
  sh,
  tempDir,
  templateRepo,
  writeFiles,
} from '../__testUtils__/repos';

const root = tempDir();
let counter = 0;

const BASE_FILES = {
  'copier.yml':
    'name: {type: str, default: svc}\n_skip_if_exists: [local.cfg]\n',
  'app.txt.jinja':
    'line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nname={{ name }}\n',
  'config.yml': 'a: 1\nb: 2\nc: 3\n',
  'old.txt': 'to be removed upstream\n',
  'kept-old.txt': 'removed upstream but edited here\n',
  'drop-me.txt': 'deleted by the service\n',
  'local.cfg': 'template default\n',
  'generated/out.txt': 'generated\n',
  'image.png': Buffer.from([137, 80, 78, 71, 0, 1, 2]),
};

/** A template at v1.0.0 and v2.0.0, and a service made from v1.0.0 and committed. */
async function setup(
  v2: Record<string, string | Buffer | null>,
  serviceEdits: Record<string, string | Buffer | null> = {},
) {
  const id = ++counter;
  const tpl = templateRepo(path.join(root, `tpl-${id}`), [
    { tag: 'v1.0.0', files: BASE_FILES },
  ]);
  const svc = path.join(root, `svc-${id}`);
  await copyTemplate({ src: tpl, dst: svc, defaults: true });
  commitAll(svc, 'from template');
  writeFiles(svc, serviceEdits);
  commitAll(svc, 'service edits');
  release(tpl, 'v2.0.0', v2);
  return { tpl, svc };
}

describe('updateInstance', () => {
  it('merges non-overlapping edits of the service and the template cleanly', async () => {
    const { svc } = await setup(
      {
        'app.txt.jinja':
          'line 1 (template v2)\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nname={{ name }}\n',
      },
      {
        'app.txt':
          'line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8 (service)\nname=svc\n',
      },
    );
    const report = await updateInstance({ dst: svc });
    expect(report).toMatchObject({
      from: 'v1.0.0',
      to: 'v2.0.0',
      upToDate: false,
      conflicts: 0,
    });
    expect(report.changes).toEqual([{ path: 'app.txt', status: 'modified' }]);
    expect(read(svc, 'app.txt')).toBe(
      'line 1 (template v2)\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8 (service)\nname=svc\n',
    );
    expect(parseYaml(read(svc, '.copier-answers.yml'))._commit).toBe('v2.0.0');
  });

  it('turns overlapping edits into inline conflict markers', async () => {
    const { svc } = await setup(
      { 'config.yml': 'a: 1\nb: template\nc: 3\n' },
      { 'config.yml': 'a: 1\nb: service\nc: 3\n' },
    );
    const report = await updateInstance({ dst: svc });
    expect(report.changes).toEqual([
      { path: 'config.yml', status: 'conflict', conflict: 'inline' },
    ]);
    expect(report.conflicts).toBe(1);
    expect(read(svc, 'config.yml')).toBe(
      'a: 1\n<<<<<<< before updating\nb: service\n=======\nb: template\n>>>>>>> after updating\nc: 3\n',
    );
  });

  it('records inline conflicts as unmerged in git’s index, as copier does (git status: UU)', async () => {
    const { svc } = await setup(
      { 'config.yml': 'a: 1\nb: template\nc: 3\n' },
      { 'config.yml': 'a: 1\nb: service\nc: 3\n' },
    );
    await updateInstance({ dst: svc });
    expect(sh(svc, 'status', '--porcelain')).toContain('UU config.yml');
    // The three sides are git's stages: the last update, the service's, the template's new text.
    expect(sh(svc, 'show', ':1:config.yml')).toBe('a: 1\nb: 2\nc: 3\n');
    expect(sh(svc, 'show', ':2:config.yml')).toBe('a: 1\nb: service\nc: 3\n');
    expect(sh(svc, 'show', ':3:config.yml')).toBe('a: 1\nb: template\nc: 3\n');
    // Resolving is what git expects: edit, add, and the file is merged.
    fs.writeFileSync(path.join(svc, 'config.yml'), 'a: 1\nb: both\nc: 3\n');
    sh(svc, 'add', 'config.yml');
    expect(sh(svc, 'status', '--porcelain', 'config.yml')).toBe(
      'M  config.yml\n',
    );
  });

  it('with conflict=rej writes the template’s text and puts the service’s rejected change in a .rej, as copier', async () => {
    const { svc } = await setup(
      {
        'config.yml': 'a: 1\nb: template\nc: 3\n',
        'app.txt.jinja':
          'line 1\nline 2\nline 3 (template)\nline 4\nline 5\nline 6\nline 7\nline 8\nname={{ name }}\n',
      },
      {
        'config.yml': 'a: 1\nb: service\nc: 3\n',
        // one hunk that conflicts, one that still applies
        'app.txt':
          'line 1\nline 2\nline 3 (service)\nline 4\nline 5\nline 6\nline 7 (service)\nline 8\nname=svc\n',
      },
    );
    // One line of context keeps the two changes of app.txt apart (with copier's CLI default of 3 they are one hunk).
    const report = await updateInstance({
      dst: svc,
      conflict: 'rej',
      contextLines: 1,
    });
    expect(report.changes).toEqual([
      { path: 'app.txt', status: 'conflict', conflict: 'rej' },
      { path: 'config.yml', status: 'conflict', conflict: 'rej' },
    ]);
    expect(read(svc, 'config.yml')).toBe('a: 1\nb: template\nc: 3\n');
    const rej = read(svc, 'config.yml.rej');
    expect(rej).toMatch(
      /^diff a\/config\.yml b\/config\.yml\t\(rejected hunks\)\n@@/,
    );
    expect(rej).toContain('-b: 2\n+b: service\n');
    // The service's change that still applies is applied; only the conflicting hunk waits in the .rej.
    expect(read(svc, 'app.txt')).toBe(
      'line 1\nline 2\nline 3 (template)\nline 4\nline 5\nline 6\nline 7 (service)\nline 8\nname=svc\n',
    );
    expect(read(svc, 'app.txt.rej')).toContain('+line 3 (service)');
    expect(read(svc, 'app.txt.rej')).not.toContain('line 7 (service)');
    // Not recorded as unmerged: rej mode leaves the index alone.
    expect(sh(svc, 'status', '--porcelain')).not.toContain('UU');
  });

  it('keeps local deletions, removes unchanged files deleted upstream, keeps edited ones, never touches service-only files', async () => {
    const { svc } = await setup(
      {
        'old.txt': null,
        'kept-old.txt': null,
        'drop-me.txt': 'template changed it\n',
        'new.txt': 'new in v2\n',
      },
      {
        'drop-me.txt': null,
        'kept-old.txt': 'edited by the service\n',
        'service-only.txt': 'mine\n',
      },
    );
    const report = await updateInstance({ dst: svc });
    expect(report.changes).toEqual([
      { path: 'new.txt', status: 'added' },
      { path: 'old.txt', status: 'deleted' },
    ]);
    expect(report.kept).toEqual([
      { path: 'drop-me.txt', reason: 'deleted-locally' },
      { path: 'kept-old.txt', reason: 'edited-locally-deleted-upstream' },
    ]);
    expect(exists(svc, 'old.txt')).toBe(false);
    expect(exists(svc, 'drop-me.txt')).toBe(false);
    expect(read(svc, 'kept-old.txt')).toBe('edited by the service\n');
    expect(read(svc, 'service-only.txt')).toBe('mine\n');
    expect(read(svc, 'new.txt')).toBe('new in v2\n');
  });

  it('never overwrites _skip_if_exists files and leaves newly excluded paths alone', async () => {
    const { svc } = await setup(
      {
        'copier.yml':
          'name: {type: str, default: svc}\n_skip_if_exists: [local.cfg]\n_exclude: [copier.yml, generated]\n',
        'local.cfg': 'template v2 default\n',
      },
      { 'local.cfg': 'service setting\n' },
    );
    const report = await updateInstance({ dst: svc });
    expect(report.kept).toEqual([
      { path: 'generated/out.txt', reason: 'newly-excluded' },
      { path: 'local.cfg', reason: 'skip-if-exists' },
    ]);
    expect(read(svc, 'local.cfg')).toBe('service setting\n');
    expect(read(svc, 'generated/out.txt')).toBe('generated\n');
  });

  it('does not silently revert a binary file the service changed', async () => {
    const { svc } = await setup(
      { 'image.png': Buffer.from([137, 80, 78, 71, 0, 9, 9]) },
      { 'image.png': Buffer.from([137, 80, 78, 71, 0, 7, 7]) },
    );
    const report = await updateInstance({ dst: svc });
    expect(report.changes).toEqual([
      { path: 'image.png', status: 'conflict', conflict: 'binary' },
    ]);
    expect(fs.readFileSync(path.join(svc, 'image.png'))).toEqual(
      Buffer.from([137, 80, 78, 71, 0, 7, 7]),
    );
    expect(fs.readFileSync(path.join(svc, 'image.png.rej'))).toEqual(
      Buffer.from([137, 80, 78, 71, 0, 9, 9]),
    );
  });

  it('takes the template’s binary when the service did not change it', async () => {
    const { svc } = await setup({
      'image.png': Buffer.from([137, 80, 78, 71, 0, 9, 9]),
    });
    const report = await updateInstance({ dst: svc });
    expect(report.changes).toEqual([{ path: 'image.png', status: 'modified' }]);
    expect(fs.readFileSync(path.join(svc, 'image.png'))).toEqual(
      Buffer.from([137, 80, 78, 71, 0, 9, 9]),
    );
  });

  it('re-renders with changed answers', async () => {
    const { svc } = await setup({ 'extra.txt': 'x\n' });
    const report = await updateInstance({
      dst: svc,
      data: { name: 'renamed' },
    });
    expect(report.answersChanged).toEqual(['name']);
    expect(read(svc, 'app.txt')).toContain('name=renamed\n');
    expect(parseYaml(read(svc, '.copier-answers.yml')).name).toBe('renamed');
  });

  it('refuses a dirty instance and changes nothing', async () => {
    const { svc } = await setup({ 'config.yml': 'a: 9\nb: 2\nc: 3\n' });
    fs.writeFileSync(path.join(svc, 'uncommitted.txt'), 'wip');
    const error = await updateInstance({ dst: svc }).catch(e => e);
    expect(error).toMatchObject({ code: 'DIRTY' });
    expect(error.message).toContain(
      'has uncommitted changes (uncommitted.txt); commit or stash them first',
    );
    expect(read(svc, 'config.yml')).toBe('a: 1\nb: 2\nc: 3\n');
    expect(parseYaml(read(svc, '.copier-answers.yml'))._commit).toBe('v1.0.0');
  });

  it('refuses a downgrade', async () => {
    const { svc } = await setup({ 'config.yml': 'a: 9\nb: 2\nc: 3\n' });
    await updateInstance({ dst: svc });
    commitAll(svc, 'update');
    const error = await updateInstance({ dst: svc, vcsRef: 'v1.0.0' }).catch(
      e => e,
    );
    expect(error).toMatchObject({
      code: 'DOWNGRADE',
      message:
        '.copier-answers.yml is at v2.0.0; updating to v1.0.0 would be a downgrade',
    });
  });

  it('reports an instance already at the newest version as up to date without writing', async () => {
    const { svc } = await setup({});
    await updateInstance({ dst: svc });
    commitAll(svc, 'update');
    const report = await updateInstance({ dst: svc });
    expect(report).toMatchObject({
      upToDate: true,
      from: 'v2.0.0',
      to: 'v2.0.0',
      changes: [],
    });
    expect(sh(svc, 'status', '--porcelain')).toBe('');
  });

  it('refuses to update through a symlink and writes nothing', async () => {
    const { svc } = await setup({
      'config.yml': 'a: 9\nb: 2\nc: 3\n',
      'generated/out.txt': 'v2\n',
    });
    fs.rmSync(path.join(svc, 'generated'), { recursive: true });
    fs.symlinkSync(root, path.join(svc, 'generated'));
    commitAll(svc, 'symlink');
    const error = await updateInstance({ dst: svc }).catch(e => e);
    expect(error).toMatchObject({ code: 'UNSAFE' });
    expect(read(svc, 'config.yml')).toBe('a: 1\nb: 2\nc: 3\n');
  });

  it('dry run reports the changes and writes nothing', async () => {
    const { svc } = await setup({ 'config.yml': 'a: 9\nb: 2\nc: 3\n' });
    const report = await updateInstance({ dst: svc, dryRun: true });
    expect(report.changes).toEqual([
      { path: 'config.yml', status: 'modified' },
    ]);
    expect(sh(svc, 'status', '--porcelain')).toBe('');
  });

  it('runs copier 9 style migrations in the stage their `when` selects', async () => {
    const { svc } = await setup({
      'copier.yml':
        'name: {type: str, default: svc}\n_migrations:\n  - version: v2.0.0\n    command: "echo {{ _stage }} >> stages"\n    when: "{{ _stage == \'before\' }}"\n  - version: v2.0.0\n    command: "echo default >> stages"\n',
    });
    const report = await updateInstance({ dst: svc, trust: true });
    expect(report.migrations).toEqual(['v2.0.0 before', 'v2.0.0 after']);
    expect(read(svc, 'stages')).toBe('before\ndefault\n');
  });

  it('refuses migrations without trust and runs them, gated by version, with trust', async () => {
    const { svc } = await setup({
      'copier.yml':
        'name: {type: str, default: svc}\n_migrations:\n  - version: v0.5.0\n    before: ["touch too-old"]\n  - version: v2.0.0\n    before: ["echo $VERSION_FROM > migrated-from"]\n    after: ["touch after-ran"]\n',
    });
    const refused = await updateInstance({ dst: svc }).catch(e => e);
    expect(refused).toMatchObject({ code: 'UNSAFE' });
    expect(refused.message).toContain(
      'migrations (v2.0.0) between v1.0.0 and v2.0.0',
    );

    const report = await updateInstance({ dst: svc, trust: true });
    expect(report.migrations).toEqual(['v2.0.0 before', 'v2.0.0 after']);
    expect(read(svc, 'migrated-from')).toBe('v1.0.0\n');
    expect(exists(svc, 'after-ran')).toBe(true);
    expect(exists(svc, 'too-old')).toBe(false);
  });

  it('updates several instances in one repository independently (monorepo)', async () => {
    const tpl = templateRepo(path.join(root, 'tpl-mono'), [
      {
        tag: 'v1.0.0',
        files: {
          'copier.yml': 'name: {type: str}\n',
          'svc.txt.jinja': '{{ name }} v1\n',
        },
      },
    ]);
    const mono = path.join(root, 'mono');
    await copyTemplate({
      src: tpl,
      dst: path.join(mono, 'services/a'),
      data: { name: 'a' },
    });
    await copyTemplate({
      src: tpl,
      dst: path.join(mono, 'services/b'),
      data: { name: 'b' },
    });
    await copyTemplate({
      src: tpl,
      dst: mono,
      data: { name: 'root' },
      answersFile: '.copier-answers.root.yml',
    });
    commitAll(mono, 'three instances');
    release(tpl, 'v1.1.0', { 'svc.txt.jinja': '{{ name }} v1.1\n' });

    await updateInstance({ dst: path.join(mono, 'services/a') });
    expect(read(mono, 'services/a/svc.txt')).toBe('a v1.1\n');
    expect(read(mono, 'services/b/svc.txt')).toBe('b v1\n');
    expect(
      parseYaml(read(mono, 'services/b/.copier-answers.yml'))._commit,
    ).toBe('v1.0.0');

    // a's update is not committed yet: that does not block b, a sibling…
    await updateInstance({
      dst: path.join(mono, 'services/b'),
      vcsRef: 'v1.0.0',
    });
    // …but it does block the root instance, whose tree contains services/a.
    const blocked = await updateInstance({
      dst: mono,
      answersFile: '.copier-answers.root.yml',
    }).catch(e => e);
    expect(blocked).toMatchObject({ code: 'DIRTY' });
    commitAll(mono, 'a updated');
    await updateInstance({
      dst: mono,
      answersFile: '.copier-answers.root.yml',
    });
    expect(read(mono, 'svc.txt')).toBe('root v1.1\n');
    expect(parseYaml(read(mono, '.copier-answers.root.yml'))._commit).toBe(
      'v1.1.0',
    );
    expect(
      parseYaml(read(mono, 'services/b/.copier-answers.yml'))._commit,
    ).toBe('v1.0.0');
  });
});

describe('checkInstance', () => {
  it('says whether an instance is behind and what the newest version is', async () => {
    const { svc, tpl } = await setup({});
    expect(await checkInstance({ dst: svc })).toMatchObject({
      current: 'v1.0.0',
      latest: 'v2.0.0',
      behind: true,
    });
    release(tpl, 'v2.1.0-beta.1', {});
    expect(await checkInstance({ dst: svc, prereleases: true })).toMatchObject({
      latest: 'v2.1.0-beta.1',
      behind: true,
    });
    await updateInstance({ dst: svc });
    commitAll(svc, 'updated');
    expect(await checkInstance({ dst: svc })).toMatchObject({
      current: 'v2.0.0',
      latest: 'v2.0.0',
      behind: false,
    });
  });

  it('reports a missing answers file as NOT_FOUND', async () => {
    await expect(checkInstance({ dst: root })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
