/**
 * `--metrics-listen`: a plaintext HTTP/1.1 listener for Prometheus, serving
 * `GET /metrics` (text exposition format) and nothing else. It is apart from
 * the xDS port, which may require client certificates a scraper lacks, and it
 * tells nothing a proxy's configuration holds: counts, the snapshot's
 * fingerprint and node count, and the process's own figures.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ServeMetrics } from './metrics.ts';

export interface MetricsListener {
  port: number;
  close(): void;
}

function answer(metrics: ServeMetrics, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: meshc serve answers GET /metrics here\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
    return;
  }
  metrics.exposition().then(
    ({ text, contentType }) => {
      res.writeHead(200, { 'content-type': contentType });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
    (err: Error) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics failed: ${err.message}\n`),
  );
}

/** Listens on host:port (0 picks a port); rejects when the address cannot be bound. */
export function listenMetrics(metrics: ServeMetrics, host: string, port: number): Promise<MetricsListener> {
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 10_000 }, (req, res) => answer(metrics, req, res));
  // A few scrapers, never a thousand idle connections held open against the server's memory.
  server.maxConnections = 64;
  // A scraper that keeps its connection open must not hold up shutdown.
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as { port: number }).port,
        close() {
          server.close();
          for (const s of sockets) s.destroy();
        },
      });
    });
  });
}
