/**
 * End to end: SMI YAML -> `meshc compile --target grpc` -> `meshc serve` ->
 * the real @grpc/grpc-js-xds client resolving xds:///echo... and calling real
 * @grpc/grpc-js backends on 127.0.0.1 (xds-protocol.md section 9). The split
 * ratio is measured over 1,000+ calls; the server must see no NACK and an ACK
 * of every served type; a recompiled split is followed by the running client.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials, Metadata, Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { register } from '@grpc/grpc-js-xds';
import { runCli } from './helpers/cli.ts';
import { typeVersion } from '../src/snapshot/hash.ts';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from '../src/envoy/protos/type-urls.ts';
import { ServeProcess, type LogLine } from './helpers/serve-process.ts';
import { CLUSTER, grpcSplitResources, writeCompiledOutput, type FixtureNode } from './helpers/serve-fixtures.ts';

register();

const ECHO = '/grpc.testing.EchoTestService/Echo';
const TARGET = 'xds:///echo.demo.svc.cluster.local:50051';
const NODE = 'demo/deployment/client';
const CALLS = 1500;
const TOLERANCE = 0.05;

const echoService: ServiceDefinition = {
  Echo: {
    path: ECHO, requestStream: false, responseStream: false,
    requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b,
  },
};

interface Backend {
  name: string;
  port: number;
  calls: number;
  server: Server;
}

async function startBackend(name: string): Promise<Backend> {
  const server = new Server();
  const backend: Backend = { name, port: 0, calls: 0, server };
  server.addService(echoService, {
    Echo: (_call: unknown, cb: (err: null, res: Buffer) => void) => {
      backend.calls++;
      cb(null, Buffer.from(name));
    },
  } as UntypedServiceImplementation);
  backend.port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))));
  return backend;
}

/** `denyB`: no TrafficTarget admits the client to echo-b; `noEndpointsB`: echo-b's Endpoints are not in the input. */
interface MeshOptions { denyB?: boolean; noEndpointsB?: boolean }

/** The mesh: a client workload, echo-a and echo-b behind Service echo, Endpoints on the backends' real ports. */
function meshYaml(a: number, b: number, o: MeshOptions = {}): string {
  const deployment = (name: string, labels: string, port?: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: demo}
spec:
  selector: {matchLabels: {${labels}}}
  template:
    metadata: {labels: {${labels}}}
    spec:
      serviceAccountName: ${name}
      containers: [{name: app, image: example/${name}:1${port ? `, ports: [{name: grpc, containerPort: ${port}}]` : ''}}]
`;
  const service = (name: string, selector: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: demo}
spec:
  selector: {${selector}}
  ports: [{name: grpc, port: 50051, targetPort: grpc, appProtocol: grpc}]
`;
  const endpoints = (name: string, port: number) => `apiVersion: v1
kind: Endpoints
metadata: {name: ${name}, namespace: demo}
subsets:
  - addresses: [{ip: 127.0.0.1}]
    ports: [{name: grpc, port: ${port}}]
`;
  const target = (name: string) => `apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: ${name}, namespace: demo}
spec:
  destination: {kind: ServiceAccount, name: ${name}, namespace: demo}
  rules: [{kind: HTTPRouteGroup, name: echo-rpcs, matches: [echo]}]
  sources: [{kind: ServiceAccount, name: client, namespace: demo}]
`;
  return [
    ...['client', 'echo-a', 'echo-b'].map((n) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${n}, namespace: demo}\n`),
    deployment('client', 'app: client'),
    deployment('echo-a', 'app: echo, version: a', a),
    deployment('echo-b', 'app: echo, version: b', b),
    service('echo', 'app: echo'),
    service('echo-a', 'app: echo, version: a'),
    service('echo-b', 'app: echo, version: b'),
    endpoints('echo-a', a),
    ...(o.noEndpointsB ? [] : [endpoints('echo-b', b)]),
    `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: echo-rpcs, namespace: demo}
spec:
  matches:
    - name: echo
      pathRegex: '/grpc\\.testing\\.EchoTestService/.*'
      methods: [POST]
`,
    target('echo-a'),
    ...(o.denyB ? [] : [target('echo-b')]),
  ].join('---\n');
}

function splitYaml(version: string, a: string | number, b: string | number): string {
  const q = (w: string | number) => (typeof w === 'string' ? JSON.stringify(w) : String(w));
  return `apiVersion: split.smi-spec.io/${version}
kind: TrafficSplit
metadata: {name: echo-split, namespace: demo}
spec:
  service: echo
  backends:
    - {service: echo-a, weight: ${q(a)}}
    - {service: echo-b, weight: ${q(b)}}
`;
}

/** The same split as a Gateway API (GAMMA) HTTPRoute on Service echo. */
function httpRouteYaml(a: number, b: number): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: echo-split, namespace: demo}
spec:
  parentRefs: [{group: "", kind: Service, name: echo}]
  rules:
    - backendRefs:
        - {name: echo-a, port: 50051, weight: ${a}}
        - {name: echo-b, port: 50051, weight: ${b}}
`;
}

