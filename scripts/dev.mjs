#!/usr/bin/env node
// The development portal: the Paved sandbox (local EKS and Kubernetes stand-ins) on :7440/:7441, then
// `backstage-cli repo start` with the sandbox's AWS identity, so the catalog discovers the sandbox's clusters and the
// Kubernetes plugin reaches them. Both stop together.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Development only: the sandbox's fixed, public identity (packages/sandbox/src/seed.ts), never a real credential.
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'AKIAPAVEDSANDBOX0001',
  AWS_SECRET_ACCESS_KEY: 'paved-sandbox-secret',
  AWS_REGION: 'eu-west-1',
};
delete env.AWS_SESSION_TOKEN;
delete env.AWS_PROFILE;

const children = [];
const stop = code => {
  for (const child of children)
    if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
};

const sandbox = spawn(
  path.join(root, 'packages/cli/bin/paved'),
  [
    'sandbox',
    'start',
    '--port',
    '7440',
    '--templates',
    'templates',
    '--platform',
    'platform',
  ],
  {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
children.push(sandbox);
sandbox.on('exit', code => stop(code ?? 1));
sandbox.stdout.on('data', chunk => {
  process.stdout.write(chunk);
  if (children.length === 1 && String(chunk).includes('Paved sandbox up')) {
    // app-config.sandbox.yaml points GitHub, EKS, GitOps and the cluster locator at the sandbox. With --built (start.sh)
    // only the backend runs, serving the production frontend build.
    const built = process.argv.includes('--built');
    const files = ['app-config.yaml', 'app-config.sandbox.yaml'];
    if (built) files.push('app-config.start.yaml');
    const config = files.flatMap(file => ['--config', path.join(root, file)]);
    const args = process.argv.slice(2).filter(a => a !== '--built');
    const portal = spawn(
      'yarn',
      built
        ? ['workspace', 'backend', 'start', ...config, ...args]
        : ['start', ...config, ...args],
      {
        cwd: root,
        env,
        stdio: 'inherit',
      },
    );
    children.push(portal);
    portal.on('exit', code => stop(code ?? 0));
  }
});
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
