/**
 * Listening socket for the gRPC server. grpc-js's bindAsync listens with
 * Node's default backlog (511); when hundreds of proxies reconnect at once
 * (a restarted control plane), connections beyond it are dropped by the
 * kernel and retried after 1 s, 3 s, ... So the server owns its net.Server
 * with a large backlog and hands each accepted socket to grpc-js through its
 * connection injector (TLS, when configured, is done by grpc-js on the
 * injected socket). Falls back to bindAsync when the injector is missing.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Server, ServerCredentials } from '@grpc/grpc-js';
import { formatListen } from './listen-address.ts';

export const LISTEN_BACKLOG = 4096;

export interface Listening {
  port: number;
  /** Stops accepting new connections (existing ones are closed by the gRPC server's shutdown). */
  stopAccepting(): void;
  /**
   * Destroys every connection still open. grpc-js's forceShutdown destroys the
   * HTTP/2 sessions, but Node then ends each socket gracefully and waits for
   * its writes to drain, which never happens with a peer that stopped reading:
   * the socket would keep the process alive after shutdown.
   */
  destroyConnections(): void;
}

interface Injector {
  injectConnection(connection: NodeJS.ReadWriteStream): void;
}

export async function listen(server: Server, creds: ServerCredentials, host: string, port: number): Promise<Listening> {
  const makeInjector = (server as unknown as { createConnectionInjector?: (c: ServerCredentials) => Injector }).createConnectionInjector;
  const target = formatListen(host, port);
  if (typeof makeInjector !== 'function') {
    const bound = await new Promise<number>((resolve, reject) => {
      server.bindAsync(target, creds, (err, p) => (err ? reject(err) : resolve(p)));
    });
    return { port: bound, stopAccepting: () => {}, destroyConnections: () => {} };
  }
  const injector = makeInjector.call(server, creds);
  const sockets = new Set<Socket>();
  const net: NetServer = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    injector.injectConnection(socket);
  });
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    net.listen({ host, port, backlog: LISTEN_BACKLOG }, () => {
      net.off('error', reject);
      resolve();
    });
  });
  const address = net.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    stopAccepting: () => void net.close(),
    destroyConnections: () => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}