interface Harness {
  dir: string;
  src: string;
  out: string;
  backends: [Backend, Backend];
  serve: ServeProcess;
  client: Client;
  close(): Promise<void>;
}

function compile(h: { src: string; out: string }): void {
  const r = runCli(['compile', h.src, '--target', 'grpc', '--out', h.out]);
  assert.is(r.code, 0, `meshc compile failed:\n${r.stdout}\n${r.stderr}`);
}

function servedVersions(out: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  const node = manifest.nodes.find((n: { id: string }) => n.id === NODE);
  assert.ok(node, `compiled output has node ${NODE}`);
  // A type's version is the hash of its manifest entries (what serve sends as version_info; compile's default output
  // has no .json review copies to read it from).
  const version = (typeUrl: string) => typeVersion(node.resources[typeUrl]);
  return { LDS: version(LISTENER_TYPE_URL), RDS: version(ROUTE_CONFIGURATION_TYPE_URL), CDS: version(CLUSTER_TYPE_URL), EDS: version(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL) };
}

async function setUp(split: string, o: MeshOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-e2e-'));
  const src = join(dir, 'mesh');
  const out = join(dir, 'out');
  const backends: [Backend, Backend] = [await startBackend('a'), await startBackend('b')];
  mkdirSync(src);
  writeFileSync(join(src, 'mesh.yaml'), meshYaml(backends[0].port, backends[1].port, o));
  writeFileSync(join(src, 'split.yaml'), split);
  compile({ src, out });
  const serve = new ServeProcess(['--snapshots', out, '--listen', '127.0.0.1:0', '--metrics-listen', '127.0.0.1:0', '--log-format', 'json']);
  const address = await serve.address();
  // The bootstrap compile wrote for the client node, pointed at the port serve actually bound.
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  const bootstrap = JSON.parse(readFileSync(join(out, manifest.nodes.find((n: { id: string }) => n.id === NODE).files.bootstrap), 'utf8'));
  assert.is(bootstrap.node.id, NODE);
  bootstrap.xds_servers[0].server_uri = address;
  const client = new Client(TARGET, credentials.createInsecure(), {
    'grpc.TEST_ONLY_DO_NOT_USE_IN_PROD.xds_bootstrap_config': JSON.stringify(bootstrap),
  });
  return {
    dir, src, out, backends, serve, client,
    async close() {
      client.close();
      await serve.stop('SIGTERM');
      for (const b of backends) b.server.forceShutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function call(client: Client): Promise<string> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest<Buffer, Buffer>(ECHO, (b) => b, (b) => b, Buffer.from('ping'), { deadline: Date.now() + 5000 }, (err, res) =>
      err ? reject(err) : resolve(res!.toString()));
  });
}

/** Resolution needs LDS -> RDS -> CDS -> EDS round trips; retry until the first call succeeds (bounded). */
async function warmUp(client: Client): Promise<void> {
  let last: unknown;
  for (let i = 0; i < 60; i++) {
    try {
      await call(client);
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`the xDS client never reached a backend: ${(last as Error)?.message}`);
}

/** Sends `n` calls (50 in flight) and returns the share that reached backend a. */
async function measure(h: Harness, n: number): Promise<number> {
  const counts: Record<string, number> = { a: 0, b: 0 };
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < n) {
      sent++;
      counts[await call(h.client)]!++;
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));
  assert.is(counts.a! + counts.b!, n);
  return counts.a! / n;
}

