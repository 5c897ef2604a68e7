/**
 * meshc serve soak: many rounds of churning streams; memory must level off.
 * Each round opens BENCH_SOAK_STREAMS streams (one HTTP/2 connection each),
 * waits for every stream's first response, then ends them the ways proxies
 * do: a third cancel the stream (RST_STREAM), a third half-close it, a third
 * drop the connection. Half the streams are SotW, half Delta. After each round, with every stream released and a
 * forced GC (run with --expose-gc, as `npm run bench` does), it prints the
 * process's RSS and heap. Growth from the second half of the rounds to the end
 * is the figure to watch: a leak of per-stream state grows it every round.
 *
 * Server and clients share this process (the RSS is both), so that a GC can be
 * forced in the server; client connections are closed and collected each round.
 */
import http2 from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/server/log.ts';
import { startServer } from '../src/server/server.ts';
import { WireWriter } from '../src/server/wire.ts';
import { CLUSTER, grpcSplitResources, writeCompiledOutput } from '../test/helpers/serve-fixtures.ts';
import { mb } from './lib/measure.ts';

const ROUNDS = Number(process.env.BENCH_SOAK_ROUNDS ?? 12);
const STREAMS = Number(process.env.BENCH_SOAK_STREAMS ?? 1000);
const SOTW = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';
const DELTA = '/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources';
const NODES = 20;
const gc = (globalThis as { gc?: () => void }).gc;

function request(node: string, delta: boolean): Buffer {
  const nodeMsg = new WireWriter().stringField(1, node).stringField(2, 'soak').stringField(6, 'envoy').finish();
  // DiscoveryRequest: node = 2, type_url = 4; DeltaDiscoveryRequest: node = 1, type_url = 2.
  const msg = delta
    ? new WireWriter().bytesField(1, nodeMsg).stringField(2, CLUSTER).finish()
    : new WireWriter().bytesField(2, nodeMsg).stringField(4, CLUSTER).finish();
  const head = Buffer.alloc(5);
  head.writeUInt32BE(msg.length, 1);
  return Buffer.concat([head, msg]);
}

/** Opens `count` streams, waits for each one's first response, then ends them in three ways. */
async function round(address: string, count: number): Promise<number> {
  const sessions: http2.ClientHttp2Session[] = [];
  const calls: http2.ClientHttp2Stream[] = [];
  let answered = 0;
  await new Promise<void>((resolve) => {
    const guard = setTimeout(resolve, 60_000);
    for (let i = 0; i < count; i++) {
      const session = http2.connect(`http://${address}`);
      session.on('error', () => {});
      sessions.push(session);
      const delta = i % 2 === 1;
      const call = session.request({ ':method': 'POST', ':path': delta ? DELTA : SOTW, 'content-type': 'application/grpc', te: 'trailers' });
      call.on('error', () => {});
      let first = true;
      call.on('data', () => {
        if (!first) return;
        first = false;
        if (++answered === count) {
          clearTimeout(guard);
          resolve();
        }
      });
      calls.push(call);
      call.write(request(`shop/deployment/svc-${i % NODES}`, delta));
    }
  });
  calls.forEach((call, i) => {
    if (i % 3 === 0) call.close(http2.constants.NGHTTP2_CANCEL);
    else if (i % 3 === 1) call.end();
    else sessions[i]!.destroy();
  });
  await new Promise((r) => setTimeout(r, 200));
  for (const s of sessions) s.destroy();
  return answered;
}

async function main(): Promise<void> {
  if (!gc) throw new Error('run with --expose-gc (npm run bench does)');
  const base = mkdtempSync(join(tmpdir(), 'meshc-soak-'));
  const dir = join(base, 'out');
  writeCompiledOutput(dir, Array.from({ length: NODES }, (_, i) => ({
    id: `shop/deployment/svc-${i}`,
    resources: grpcSplitResources(`svc-${i}`, [{ cluster: `c${i}a`, port: 5000 + i, weight: 1 }, { cluster: `c${i}b`, port: 6000 + i, weight: 1 }]),
  })));
  const server = await startServer({ snapshots: dir, listen: '127.0.0.1:0', watch: false, logger: createLogger({ level: 'error', write: () => {} }) });
  const rss: number[] = [];
  console.log(`${ROUNDS} rounds of ${STREAMS} streams opened, answered and ended (cancel / half-close / connection drop)`);
  try {
    for (let r = 1; r <= ROUNDS; r++) {
      const answered = await round(server.address, STREAMS);
      for (let i = 0; i < 400 && server.stats.activeStreams > 0; i++) await new Promise((res) => setTimeout(res, 25));
      await new Promise((res) => setTimeout(res, 100));
      gc();
      gc();
      const m = process.memoryUsage();
      rss.push(m.rss);
      console.log(`round ${String(r).padStart(2)}: answered ${answered}/${STREAMS}, streams still open ${server.stats.activeStreams}, rss ${mb(m.rss)}, heap used ${mb(m.heapUsed)}`);
    }
  } finally {
    await server.close(1000);
    rmSync(base, { recursive: true, force: true });
  }
  const half = Math.floor(rss.length / 2);
  const growth = rss[rss.length - 1]! - rss[half - 1]!;
  const perRound = growth / (rss.length - half);
  console.log(`rss after round ${half}: ${mb(rss[half - 1]!)}, after round ${rss.length}: ${mb(rss[rss.length - 1]!)} (${perRound >= 0 ? '+' : ''}${mb(perRound)} per round over the second half)`);
}

await main();
