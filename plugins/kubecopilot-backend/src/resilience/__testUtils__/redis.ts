import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const REDIS_SERVER = '/usr/bin/redis-server';
export const hasRedis = () => existsSync(REDIS_SERVER);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise(done => server.close(done));
  return port;
}

/** A throwaway redis-server on a loopback port, no persistence. */
export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kubecopilot-redis-'));
  const child: ChildProcess = spawn(
    REDIS_SERVER,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>(done => child.once('exit', () => done()));
  // Ready once it accepts a connection.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>(done => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
      socket.connect(port, '127.0.0.1');
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await new Promise(r => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    /** Freezes the server: connections stay open, nothing answers. */
    pause() {
      child.kill('SIGSTOP');
    },
    resume() {
      child.kill('SIGCONT');
    },
    async stop() {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * @keyv/redis 4 (the store behind `backend.cache.store: redis`) puts no
 * 'error' listener on its @redis/client, so when this test's redis-server
 * stops, the clients' SocketClosedUnexpectedlyError is an unhandled 'error'
 * event that fails the suite: the upstream defect docs/operations.md names.
 * Here (only) every such client gets a listener.
 */
export function listenForRedisClientErrors() {
  const keyvRedis = require(require.resolve('@keyv/redis', {
    paths: [dirname(require.resolve('@backstage/backend-defaults/cache'))],
  }));
  const proto = keyvRedis.default.prototype;
  const initClient = proto.initClient;
  proto.initClient = function initClientListening(this: any) {
    if (this._client.listenerCount?.('error') === 0) {
      this._client.on('error', () => {});
    }
    return initClient.call(this);
  };
}

