/**
 * A small xDS test client for `meshc serve`: speaks the real
 * envoy.service.discovery.v3 messages (encoded and decoded by protobufjs from
 * the Envoy protos, independently of the server's hand-written codec) over
 * grpc-js, and queues what the server sends.
 */
import { Client, credentials, Metadata, status as Status, type ChannelCredentials, type ClientDuplexStream } from '@grpc/grpc-js';
import protobufRuntime from 'protobufjs';
import type protobuf from 'protobufjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/server.ts';
import { createLogger, type LogRecord } from '../../src/server/log.ts';
import type { ReloadOutcome } from '../../src/server/watch.ts';
import { envoyRoot, writeCompiledOutput, type FixtureNode } from './serve-fixtures.ts';

export const ADS = '/envoy.service.discovery.v3.AggregatedDiscoveryService';
export const SOTW_PATH = `${ADS}/StreamAggregatedResources`;
export const DELTA_PATH = `${ADS}/DeltaAggregatedResources`;

export interface Any {
  type_url: string;
  value: Uint8Array;
}

export interface DiscoveryResponse {
  version_info: string;
  resources: Any[];
  type_url: string;
  nonce: string;
  control_plane?: { identifier: string };
}

export interface DeltaResponse {
  system_version_info: string;
  resources: { name: string; version: string; resource: Any }[];
  type_url: string;
  nonce: string;
  removed_resources: string[];
}

export interface StreamEnd {
  code: number;
  details: string;
}

function msgType(name: string): protobuf.Type {
  return envoyRoot().lookupType(`envoy.service.discovery.v3.${name}`);
}

export function encodeMessage(name: string, obj: object): Buffer {
  const t = msgType(name);
  const err = t.verify(obj);
  if (err) throw new Error(`${name}: ${err}`);
  return Buffer.from(t.encode(t.fromObject(obj)).finish());
}

export function decodeMessage<T>(name: string, buf: Uint8Array): T {
  const t = msgType(name);
  return t.toObject(t.decode(buf), { longs: Number, enums: String, defaults: true, arrays: true }) as T;
}

export function anyBytes(any: Any): Buffer {
  const t = envoyRoot().lookupType('google.protobuf.Any');
  return Buffer.from(t.encode(t.fromObject(any)).finish());
}

const TIMEOUT_MS = 20_000;

/** One bidi xDS stream; `next()` yields responses in arrival order, `ended` the final status. */
export class TestStream<R> {
  private readonly queue: R[] = [];
  private readonly waiters: ((r: R | StreamEnd) => void)[] = [];
  private endStatus: StreamEnd | null = null;
  readonly ended: Promise<StreamEnd>;
  private readonly call: ClientDuplexStream<Buffer, Buffer>;

  constructor(client: Client, path: string, private readonly responseType: string, private readonly requestType: string) {
    this.call = client.makeBidiStreamRequest<Buffer, Buffer>(path, (b) => b, (b) => b, new Metadata());
    this.ended = new Promise((resolve) => {
      this.call.on('status', (s) => {
        this.endStatus = { code: s.code, details: s.details };
        for (const w of this.waiters.splice(0)) w(this.endStatus);
        resolve(this.endStatus);
      });
    });
    this.call.on('error', () => { /* reported through 'status' */ });
    this.call.on('data', (buf: Buffer) => {
      const msg = decodeMessage<R>(this.responseType, buf);
      const w = this.waiters.shift();
      if (w) w(msg);
      else this.queue.push(msg);
    });
  }

  send(req: object): void {
    this.call.write(encodeMessage(this.requestType, req));
  }

  sendRaw(buf: Buffer): void {
    this.call.write(buf);
  }

  /** The next response; rejects if the stream ends first or nothing arrives for a long time (a hang is a failure). */
  next(): Promise<R> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.endStatus) return Promise.reject(new Error(`stream ended: ${Status[this.endStatus.code]} ${this.endStatus.details}`));
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no response from the server')), TIMEOUT_MS);
      this.waiters.push((r) => {
        clearTimeout(timer);
        if (r && typeof r === 'object' && 'code' in r && 'details' in r && !('nonce' in r)) {
          reject(new Error(`stream ended: ${Status[(r as StreamEnd).code]} ${(r as StreamEnd).details}`));
        } else resolve(r as R);
      });
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  cancel(): void {
    this.call.cancel();
  }

  halfClose(): void {
    this.call.end();
  }
}

export function connect(address: string, creds: ChannelCredentials = credentials.createInsecure(), options: Record<string, unknown> = {}): Client {
  return new Client(address, creds, options);
}

export function sotwStream(client: Client, path = SOTW_PATH): TestStream<DiscoveryResponse> {
  return new TestStream<DiscoveryResponse>(client, path, 'DiscoveryResponse', 'DiscoveryRequest');
}

/** A unary Fetch* call (e.g. `/envoy.service.cluster.v3.ClusterDiscoveryService/FetchClusters`); rejects with the gRPC error. */
export function fetchUnary(client: Client, path: string, req: object): Promise<DiscoveryResponse> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest<object, DiscoveryResponse>(
      path,
      (r) => encodeMessage('DiscoveryRequest', r),
      (buf) => decodeMessage<DiscoveryResponse>('DiscoveryResponse', buf),
      req,
      (err, res) => (err ? reject(err) : resolve(res!)),
    );
  });
}

