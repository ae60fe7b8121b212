/**
 * Entry point of the render process (see `RenderIsolation`): receives one request from its parent, answers it and
 * exits. Started by the engine itself, never imported.
 *
 * @packageDocumentation
 */

import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import { TemplateError } from './errors';
import type { SandboxFacts, WorkerReply, WorkerRequest } from './lib/isolation';
import { renderData } from './lib/render';

// Node's permission model (the flags the parent starts us with) covers files, processes, threads and addons; sockets
// are shut here, before any template is read.
function refuseNetwork(): void {
  const refuse = () => {
    throw new Error('The render process has no network access');
  };
  const shut: Array<[object, string[]]> = [
    [net.Socket.prototype, ['connect']],
    [net.Server.prototype, ['listen']],
    [dgram.Socket.prototype, ['bind', 'connect', 'send']],
  ];
  for (const [proto, keys] of shut) {
    for (const key of keys) {
      Object.defineProperty(proto, key, {
        value: refuse,
        writable: false,
        configurable: false,
      });
    }
  }
}

function reply(message: WorkerReply): void {
  process.send!(message, () => process.exit(0));
}

function probe(paths: string[], hosts: string[]): SandboxFacts {
  const permission = process.permission!;
  const connect: Record<string, string> = {};
  for (const host of hosts) {
    try {
      net.connect({ host, port: 80 }).destroy();
      connect[host] = 'connected';
    } catch (error) {
      connect[host] = (error as Error).message;
    }
  }
  const readable: Record<string, boolean> = {};
  const writable: Record<string, boolean> = {};
  for (const p of paths) {
    let canRead = permission.has('fs.read', p);
    try {
      fs.readdirSync(p);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_ACCESS_DENIED') {
        canRead = false;
      }
    }
    readable[p] = canRead;
    writable[p] = permission.has('fs.write', p);
  }
  return {
    env: Object.keys(process.env),
    readable,
    writable,
    childProcess: permission.has('child'),
    worker: permission.has('worker'),
    addons: addonsAllowed(),
    connect,
  };
}

function addonsAllowed(): boolean {
  try {
    process.dlopen({ exports: {} }, '/nonexistent/addon.node');
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ERR_DLOPEN_DISABLED';
  }
}

refuseNetwork();
process.on('disconnect', () => process.exit(1));
process.once('message', (request: WorkerRequest) => {
  if (request.type === 'probe') {
    reply({ type: 'probe', facts: probe(request.paths, request.hosts) });
    return;
  }
  renderData(request.options).then(
    data => reply({ type: 'result', data }),
    error =>
      reply({
        type: 'error',
        code: error instanceof TemplateError ? error.code : undefined,
        message: String((error as Error)?.message ?? error),
      }),
  );
});
