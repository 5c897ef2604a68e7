/**
 * `meshc serve` as a library: binds a grpc-js server with the aggregated and
 * per-type discovery services and the health service, serving the compiled
 * output in a directory and following its changes.
 */
import { Server, status as Status, type ServerDuplexStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { SnapshotCache, type SnapshotSource } from './cache.ts';
import { DeltaStream } from './delta.ts';
import { fetchHandler } from './fetch.ts';
import { HealthService } from './health.ts';
import { listenHealthOnly, type HealthListener } from './health-listener.ts';
import type { MetricsListener } from './metrics-listener.ts';
import type { ServeMetrics } from './metrics.ts';
import { listen, type Listening } from './listen.ts';
import { formatListen, parseListenOrNull } from './listen-address.ts';
import { identityAllows, peerSpiffeIds, spiffeAuthorizer } from './identity.ts';
import { silentLogger, type Logger } from './log.ts';
import { ADS_SERVICE, adsService, HEALTH_SERVICE, healthService, perTypeServices } from './services.ts';
import { loadSnapshot, SnapshotError } from './snapshot.ts';
import { ServeError } from './serve-error.ts';
import { SotwStream } from './sotw.ts';
import type { ServerStats, StreamContext, XdsCall } from './stream.ts';
import { serverCredentials, type TlsOptions } from './tls.ts';
import { SnapshotWatcher, type ReloadOutcome, type WatcherOptions } from './watch.ts';

export { ServeError } from './serve-error.ts';
export type { TlsFiles, TlsOptions } from './tls.ts';

export const DEFAULT_LISTEN = '127.0.0.1:18000';
export const DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_NAMES_PER_TYPE = 100_000;

export interface ServeOptions {
  snapshots: string;
  listen?: string;
  tls?: TlsOptions;
  logger?: Logger;
  /** false: serve the initial snapshot only; default: watch the directory. */
  watch?: boolean | WatcherOptions;
  maxRequestBytes?: number;
  maxPendingBytesPerStream?: number;
  /** Subscribed resource names per type and stream before the stream ends with RESOURCE_EXHAUSTED (default 100,000). */
  maxNamesPerType?: number;
  /**
   * HTTP/2 PING each connection after this long (default 60 s) and drop it when
   * no answer comes within keepaliveTimeoutMs (default 20 s), so the streams of
   * a proxy whose host vanished without closing its connection are released.
   */
  keepaliveTimeMs?: number;
  keepaliveTimeoutMs?: number;
  /** HOST:PORT of a plaintext listener serving grpc.health.v1 only (kubelet gRPC probes cannot do TLS). */
  healthListen?: string;
  /** HOST:PORT of a plaintext HTTP listener serving Prometheus metrics at /metrics (metrics.ts). */
  metricsListen?: string;
}

export interface RunningServer {
  /** host:port actually bound (the port is resolved when 0 was asked for). */
  address: string;
  port: number;
  /** The --health-listen port actually bound, when one was asked for. */
  healthPort?: number;
  /** The --metrics-listen port actually bound, when one was asked for. */
  metricsPort?: number;
  stats: Readonly<ServerStats>;
  cache: SnapshotCache;
  /** Loads the directory now (the watcher does this by itself). */
  reload(): Promise<ReloadOutcome>;
  /** Stops accepting, ends every stream with UNAVAILABLE, waits up to graceMs for flushes, then forces. */
  close(graceMs?: number): Promise<void>;
  /** Test hook: called after every reload attempt. */
  onReload: ((outcome: ReloadOutcome) => void) | null;
}


/** What every stream of this server shares: the snapshot source, counters, limits and (under mTLS) the node access check. */
function streamContext(options: ServeOptions, cache: SnapshotCache, log: Logger): StreamContext {
  const stats: ServerStats = { activeStreams: 0, totalStreams: 0, responses: 0, acks: 0, nacks: 0, staleNonces: 0, maxPendingBytes: 0 };
  let streamIds = 0;
  const mtls = !!options.tls?.clientCa;
  const trustDomain = options.tls?.trustDomain ?? null;
  return {
    source: cache as SnapshotSource,
    log,
    stats,
    authorize: mtls ? spiffeAuthorizer(trustDomain) : null,
    knownIdsHint: (call) => {
      const snap = cache.current();
      if (!mtls) return [...snap.ids];
      const ids = peerSpiffeIds(call);
      return snap.ids.filter((id) => identityAllows(ids, snap.nodes.get(id)!, trustDomain?.toLowerCase() ?? null));
    },
    streams: new Set(),
    nextStreamId: () => ++streamIds,
    maxPendingBytes: options.maxPendingBytesPerStream ?? 1024 * 1024,
    maxTypesPerStream: 32,
    maxNamesPerType: options.maxNamesPerType ?? DEFAULT_MAX_NAMES_PER_TYPE,
  };
}

/** A grpc-js server with ADS, the per-type discovery services (stream and Fetch) and grpc.health.v1 registered. */
function grpcServer(options: ServeOptions, ctx: StreamContext): { server: Server; health: HealthService } {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    'grpc.max_send_message_length': -1,
    'grpc.enable_channelz': 0,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.keepalive_time_ms': options.keepaliveTimeMs ?? 60_000,
    'grpc.keepalive_timeout_ms': options.keepaliveTimeoutMs ?? 20_000,
  });
  const sotw = (fixed: string | null) => (call: ServerDuplexStream<Buffer, Buffer>) => void new SotwStream(ctx, call as XdsCall, fixed);
  const delta = (fixed: string | null) => (call: ServerDuplexStream<Buffer, Buffer>) => void new DeltaStream(ctx, call as XdsCall, fixed);
  server.addService(adsService, { StreamAggregatedResources: sotw(null), DeltaAggregatedResources: delta(null) } as UntypedServiceImplementation);
  for (const s of perTypeServices) {
    server.addService(s.definition, {
      [s.sotw]: sotw(s.typeUrl), [s.delta]: delta(s.typeUrl), [s.fetch]: fetchHandler(ctx, s.typeUrl),
    } as UntypedServiceImplementation);
  }
  const health = new HealthService([ADS_SERVICE, ...perTypeServices.map((s) => s.name)]);
  server.addService(healthService, health.implementation());
  return { server, health };
}