function acksFor(serve: ServeProcess, type: string, version: string): (l: LogLine) => boolean {
  return (l) => l.event === 'ack' && l.node === NODE && l.type === type && l.version === version;
}

/** Waits until the client has ACKed every type of the output being served; returns the served versions. */
async function allAcked(h: Harness): Promise<Record<string, string>> {
  const versions = servedVersions(h.out);
  for (const type of ['LDS', 'RDS', 'CDS', 'EDS']) await h.serve.waitFor(acksFor(h.serve, type, versions[type]!));
  return versions;
}

/** One sample of serve's Prometheus metrics (`name{labels}` as exposed). */
async function metric(serve: ServeProcess, series: string): Promise<number | undefined> {
  const at = String((await serve.event('listening')).metrics_address);
  const body = await (await fetch(`http://${at}/metrics`)).text();
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function assertNoNack(serve: ServeProcess): void {
  const nacks = serve.lines.filter((l) => l.event === 'nack');
  assert.equal(nacks.map((l) => `${l.type} ${l.version}: ${l.error}`), [], 'the client rejected nothing');
}

test('TrafficSplit 80/20 compiled for gRPC: the real xDS client splits 1,500 calls 80/20, then follows a recompiled 20/80', async () => {
  const h = await setUp(splitYaml('v1alpha4', 80, 20));
  try {
    await warmUp(h.client);
    const v1 = await allAcked(h);
    const share = await measure(h, CALLS);
    assert.ok(Math.abs(share - 0.8) <= TOLERANCE, `share of echo-a ${share.toFixed(3)}, expected 0.80 ± ${TOLERANCE}`);
    assertNoNack(h.serve);

    // Recompile 20/80 into the watched directory; the running client follows.
    writeFileSync(join(h.src, 'split.yaml'), splitYaml('v1alpha4', 20, 80));
    compile(h);
    const v2 = servedVersions(h.out);
    assert.is.not(v2.RDS, v1.RDS, 'the route changed');
    assert.is(v2.CDS, v1.CDS, 'the clusters did not');
    await h.serve.waitFor(acksFor(h.serve, 'RDS', v2.RDS!));
    await measure(h, 50); // calls already in flight when the route switched
    const after = await measure(h, CALLS);
    assert.ok(Math.abs(after - 0.2) <= TOLERANCE, `share of echo-a after the change ${after.toFixed(3)}, expected 0.20 ± ${TOLERANCE}`);
    assertNoNack(h.serve);
    assert.ok(h.serve.lines.some((l) => l.event === 'reload'), 'the server logged the reload');
    // The metrics an operator watches say the same as the log: one client stream, every type applied, none rejected.
    assert.is(await metric(h.serve, 'meshc_serve_streams{protocol="sotw"}'), 1);
    assert.ok((await metric(h.serve, 'meshc_serve_reloads_total{result="loaded"}'))! >= 1, 'the reload counted');
    assert.is(await metric(h.serve, 'meshc_serve_reload_failing'), 0);
    for (const type of ['LDS', 'RDS', 'CDS', 'EDS']) {
      assert.ok((await metric(h.serve, `meshc_serve_acks_total{type="${type}"}`))! >= 1, `${type} ACKed`);
      assert.is(await metric(h.serve, `meshc_serve_nacks_total{type="${type}"}`), 0);
      assert.is(await metric(h.serve, `meshc_serve_streams_rejecting{type="${type}"}`), 0);
    }
  } finally {
    await h.close();
  }
});

test('a Gateway API HTTPRoute 80/20 on Service echo (GAMMA) compiled for gRPC: the real xDS client splits 1,500 calls 80/20', async () => {
  const h = await setUp(httpRouteYaml(80, 20));
  try {
    await warmUp(h.client);
    await allAcked(h);
    const share = await measure(h, CALLS);
    assert.ok(Math.abs(share - 0.8) <= TOLERANCE, `share of echo-a ${share.toFixed(3)}, expected 0.80 ± ${TOLERANCE}`);
    assertNoNack(h.serve);
  } finally {
    await h.close();
  }
});

/** A GRPCRoute with two rules and no catch-all back to the parent: x-canary calls to echo-b, the rest to echo-a. */
const GRPC_RULES = `apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: echo-rules, namespace: demo}
spec:
  parentRefs: [{group: "", kind: Service, name: echo}]
  rules:
    - matches:
        - method: {service: grpc.testing.EchoTestService}
          headers: [{name: x-canary, value: "yes"}]
      backendRefs: [{name: echo-b, port: 50051}]
    - backendRefs: [{name: echo-a, port: 50051}]
`;

function callWith(client: Client, headers: Record<string, string>): Promise<string> {
  const md = new Metadata();
  for (const [k, v] of Object.entries(headers)) md.set(k, v);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest<Buffer, Buffer>(ECHO, (b) => b, (b) => b, Buffer.from('ping'), md, { deadline: Date.now() + 5000 }, (err, res) =>
      err ? reject(err) : resolve(res!.toString()));
  });
}

