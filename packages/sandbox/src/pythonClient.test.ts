import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Sandbox, startSandbox } from './index';
import { writeKubeconfig } from './__testUtils__/kubeconfig';

jest.setTimeout(120_000);

const PYTHON = '/usr/bin/python3';
const available = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import kubernetes'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!available) {
  // CI installs it (.ci/run); on a laptop: apt-get install python3-kubernetes.
  // eslint-disable-next-line no-console
  console.warn(
    'Skipping the Python client conformance suite: install the Debian package python3-kubernetes',
  );
}

/**
 * The official Kubernetes Python client (python3-kubernetes, generated from the Kubernetes OpenAPI spec) against
 * the Kubernetes stand-in: create, read, conflicts, strategic merge and JSON patches, replace with a stale
 * resourceVersion, list by label, dry run, delete, and the seeded workloads — over TLS with an EKS token.
 */
(available ? describe : describe.skip)(
  'the official Python client against the Kubernetes stand-in',
  () => {
    let sandbox: Sandbox;
    let dir: string;

    beforeAll(async () => {
      sandbox = await startSandbox();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-python-'));
    });
    afterAll(async () => {
      await sandbox?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('does what it does against a real cluster', async () => {
      const kubeconfig = await writeKubeconfig(
        sandbox,
        'prod-eu',
        path.join(dir, 'kubeconfig'),
      );
      const { stdout } = await promisify(execFile)(
        PYTHON,
        [path.join(__dirname, '__conformance__/python_client.py'), kubeconfig],
        { timeout: 90_000, env: { PATH: process.env.PATH, HOME: dir } },
      );
      expect(JSON.parse(stdout)).toEqual({
        created: 'py-ns',
        phase: 'Active',
        again: [409, 'AlreadyExists'],
        data: { a: '9', b: '2' },
        listed: ['cfg'],
        replaced: { a: '9', b: '2', c: '3' },
        stale: [409, 'Conflict'],
        dry: 'py-dry',
        dryStored: 404,
        // orders-api is degraded on prod-eu: one of its two pods is ready.
        seeded: [['orders-api', 1]],
        deleted: 404,
      });
    });
  },
);