/** An extra listener's address (--health-listen, --metrics-listen) with the port actually bound. */
function withBoundPort(listen: string, port: number): string {
  return formatListen(parseListenOrNull(listen)!.host, port);
}

/** A listener's HOST:PORT, or a ServeError naming its flag. */
function listenAddress(flag: string, listen: string, example: string): { host: string; port: number } {
  const parsed = parseListenOrNull(listen);
  if (!parsed) throw new ServeError(`${flag} '${listen}': expected HOST:PORT (e.g. ${example})`);
  return parsed;
}

export function parseListen(listen: string): { host: string; port: number } {
  return listenAddress('--listen', listen, `${DEFAULT_LISTEN} or [::1]:18000`);
}

/** Binds --health-listen and --metrics-listen; when one cannot be bound, what was bound is closed and a ServeError names it. */
async function listenExtras(options: ServeOptions, health: HealthService, metrics: ServeMetrics | undefined): Promise<{ health?: HealthListener; metrics?: MetricsListener }> {
  const bound: { health?: HealthListener; metrics?: MetricsListener } = {};
  try {
    if (options.healthListen !== undefined) {
      const h = listenAddress('--health-listen', options.healthListen, '0.0.0.0:18001');
      bound.health = await listenHealthOnly(health, h.host, h.port).catch((err: Error) => {
        throw new ServeError(`cannot listen on ${options.healthListen} (--health-listen): ${err.message}`);
      });
    }
    if (metrics && options.metricsListen !== undefined) {
      const m = listenAddress('--metrics-listen', options.metricsListen, '0.0.0.0:15014');
      const { listenMetrics } = await import('./metrics-listener.ts');
      bound.metrics = await listenMetrics(metrics, m.host, m.port).catch((err: Error) => {
        throw new ServeError(`cannot listen on ${options.metricsListen} (--metrics-listen): ${err.message}`);
      });
    }
    return bound;
  } catch (err) {
    bound.health?.close();
    bound.metrics?.close();
    throw err;
  }
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const baseLog = options.logger ?? silentLogger;
  const { host, port } = parseListen(options.listen ?? DEFAULT_LISTEN);

  let initial;
  try {
    initial = await loadSnapshot(options.snapshots);
  } catch (err) {
    if (err instanceof SnapshotError) throw new ServeError(`${options.snapshots}: ${err.message}`);
    throw err;
  }
  const cache = new SnapshotCache(initial);
  // Metrics (prom-client) are loaded only when asked for; they count the log's events (metrics.ts).
  const metrics = options.metricsListen === undefined ? undefined : new (await import('./metrics.ts')).ServeMetrics();
  const log = metrics ? metrics.observing(baseLog) : baseLog;
  const ctx = streamContext(options, cache, log);
  const { stats, streams } = ctx;
  const mtls = !!options.tls?.clientCa;
  const { server, health } = grpcServer(options, ctx);
  const { creds, stop: stopTls } = serverCredentials(options.tls, log);
  const target = formatListen(host, port);
  let listening: Listening;
  try {
    listening = await listen(server, creds, host, port);
  } catch (err) {
    stopTls();
    throw new ServeError(`cannot listen on ${target}: ${(err as Error).message}`);
  }
  const boundPort = listening.port;
  let extras: { health?: HealthListener; metrics?: MetricsListener };
  try {
    extras = await listenExtras(options, health, metrics);
  } catch (err) {
    stopTls();
    listening.stopAccepting();
    server.forceShutdown();
    listening.destroyConnections();
    throw err;
  }
  const { health: healthOnly, metrics: metricsOnly } = extras;
  const unfollow = metrics?.follow(cache);
  const address = formatListen(host, boundPort);

  const watcher = new SnapshotWatcher(options.snapshots, cache, log, typeof options.watch === 'object' ? options.watch : {});
  const running: RunningServer = {
    address,
    port: boundPort,
    ...(healthOnly ? { healthPort: healthOnly.port } : {}),
    ...(metricsOnly ? { metricsPort: metricsOnly.port } : {}),
    stats,
    cache,
    onReload: null,
    reload: () => watcher.reload(),
    close: (graceMs = 5000) => shutdown(graceMs),
  };
  watcher.onReload = (outcome) => {
    metrics?.reloaded(outcome);
    running.onReload?.(outcome);
  };
  if (options.watch !== false) await watcher.start();
  log.log('info', 'listening', 'serving xDS (ADS SotW + Delta, CDS/EDS/LDS/RDS) and grpc.health.v1', {
    address, ...(healthOnly ? { health_address: withBoundPort(options.healthListen!, healthOnly.port) } : {}),
    ...(metricsOnly ? { metrics_address: withBoundPort(options.metricsListen!, metricsOnly.port) } : {}), snapshots: cache.current().dir, nodes: cache.current().ids.length, tls: options.tls ? (mtls ? 'mtls' : 'tls') : 'off',
    fingerprint: cache.current().fingerprint,
  });

  let closing: Promise<void> | null = null;
  function shutdown(graceMs: number): Promise<void> {
    if (closing) return closing;
    closing = new Promise<void>((done) => {
      health.setAll(false);
      listening.stopAccepting();
      watcher.close();
      stopTls();
      log.log('info', 'shutdown', 'shutting down; ending streams', { streams: streams.size });
      for (const s of [...streams]) s.finish({ code: Status.UNAVAILABLE, details: 'meshc serve is shutting down' }, 'shutdown');
      health.endWatches();
      // After NOT_SERVING was set: a probe racing the shutdown sees it rather than a refused connection.
      healthOnly?.close();
      unfollow?.();
      metricsOnly?.close();
      const force = setTimeout(() => {
        log.log('warn', 'shutdown-forced', 'streams did not finish in time; closing connections', { grace_ms: graceMs });
        server.forceShutdown();
        listening.destroyConnections();
        done();
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(force);
        done();
      });
    });
    return closing;
  }
  return running;
}