test('a GRPCRoute with several rules (no catch-all to the parent): the real xDS client sends x-canary calls to echo-b, the others to echo-a', async () => {
  const h = await setUp(GRPC_RULES);
  try {
    await warmUp(h.client);
    await allAcked(h);
    const plain: Record<string, number> = {};
    const canary: Record<string, number> = {};
    for (let i = 0; i < 50; i++) {
      const p = await callWith(h.client, {});
      plain[p] = (plain[p] ?? 0) + 1;
      const c = await callWith(h.client, { 'x-canary': 'yes' });
      canary[c] = (canary[c] ?? 0) + 1;
    }
    assert.equal(plain, { a: 50 });
    assert.equal(canary, { b: 50 });
    assertNoNack(h.serve);
  } finally {
    await h.close();
  }
});

test('v1alpha1 TrafficSplit with weights 1 and 500m: 2:1', async () => {
  const h = await setUp(splitYaml('v1alpha1', '1', '500m'));
  try {
    await warmUp(h.client);
    const share = await measure(h, CALLS);
    assert.ok(Math.abs(share - 2 / 3) <= TOLERANCE, `share of echo-a ${share.toFixed(3)}, expected 0.667 ± ${TOLERANCE}`);
    await allAcked(h);
    assertNoNack(h.serve);
  } finally {
    await h.close();
  }
});

