import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TemplateError } from '../errors';
import { sh, tempDir, templateRepo } from '../__testUtils__/repos';
import { ESCAPE_PAYLOADS, EXECUTED_MARK } from '../testing/escapePayloads';
import { copyTemplate } from './copy';
import { probeIsolation } from './isolation';
import { updateInstance } from './update';

const CANARY = 'paved-canary-isolation-5c1e';

function listFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const abs = path.join(dir, rel);
    if (fs.statSync(abs).isFile()) out[rel] = fs.readFileSync(abs, 'latin1');
  }
  return out;
}

describe('rendering in the render process', () => {
  const root = tempDir();
  const isolation = { timeoutMs: 20_000, maxMemoryMb: 128 };

  it('renders exactly what the in-process engine renders', async () => {
    const src = templateRepo(path.join(root, 'same'), [
      {
        tag: 'v1.0.0',
        files: {
          'copier.yml':
            'name:\n  default: svc\ntier:\n  choices: [small, large]\n  default: small\n',
          '{{ name }}/README.md.jinja': '# {{ name }} ({{ tier }})\n',
          'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]),
          'run.sh': '#!/bin/sh\necho hi\n',
        },
      },
    ]);
    fs.chmodSync(path.join(src, 'run.sh'), 0o755);
    sh(src, 'add', '-A');
    sh(src, 'commit', '-q', '-m', 'exec');
    sh(src, 'tag', 'v1.0.1');
    const [inProcess, isolated] = [
      path.join(root, 'in'),
      path.join(root, 'iso'),
    ];
    const a = await copyTemplate({ src, dst: inProcess, defaults: true });
    const b = await copyTemplate({
      src,
      dst: isolated,
      defaults: true,
      isolation,
    });
    expect(b.written.sort()).toEqual(a.written.sort());
    expect(b.answers).toEqual(a.answers);
    const files = listFiles(isolated);
    expect(files).toEqual(listFiles(inProcess));
    expect(files['svc/README.md']).toBe('# svc (small)\n');
    expect(fs.statSync(path.join(isolated, 'run.sh')).mode & 0o111).not.toBe(0);
  });

  it('updates through it, with the same errors as in process', async () => {
    const src = templateRepo(path.join(root, 'upd'), [
      {
        tag: 'v1.0.0',
        files: {
          'copier.yml':
            'name:\n  default: svc\n  validator: "{% if name|length > 5 %}too long{% endif %}"\n',
          'a.txt.jinja': 'v1 {{ name }}\n',
        },
      },
      { tag: 'v1.1.0', files: { 'a.txt.jinja': 'v1.1 {{ name }}\n' } },
    ]);
    const dst = path.join(root, 'upd-out');
    await copyTemplate({
      src,
      dst,
      vcsRef: 'v1.0.0',
      defaults: true,
      isolation,
    });
    sh(dst, 'init', '-q', '-b', 'main');
    sh(dst, 'add', '-A');
    sh(dst, 'commit', '-q', '-m', 'init');
    const refused = await updateInstance({
      dst,
      data: { name: 'much-too-long' },
      isolation,
    }).catch(e => e);
    expect(refused).toBeInstanceOf(TemplateError);
    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.message).toMatch(/too long/);
    const report = await updateInstance({ dst, isolation });
    expect(report.to).toBe('v1.1.0');
    expect(fs.readFileSync(path.join(dst, 'a.txt'), 'utf8')).toBe('v1.1 svc\n');
  });

  it('runs with no environment, reads only the template and the engine, writes nothing, has no network', async () => {
    process.env.PAVED_CANARY = CANARY;
    const template = fs.mkdtempSync(path.join(root, 'tpl-'));
    fs.writeFileSync(path.join(template, 'copier.yml'), 'name: x\n');
    const secretDir = fs.mkdtempSync(path.join(root, 'secret-'));
    const repoRoot = path.resolve(__dirname, '../../../..');
    const facts = await probeIsolation(
      template,
      [template, secretDir, os.homedir(), '/etc', repoRoot],
      ['127.0.0.1', '169.254.169.254'],
    ).finally(() => delete process.env.PAVED_CANARY);
    expect(facts.env).toEqual([]);
    expect(facts.readable[template]).toBe(true);
    expect(facts.readable[secretDir]).toBe(false);
    expect(facts.readable['/etc']).toBe(false);
    expect(facts.readable[os.homedir()]).toBe(false);
    // The repository root holds app-config files; only its node_modules is code the process may read.
    expect(facts.readable[repoRoot]).toBe(false);
    expect(Object.values(facts.writable)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(facts.childProcess).toBe(false);
    expect(facts.worker).toBe(false);
    expect(facts.addons).toBe(false);
    expect(facts.connect).toEqual({
      '127.0.0.1': 'The render process has no network access',
      '169.254.169.254': 'The render process has no network access',
    });
  });

  /** Copies a one-file template with limits; what it threw, and whether anything was written. */
  async function limited(name: string, file: string, limits: object) {
    const src = templateRepo(path.join(root, name), [
      {
        tag: 'v1.0.0',
        files: { 'copier.yml': 'name: x\n', 'a.txt.jinja': file },
      },
    ]);
    const dst = path.join(root, `${name}-out`);
    const error = await copyTemplate({
      src,
      dst,
      defaults: true,
      isolation: limits,
    }).catch(e => e);
    return { error, written: fs.existsSync(dst) };
  }

  it('stops a render that takes too long', async () => {
    const { error, written } = await limited(
      'slow',
      '{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}',
      { timeoutMs: 1_500 },
    );
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(
      'Rendering the template did not finish within 1.5 s; it was stopped',
    );
    expect(written).toBe(false);
  });

  it('stops a render that needs too much memory', async () => {
    const { error, written } = await limited(
      'big',
      '{% for a in range(20000) %}{% for b in range(20000) %}{{ a }}-{{ b }}{% endfor %}{% endfor %}',
      { timeoutMs: 60_000, maxMemoryMb: 64 },
    );
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(
      'Rendering the template needed more than 64 MiB of memory; it was stopped',
    );
    expect(written).toBe(false);
  });

  // The whole corpus runs in process (jinjaSandbox.test.ts); here one payload of each family, each a process.
  const families = [
    ...new Map(ESCAPE_PAYLOADS.map(p => [p.family, p])).values(),
  ];
  it('renders an escape payload of every family inertly or refuses it', async () => {
    process.env.PAVED_CANARY = CANARY;
    try {
      // One template per payload: a refused payload fails its whole render.
      for (const payload of families) {
        const name = payload.name.replace(/\W+/g, '-');
        const src = templateRepo(path.join(root, `p-${name}`), [
          {
            tag: 'v1.0.0',
            files: {
              'copier.yml': 'name: x\n',
              'a.txt.jinja': payload.template,
            },
          },
        ]);
        const dst = path.join(root, `p-out-${name}`);
        const result = await copyTemplate({
          src,
          dst,
          defaults: true,
          isolation,
        }).catch(e => e);
        const said =
          result instanceof Error
            ? result.message
            : fs.readFileSync(path.join(dst, 'a.txt'), 'utf8');
        // Refused (the engine's own error) or rendered; either way no mark: the render process has no PAVED_CANARY,
        // so the mark is what would show execution there.
        expect(
          !(result instanceof Error) || result instanceof TemplateError,
        ).toBe(true);
        expect(said).not.toContain(EXECUTED_MARK);
      }
    } finally {
      delete process.env.PAVED_CANARY;
    }
    expect((globalThis as any).__pavedPwned).toBeUndefined();
  }, 60_000);
});
