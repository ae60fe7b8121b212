import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { TemplateError } from '../errors';
import { tempDir } from '../__testUtils__/repos';
import { commandTimeoutMs, setCommandTimeout } from './git';
import { cloneRepository, latestVersion } from './source';

/**
 * Real git against a Git host that misbehaves in the ways hosts do: answers 500 or 429, 404, or never answers. A
 * failing host is UNAVAILABLE (a 503 in the portal) after retries; a missing repository NOT_FOUND at once; a host that
 * never answers is stopped at the time limit.
 */
describe('remote git failures', () => {
  const root = tempDir();
  let server: http.Server;
  let base: string;
  const hits: Record<string, number> = {};
  const previous = commandTimeoutMs();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const repo = (req.url ?? '').split('/')[1];
      hits[repo] = (hits[repo] ?? 0) + 1;
      if (repo === 'busy.git') {
        res.writeHead(503).end('busy');
      } else if (repo === 'limited.git') {
        res.writeHead(429, { 'retry-after': '1' }).end('slow down');
      } else if (repo === 'flaky.git' && hits[repo] === 1) {
        res.writeHead(500).end('oops');
      } else if (repo === 'silent.git') {
        // never answers
      } else {
        res.writeHead(404).end('Repository not found');
      }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    setCommandTimeout(1_000);
  });
  afterAll(async () => {
    setCommandTimeout(previous);
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e as TemplateError,
    );

  it.each([
    ['busy.git', 'a host answering 503'],
    ['limited.git', 'a host answering 429'],
  ])(
    'reports %s (%s) as unavailable after three attempts',
    async repo => {
      const error = await refusal(latestVersion(`${base}/${repo}`));
      expect(error).toBeInstanceOf(TemplateError);
      expect(error!.code).toBe('UNAVAILABLE');
      expect(error!.message).toContain(
        'its Git host failed or did not answer, after retries',
      );
      expect(hits[repo]).toBe(3);
    },
    20_000,
  );

  it('reports a missing repository as not found, at once', async () => {
    const error = await refusal(latestVersion(`${base}/missing.git`));
    expect(error!.code).toBe('NOT_FOUND');
    expect(hits['missing.git']).toBe(1);
  });

  it('retries a host that failed once, and succeeds past it', async () => {
    // The second answer is a 404 here (no real repository), so the retry is what is observed.
    const error = await refusal(
      cloneRepository({
        url: `${base}/flaky.git`,
        dir: path.join(root, 'flaky'),
      }),
    );
    expect(hits['flaky.git']).toBe(2);
    expect(error!.code).toBe('NOT_FOUND');
  }, 20_000);

  it('stops a clone that never gets an answer at the time limit', async () => {
    const started = Date.now();
    const error = await refusal(
      cloneRepository({
        url: `${base}/silent.git`,
        dir: path.join(root, 'silent'),
      }),
    );
    expect(error!.code).toBe('UNAVAILABLE');
    expect(error!.message).toContain('took longer than 1 s and was stopped');
    // Three attempts of 1 s plus the 1 s and 3 s waits between them: far less than a hung request would take.
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 30_000);
});
