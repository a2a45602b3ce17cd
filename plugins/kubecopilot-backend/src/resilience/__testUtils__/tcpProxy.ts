/**
 * A TCP proxy for fault injection between a backend and its database:
 *
 * - `down('refuse')` stops listening (new connections get ECONNREFUSED),
 *   `down('reset')` accepts and closes at once, `down('blackhole')` accepts
 *   and never answers; each first cuts every open connection. `up()` heals.
 * - `cutAt(pattern)` watches the client → server bytes of every connection
 *   and, the first time they match, destroys both sockets before that chunk
 *   is forwarded: whatever the client sent earlier on that connection (say,
 *   the UPDATE of an open transaction) reached the server, the matching
 *   statement and everything after it did not, and nothing is committed.
 */
import { AddressInfo, createServer, Server, Socket } from 'node:net';

export type DownMode = 'refuse' | 'reset' | 'blackhole';

/** How many client bytes a pattern may span across chunk boundaries. */
const WINDOW = 1024 * 1024;

export interface TcpProxy {
  readonly port: number;
  down(mode?: DownMode): Promise<void>;
  up(): Promise<void>;
  /**
   * Resolves once a connection was cut at a match of `pattern`, with what
   * its client sent since `cutAt` (latin1; the cut chunk included).
   */
  cutAt(pattern: RegExp): Promise<string>;
  /** Drops a `cutAt` that has not matched. */
  disarm(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: {
  host: string;
  port: number;
}): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let mode: DownMode | undefined;
  let cut: { pattern: RegExp; done: (sent: string) => void } | undefined;
  // Bytes seen before the current `cutAt` never count towards its match.
  let generation = 0;
  let port = 0;

  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    // A reset on one side is expected here; the other side is destroyed too.
    socket.on('error', () => {});
  };
  const cutAll = () => {
    for (const socket of open) socket.destroy();
  };

  const server: Server = createServer(client => {
    track(client);
    if (mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    if (mode === 'blackhole') {
      client.pause();
      return;
    }
    const upstream = new Socket();
    track(upstream);
    upstream.connect(target.port, target.host);
    const both = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', both);
    upstream.on('close', both);

    let window = '';
    let windowOf = generation;
    client.on('data', (chunk: Buffer) => {
      if (cut) {
        if (windowOf !== generation) {
          window = '';
          windowOf = generation;
        }
        window = (window + chunk.toString('latin1')).slice(-WINDOW);
        if (cut.pattern.test(window)) {
          const { done } = cut;
          cut = undefined;
          both();
          done(window);
          return;
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  });

  const listen = (at: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>(resolve => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
      cutAll();
    });

  await listen(0);

  return {
    get port() {
      return port;
    },
    async down(next: DownMode = 'refuse') {
      mode = next;
      cutAll();
      if (next === 'refuse') await stopListening();
    },
    async up() {
      mode = undefined;
      // Held (black-holed) connections fail now rather than at a timeout.
      cutAll();
      if (!server.listening) await listen(port);
    },
    cutAt(pattern: RegExp) {
      generation += 1;
      return new Promise<string>(resolve => {
        cut = { pattern, done: resolve };
      });
    },
    disarm() {
      cut = undefined;
    },
    async close() {
      cut = undefined;
      await stopListening();
      cutAll();
    },
  };
}