test('a backend whose identity does not admit the client keeps its weight: its 20% of calls fail (UNAVAILABLE) and never reach it, as meshc why says', async () => {
  const h = await setUp(splitYaml('v1alpha4', 80, 20), { denyB: true });
  try {
    const why = runCli(['why', '--from', 'demo/client', '--to', 'demo/echo:50051', '--format', 'json', h.src]);
    assert.match(JSON.parse(why.stdout).reason, '20% of requests go to demo/echo-b, whose identity demo/echo-b does not allow demo/client (the other 80% are allowed)');
    await warmUp(h.client);
    await allAcked(h);
    const counts: Record<string, number> = { a: 0, b: 0, failed: 0 };
    let sent = 0;
    const worker = async (): Promise<void> => {
      while (sent < CALLS) {
        sent++;
        try {
          counts[await call(h.client)]!++;
        } catch (err) {
          assert.is((err as { code?: number }).code, 14, `a denied call fails with UNAVAILABLE: ${(err as Error).message}`);
          counts.failed!++;
        }
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    assert.is(counts.b, 0, 'echo-b is never reached');
    assert.is(h.backends[1].calls, 0);
    const failed = counts.failed! / CALLS;
    assert.ok(Math.abs(failed - 0.2) <= TOLERANCE, `failed share ${failed.toFixed(3)}, expected 0.20 ± ${TOLERANCE}`);
    assertNoNack(h.serve);
  } finally {
    await h.close();
  }
});

test('a backend whose endpoint addresses are unknown is left out for gRPC clients: every call goes to the other, as meshc why --target grpc says', async () => {
  const h = await setUp(splitYaml('v1alpha4', 80, 20), { noEndpointsB: true });
  try {
    const ask = (...extra: string[]) => JSON.parse(runCli(['why', '--from', 'demo/client', '--to', 'demo/echo:50051', '--format', 'json', ...extra, h.src]).stdout);
    const grpc = ask('--target', 'grpc');
    assert.is(grpc.allowed, true);
    assert.is(grpc.target, 'grpc');
    assert.equal(grpc.split.map((b: { backend: string; excluded?: boolean }) => [b.backend, b.excluded ?? false]), [['demo/echo-a', false], ['demo/echo-b', true]]);
    assert.match(grpc.reason, 'demo/echo-b (its endpoint addresses are unknown, and gRPC clients need IP addresses) is excluded');
    const text = runCli(['why', '--from', 'demo/client', '--to', 'demo/echo:50051', '--target', 'grpc', h.src]).stdout;
    assert.match(text, /^ALLOWED {2}demo\/client → demo\/echo:50051 {2}\(.*; a proxyless gRPC client\)\n/);
    assert.match(text, /\n {2}excluded {2}demo\/echo-b {2}weight 20: excluded from the split: its endpoint addresses are unknown/);
    // For a sidecar the backend takes its 20% (Envoy resolves the Service's DNS name).
    assert.equal(ask().split.map((b: { excluded?: boolean }) => b.excluded ?? false), [false, false]);
    const direct = JSON.parse(runCli(['why', '--from', 'demo/client', '--to', 'demo/echo-b:50051', '--format', 'json', '--target', 'grpc', h.src]).stdout);
    assert.equal([direct.allowed, direct.denial, direct.delivery.code], [false, 'not-delivered', 'MESH0855']);
    await warmUp(h.client);
    const share = await measure(h, CALLS);
    assert.is(share, 1, 'every call reaches echo-a');
    assert.is(h.backends[1].calls, 0);
    await allAcked(h);
    assertNoNack(h.serve);
  } finally {
    await h.close();
  }
});

test('a cluster the real client rejects: one NACK logged with its message, never resent in a loop; a fixed output is then applied', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-e2e-nack-'));
  const out = join(dir, 'out');
  const node = (type: 'STATIC' | 'EDS'): FixtureNode[] => {
    const res = grpcSplitResources('svc', [{ cluster: 'a', port: 1, weight: 1 }]);
    const cluster = (res[CLUSTER] as Record<string, unknown>[])[0]!;
    if (type === 'STATIC') delete cluster.eds_cluster_config;
    cluster.type = type;
    return [{ id: NODE, target: 'grpc', resources: res }];
  };
  // Hand-written output (compile never emits a STATIC cluster for gRPC, which grpc-js-xds refuses).
  writeCompiledOutput(out, node('STATIC'));
  const serve = new ServeProcess(['--snapshots', out, '--listen', '127.0.0.1:0', '--log-format', 'json', '--log-level', 'debug']);
  const bootstrap = { xds_servers: [{ server_uri: await serve.address(), channel_creds: [{ type: 'insecure' }] }], node: { id: NODE, locality: {} } };
  const client = new Client('xds:///svc', credentials.createInsecure(), {
    'grpc.TEST_ONLY_DO_NOT_USE_IN_PROD.xds_bootstrap_config': JSON.stringify(bootstrap),
  });
  try {
    const failure = await call(client).then(() => null, (err: Error) => err.message);
    assert.match(String(failure), 'Unsupported type STATIC', 'the call fails with the client\'s validation error');
    const nack = await serve.event('nack');
    assert.is(nack.type, 'CDS');
    assert.match(String(nack.error), 'Unsupported type STATIC');
    // The client keeps its stream open; a server with the NACK loop would resend the cluster at once, again and again.
    await new Promise((r) => setTimeout(r, 1500));
    const cdsSent = (): number => serve.lines.filter((l) => l.event === 'response' && l.type === 'CDS').length;
    assert.is(cdsSent(), 1, 'the rejected version was sent once');
    assert.is(serve.lines.filter((l) => l.event === 'nack').length, 1);

    writeCompiledOutput(out, node('EDS'));
    const fixed = await serve.waitFor((l) => l.event === 'ack' && l.type === 'CDS');
    assert.is.not(fixed.version, nack.version, 'the fixed output is a new version, sent and applied');
    assert.is(cdsSent(), 2);
  } finally {
    client.close();
    await serve.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