export function deltaStream(client: Client, path = DELTA_PATH): TestStream<DeltaResponse> {
  return new TestStream<DeltaResponse>(client, path, 'DeltaDiscoveryResponse', 'DeltaDiscoveryRequest');
}

/** A type the server does not serve: its first request is always answered (empty), which orders "nothing else was sent before". */
export const BARRIER_TYPE = 'type.googleapis.com/meshc.test.Barrier';

/**
 * Deterministic "no response was sent": asks for a fresh unknown type and
 * returns every response that arrived before the barrier's answer.
 */
export async function sotwBarrier(s: TestStream<DiscoveryResponse>, n: number): Promise<DiscoveryResponse[]> {
  const type = `${BARRIER_TYPE}${n}`;
  s.send({ type_url: type, resource_names: [] });
  const before: DiscoveryResponse[] = [];
  for (;;) {
    const r = await s.next();
    if (r.type_url === type) {
      s.send({ type_url: type, response_nonce: r.nonce, version_info: r.version_info });
      return before;
    }
    before.push(r);
  }
}

export async function deltaBarrier(s: TestStream<DeltaResponse>, n: number): Promise<DeltaResponse[]> {
  const type = `${BARRIER_TYPE}${n}`;
  s.send({ type_url: type, resource_names_subscribe: ['x'] });
  const before: DeltaResponse[] = [];
  for (;;) {
    const r = await s.next();
    if (r.type_url === type) {
      s.send({ type_url: type, response_nonce: r.nonce });
      return before;
    }
    before.push(r);
  }
}

export const GRPC_NODE = (id: string) => ({ id, user_agent_name: 'gRPC Node Pure JS', locality: {} });
export const ENVOY_NODE = (id: string) => ({ id, cluster: 'test', user_agent_name: 'envoy' });

export interface TestServer {
  server: RunningServer;
  dir: string;
  records: LogRecord[];
  /** Rewrites the output directory (atomically) and waits until the server has loaded it. */
  publish(nodes: FixtureNode[]): Promise<ReloadOutcome>;
  events(name: string): LogRecord[];
  close(): Promise<void>;
}

export async function startTestServer(nodes: FixtureNode[], options: Partial<ServeOptions> = {}): Promise<TestServer> {
  const base = mkdtempSync(join(tmpdir(), 'meshc-serve-'));
  const dir = join(base, 'out');
  writeCompiledOutput(dir, nodes);
  const records: LogRecord[] = [];
  const server = await startServer({
    snapshots: dir,
    listen: '127.0.0.1:0',
    watch: false,
    logger: createLogger({ level: 'error', write: () => {}, onRecord: (r) => records.push(r) }),
    ...options,
  });
  return {
    server,
    dir,
    records,
    async publish(next) {
      writeCompiledOutput(dir, next);
      return server.reload();
    },
    events: (name) => records.filter((r) => r.event === name),
    async close() {
      await server.close(1000);
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a test server with the options `given` a port another socket holds; the start-up error (null when it
 * started, which it should not) and that port.
 */
export async function startOnTakenPort(nodes: FixtureNode[], given: (port: number) => Partial<ServeOptions>): Promise<{ error: Error | null; port: number }> {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  try {
    const error = await startTestServer(nodes, given(port)).then(
      async (t) => {
        await t.close();
        return null;
      },
      (e: Error) => e,
    );
    return { error, port };
  } finally {
    blocker.close();
  }
}

const HealthRequest = new protobufRuntime.Type('HealthCheckRequest').add(new protobufRuntime.Field('service', 1, 'string'));
const HealthResponse = new protobufRuntime.Type('HealthCheckResponse').add(new protobufRuntime.Field('status', 1, 'int32'));
new protobufRuntime.Root().define('grpc.health.v1').add(HealthRequest).add(HealthResponse);
export const HEALTH = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } as const;

/** grpc.health.v1.Health/Check; resolves with the status number or rejects with the gRPC error. */
export function healthCheck(client: Client, service = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest<object, { status: number }>(
      '/grpc.health.v1.Health/Check',
      (req) => Buffer.from(HealthRequest.encode(HealthRequest.fromObject(req)).finish()),
      (buf) => HealthResponse.toObject(HealthResponse.decode(buf), { defaults: true }) as { status: number },
      { service },
      (err, res) => (err ? reject(err) : resolve(res!.status)),
    );
  });
}

/** grpc.health.v1.Health/Watch: collects every status the server streams until the call ends. */
export function healthWatch(client: Client, service = ''): { statuses: number[]; ended: Promise<number> } {
  const statuses: number[] = [];
  const call = client.makeServerStreamRequest<object, { status: number }>(
    '/grpc.health.v1.Health/Watch',
    (req) => Buffer.from(HealthRequest.encode(HealthRequest.fromObject(req)).finish()),
    (buf) => HealthResponse.toObject(HealthResponse.decode(buf), { defaults: true }) as { status: number },
    { service },
  );
  call.on('data', (r: { status: number }) => statuses.push(r.status));
  call.on('error', () => {});
  const ended = new Promise<number>((resolve) => call.on('status', (s) => resolve(s.code)));
  return { statuses, ended };
}
