/**
 * Inputs that stress the compiler: names that collide once mangled, a split
 * with 10,000 backends, a workload selected by hundreds of services, TCP
 * services that cannot be told apart, exact split ratios, and what a gRPC
 * client can and cannot be given.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { loadSnapshot } from '../src/server/snapshot.ts';
import { compileTo, diagnosticLines, readManifest, tempDir } from './helpers/compile.ts';
import type { CompileOptions, CompileResult } from '../src/pipeline/compile.ts';
import { buildTestMesh } from './reach/model.ts';
import { MeshIndex } from '../src/model/index-lookup.ts';
import { computeReachability } from '../src/reach/index.ts';
import { buildMeshIR } from '../src/envoy/translate/build-ir.ts';
import { DEFAULT_PORTS, DEFAULT_TLS } from '../src/envoy/translate/ir.ts';
import { DEFAULT_CLUSTER_SETTINGS } from '../src/envoy/translate/cluster-defaults.ts';

const sa = (ns: string, name: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}, namespace: ${ns}}\n`;
const deploy = (ns: string, name: string, labels: Record<string, string>, account: string, ports: number[] = [8080]) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {matchLabels: ${JSON.stringify(labels)}}\n  template:\n    metadata: {labels: ${JSON.stringify(labels)}}\n    spec:\n      serviceAccountName: ${account}\n      containers: [{name: app, image: example/app:1, ports: [${ports.map((p) => `{containerPort: ${p}}`).join(', ')}]}]\n`;
const service = (ns: string, name: string, selector: Record<string, string>, port: number, extra = '', portExtra = '') =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: ${JSON.stringify(selector)}\n${extra}  ports: [{port: ${port}, targetPort: 8080${portExtra}}]\n`;
const allowAll = (ns: string, name: string, dest: string, sources: string[]) =>
  `apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  destination: {kind: ServiceAccount, name: ${dest}, namespace: ${ns}}\n  rules: [{kind: TCPRoute, name: all-ports}]\n  sources: [${sources.map((s) => `{kind: ServiceAccount, name: ${s}, namespace: ${ns}}`).join(', ')}]\n`;
const allPorts = (ns: string) => `apiVersion: specs.smi-spec.io/v1alpha4\nkind: TCPRoute\nmetadata: {name: all-ports, namespace: ${ns}}\nspec:\n  matches: {ports: []}\n`;

async function compileYaml(docs: string[], options: Partial<CompileOptions> = {}): Promise<{ r: CompileResult; out: string; cleanup(): void }> {
  const tmp = tempDir();
  const file = join(tmp.dir, 'mesh.yaml');
  writeFileSync(file, docs.join('---\n'));
  const out = join(tmp.dir, 'out');
  const r = await compileTo([file], out, options);
  return { r, out, cleanup: tmp.cleanup };
}

const codes = (r: CompileResult) => r.diagnostics.map((d) => d.code);
const readJson = (out: string, node: string, stem: string) => JSON.parse(readFileSync(join(out, 'nodes', node, `${stem}.json`), 'utf8'));


test('two Services whose DNS names coincide (a.b in c, a in b.c) are reported, never merged (MESH0853)', () => {
  // The schema already rejects dotted Service names; the compiler must not rely on it (models also come from the DSL).
  const mesh = buildTestMesh({
    services: [{ ns: 'c', name: 'a.b', selector: { app: 'x' } }, { ns: 'b.c', name: 'a', selector: { app: 'x' } }],
    workloads: [{ ns: 'c', name: 'x', labels: { app: 'x' } }],
  });
  const index = new MeshIndex(mesh);
  const reported: { code: string; args: Record<string, unknown> }[] = [];
  const options = { target: 'envoy' as const, trustDomain: 'cluster.local', clusterDomain: 'cluster.local', permissive: true, tls: DEFAULT_TLS, sds: { kind: 'ads' as const }, ports: DEFAULT_PORTS, cluster: DEFAULT_CLUSTER_SETTINGS };
  buildMeshIR(index, computeReachability(mesh, index, { permissive: true }), options, { report: (code, args) => reported.push({ code, args }) });
  const hit = reported.find((r) => r.code === 'MESH0853');
  assert.ok(hit, JSON.stringify(reported));
  assert.is(hit!.args.what, 'service DNS name');
  assert.is(hit!.args.name, 'a.b.c.svc.cluster.local');
  assert.equal([hit!.args.first, hit!.args.second].sort(), ['Service b.c/a', 'Service c/a.b']);
});

test('node directories that differ only in case collide on case-insensitive file systems (MESH0853)', () => {
  // The schema rejects an uppercase namespace (MESH0120), as the API server does; the compiler must not rely on it.
  const mesh = buildTestMesh({ workloads: [{ ns: 'Shop', name: 'web', labels: { app: 'web' }, sa: 'default' }, { ns: 'shop', name: 'web', labels: { app: 'web' }, sa: 'default' }] });
  const index = new MeshIndex(mesh);
  const reported: { code: string; args: Record<string, unknown> }[] = [];
  const options = { target: 'envoy' as const, trustDomain: 'cluster.local', clusterDomain: 'cluster.local', permissive: true, tls: DEFAULT_TLS, sds: { kind: 'ads' as const }, ports: DEFAULT_PORTS, cluster: DEFAULT_CLUSTER_SETTINGS };
  buildMeshIR(index, computeReachability(mesh, index, { permissive: true }), options, { report: (code, args) => reported.push({ code, args }) });
  const hit = reported.find((r) => r.code === 'MESH0853');
  assert.ok(hit, JSON.stringify(reported));
  assert.is(hit!.args.what, 'node directory');
  assert.match(String(hit!.args.name), /^[sS]hop_deployment_web$/);
});

test('an uppercase namespace is rejected before compile (MESH0120), as the API server rejects it', async () => {
  const { r, cleanup } = await compileYaml([deploy('Shop', 'web', { app: 'web' }, 'default')]);
  try {
    assert.ok(codes(r).includes('MESH0120'), diagnosticLines(r).join('\n'));
    assert.is(r.status, 'check-failed');
  } finally {
    cleanup();
  }
});

test('a workload with the longest names Kubernetes allows compiles: its node directory is shortened to 255 bytes (first 238, _, a hash) and meshc serve loads it', async () => {
  const long = `${'a'.repeat(62)}.${'b'.repeat(62)}.${'c'.repeat(62)}.${'d'.repeat(62)}`;
  const twin = `${long.slice(0, -1)}e`; // the same first 238 bytes of its directory: the hash tells them apart
  const { r, out, cleanup } = await compileYaml([deploy('shop', long, { app: 'x' }, 'default'), deploy('shop', twin, { app: 'y' }, 'default')]);
  try {
    assert.is(r.status, 'written', diagnosticLines(r).join('\n'));
    const nodes = readManifest(out).nodes;
    assert.equal(nodes.map((n) => n.id), [`shop/deployment/${long}`, `shop/deployment/${twin}`]);
    const dirs = nodes.map((n) => Object.values(n.files!)[0]!.split('/')[1]!);
    for (const d of dirs) {
      assert.is(Buffer.byteLength(d), 255, d);
      assert.ok(d.startsWith(`shop_deployment_${long.slice(0, 238 - 'shop_deployment_'.length)}_`), d);
      assert.match(d, /_[0-9a-f]{16}$/);
      assert.ok(existsSync(join(out, 'nodes', d, 'xds.pb')), d);
    }
    assert.is.not(dirs[0], dirs[1]);
    const snapshot = await loadSnapshot(out);
    assert.equal(snapshot.ids, [`shop/deployment/${long}`, `shop/deployment/${twin}`]);
  } finally {
    cleanup();
  }
  // Deterministic: the same input, the same directory names.
  const again = await compileYaml([deploy('shop', long, { app: 'x' }, 'default')]);
  try {
    assert.ok(Object.values(readManifest(again.out).nodes[0]!.files!)[0]!.includes(`_${createHash('sha256').update(`shop_deployment_${long}`).digest('hex').slice(0, 16)}/`));
  } finally {
    again.cleanup();
  }
});

test('an application port the sidecar takes itself (admin, inbound, outbound, stats) is refused with MESH0866; other --*-port values compile it', async () => {
  const svc = (name: string, port: number, target: number) =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  selector: {app: api}\n  ports: [{name: http, port: ${port}, targetPort: ${target}}]\n`;
  const docs = [
    deploy('shop', 'api', { app: 'api' }, 'api', [15000, 15003, 8080]), sa('shop', 'api'),
    svc('admin', 80, 15000), svc('inbound', 81, 15003), svc('plain', 15001, 8080),
    // Declared container ports clash too, even when no Service reaches them; a UDP port does not (Envoy listens on TCP).
    deploy('shop', 'web', { app: 'web' }, 'default', [15010, 15001]).replace('{containerPort: 15001}', '{containerPort: 15001, protocol: UDP}'),
  ];
  const { r, out, cleanup } = await compileYaml(docs);
  try {
    assert.is(r.status, 'compile-failed', diagnosticLines(r).join('\n'));
    assert.not.ok(existsSync(out), 'nothing written');
    const lines = diagnosticLines(r).filter((l) => l.includes('MESH0866'));
    assert.equal(lines.map((l) => / serves port (\d+) \((.*?)\), but its Envoy sidecar takes that port for its (.*?) \(--([a-z-]+)\)/.exec(l)!.slice(1)), [
      ['15000', 'target port of service shop/admin port 80', 'admin interface on 127.0.0.1', 'admin-port'],
      ['15003', 'target port of service shop/inbound port 81', 'inbound listener', 'inbound-port'],
      ['15010', 'container port of container app', 'Prometheus listener', 'stats-port'],
    ], lines.join('\n'));
    // Positions: the Service's targetPort, or the workload's containers.
    assert.match(lines[0], /mesh\.yaml:\d+:\d+: error MESH0866 shop\/Deployment\/api serves port 15000/);
    // A Service port (not target port) equal to the outbound port is fine: clients' traffic is matched by original destination.
    assert.not.ok(lines.some((l) => l.includes('15001')), lines.join('\n'));
  } finally {
    cleanup();
  }
  const moved = await compileYaml(docs, { ports: { inbound: 16003, outbound: 16001, stats: 16010, admin: 16000 } });
  try {
    assert.is(moved.r.status, 'written', diagnosticLines(moved.r).join('\n'));
    assert.not.ok(codes(moved.r).includes('MESH0866'));
    const chains = readJson(moved.out, 'shop_deployment_api', 'listeners').resources.find((l: { name: string }) => l.name === 'inbound-listener').filter_chains;
    assert.equal(chains.map((c: { name: string }) => c.name), ['inbound_8080_http', 'inbound_15000_http', 'inbound_15003_http']);
  } finally {
    moved.cleanup();
  }
  // gRPC clients run no sidecar: nothing to clash with.
  const grpc = await compileYaml(docs, { target: 'grpc' });
  try {
    assert.not.ok(codes(grpc.r).includes('MESH0866'), diagnosticLines(grpc.r).join('\n'));
  } finally {
    grpc.cleanup();
  }
});

test('header matches Envoy would refuse: a bad header name is a check error (MESH0112), an empty value compiles as ^$ — never an internal error', async () => {
  const routes = (headers: string) => `apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: r, namespace: h}\nspec:\n  matches:\n    - name: m\n      pathRegex: /api\n      headers: ${headers}\n`;
  const target = `apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata: {name: t, namespace: h}\nspec:\n  destination: {kind: ServiceAccount, name: api, namespace: h}\n  rules: [{kind: HTTPRouteGroup, name: r, matches: [m]}]\n  sources: [{kind: ServiceAccount, name: web, namespace: h}]\n`;
  const base = [sa('h', 'api'), sa('h', 'web'), deploy('h', 'api', { app: 'api' }, 'api'), deploy('h', 'web', { app: 'web' }, 'web'), service('h', 'api', { app: 'api' }, 80), target];
  for (const bad of ['""', '"x y"', '"x\\ry"', '"x\\u0000y"']) {
    const { r, cleanup } = await compileYaml([...base, routes(`{${bad}: v}`)]);
    try {
      assert.is(r.status, 'check-failed', `${bad}: ${diagnosticLines(r).join('\n')}`);
      assert.equal(codes(r).filter((c) => /^MESH08/.test(c)), [], 'no compiler finding');
      assert.ok(diagnosticLines(r).some((l) => /error MESH0112 spec\.matches\[0\]\.headers\[.*\] is .*: an HTTP header name is a token/.test(l)), diagnosticLines(r).join('\n'));
    } finally {
      cleanup();
    }
  }
  const { r, out, cleanup } = await compileYaml([...base, routes('{x-canary: "", ":authority": "api.h"}')]);
  try {
    assert.is(r.status, 'written', diagnosticLines(r).join('\n'));
    const route = readJson(out, 'h_deployment_api', 'routes').resources[0].virtual_hosts[0].routes[0];
    assert.equal(route.match.headers, [
      { name: ':authority', string_match: { safe_regex: { regex: 'api.h' } } },
      { name: 'x-canary', string_match: { safe_regex: { regex: '^$' } } },
    ]);
    const inbound = readJson(out, 'h_deployment_api', 'listeners').resources.find((l: { name: string }) => l.name === 'inbound-listener');
    assert.ok(JSON.stringify(inbound).includes('{"header":{"name":"x-canary","string_match":{"safe_regex":{"regex":"^$"}}}}'), 'RBAC admits only an empty value too');
  } finally {
    cleanup();
  }
});

test('Pods a controller in the input manages (kubectl get all) run that workload\'s proxy: no node of their own; bare Pods and Pods whose controller is absent keep theirs', async () => {
  const pod = (name: string, labels: Record<string, string>, account: string, owner?: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: k\n  labels: ${JSON.stringify(labels)}\n${owner ? `  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: ${owner}, uid: u-${owner}, controller: true}]\n` : ''}spec:\n  serviceAccountName: ${account}\n  containers: [{name: app, image: example/app:1}]\n`;
  const docs = [
    sa('k', 'api'), sa('k', 'batch'), deploy('k', 'api', { app: 'api' }, 'api'),
    pod('api-5d8f-aaaaa', { app: 'api', 'pod-template-hash': '5d8f' }, 'api', 'api-5d8f'),
    pod('api-5d8f-bbbbb', { app: 'api', 'pod-template-hash': '5d8f' }, 'api', 'api-5d8f'),
    pod('worker-77c-ccccc', { app: 'worker' }, 'batch', 'worker-77c'),
    pod('debug', { app: 'api' }, 'api'),
  ];
  const { r, out, cleanup } = await compileYaml(docs);
  try {
    assert.is(r.status, 'written', diagnosticLines(r).join('\n'));
    assert.equal(readManifest(out).nodes.map((n) => n.id), ['k/deployment/api', 'k/pod/debug', 'k/pod/worker-77c-ccccc']);
  } finally {
    cleanup();
  }
});

test('two Services with the same ClusterIP on one port: the virtual-host domain collides (MESH0853)', async () => {
  const { r, cleanup } = await compileYaml([
    service('x', 'one', { app: 'a' }, 80, '  clusterIP: 10.96.0.7\n'), service('x', 'two', { app: 'a' }, 80, '  clusterIP: 10.96.0.7\n'),
    deploy('x', 'a', { app: 'a' }, 'default'),
  ], { permissive: true });
  try {
    assert.is(r.status, 'compile-failed');
    assert.ok(diagnosticLines(r).some((l) => l.includes('MESH0853') && l.includes('virtual-host domain "10.96.0.7')), diagnosticLines(r).join('\n'));
  } finally {
    cleanup();
  }
});

test('a split with 10,000 backends compiles into one route with 10,000 weighted clusters, exact weights', async () => {
  const n = 10_000;
  const docs = [sa('big', 'client'), sa('big', 'server'), deploy('big', 'client', { app: 'client' }, 'client'), allPorts('big'),
    deploy('big', 'server', { app: 'server' }, 'server'), service('big', 'root', { app: 'server' }, 80), allowAll('big', 'server', 'server', ['client'])];
  const backends: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(service('big', `b${i}`, { app: 'server' }, 80));
    backends.push(`    - {service: b${i}, weight: ${(i % 7) + 1}}\n`);
  }
  docs.push(`apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: big, namespace: big}\nspec:\n  service: root\n  backends:\n${backends.join('')}`);
  const { r, out, cleanup } = await compileYaml(docs);
  try {
    assert.is(r.status, 'written', diagnosticLines(r).filter((l) => l.includes('error')).join('\n'));
    const routes = readJson(out, 'big_deployment_client', 'routes');
    const root = routes.resources[0].virtual_hosts.find((v: { name: string }) => v.name === 'big/root|80');
    const clusters = root.routes[0].route.weighted_clusters.clusters as { name: string; weight: number }[];
    assert.is(clusters.length, n);
    clusters.forEach((c, i) => {
      assert.is(c.name, `big/b${i}|80`);
      assert.is(c.weight, (i % 7) + 1);
    });
    assert.is(root.routes[0].route.weighted_clusters.total_weight, undefined, 'no total_weight');
    const m = readManifest(out);
    const client = m.nodes.find((x) => x.id === 'big/deployment/client')!;
    assert.is(client.resources['type.googleapis.com/envoy.config.cluster.v3.Cluster'].length, n + 1, 'every backend and envoy-admin (the root has no route of its own)');
  } finally {
    cleanup();
  }
});

test('a workload selected by 300 services on one target port gets one inbound chain and one route configuration', async () => {
  const docs = [sa('m', 'app'), sa('m', 'caller'), deploy('m', 'app', { app: 'app' }, 'app'), deploy('m', 'caller', { app: 'caller' }, 'caller'),
    allPorts('m'), allowAll('m', 'app', 'app', ['caller'])];
  for (let i = 0; i < 300; i++) docs.push(service('m', `s${i}`, { app: 'app' }, 9000 + i));
  const { r, out, cleanup } = await compileYaml(docs);
  try {
    assert.is(r.status, 'written', diagnosticLines(r).join('\n'));
    const listeners = readJson(out, 'm_deployment_app', 'listeners');
    const inbound = listeners.resources.find((l: { name: string }) => l.name === 'inbound-listener');
    assert.is(inbound.filter_chains.length, 1);
    assert.is(inbound.filter_chains[0].filter_chain_match.destination_port, 8080);
    assert.is(readJson(out, 'm_deployment_app', 'routes').resources.length, 1);
    // The caller reaches all 300 ports: one HTTP chain and one route configuration per port.
    const callerRoutes = readJson(out, 'm_deployment_caller', 'routes');
    assert.is(callerRoutes.resources.length, 300);
  } finally {
    cleanup();
  }
});

test('TCP services on one port without ClusterIP or endpoints are left out with MESH0858; a ClusterIP disambiguates', async () => {
  const docs = [sa('t', 'client'), sa('t', 'q'), deploy('t', 'client', { app: 'client' }, 'client'), deploy('t', 'q', { app: 'q' }, 'q'),
    allPorts('t'), allowAll('t', 'q', 'q', ['client']),
    service('t', 'qa', { app: 'q' }, 5672, '', ', appProtocol: tcp'), service('t', 'qb', { app: 'q' }, 5672, '', ', appProtocol: tcp'),
    service('t', 'qc', { app: 'q' }, 5672, '  clusterIP: 10.96.1.3\n', ', appProtocol: tcp')];
  const { r, out, cleanup } = await compileYaml(docs);
  try {
    assert.is(r.status, 'written');
    const lines = diagnosticLines(r).filter((l) => l.includes('MESH0858'));
    assert.is(lines.length, 2, lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('t/qa')) && lines.some((l) => l.includes('t/qb')));
    const outbound = readJson(out, 't_deployment_client', 'listeners').resources.find((l: { name: string }) => l.name === 'outbound-listener');
    assert.equal(outbound.filter_chains.map((c: { name: string }) => c.name), ['outbound_t/qc_5672_tcp']);
    assert.equal(outbound.filter_chains[0].filter_chain_match.prefix_ranges, [{ address_prefix: '10.96.1.3', prefix_len: 32 }]);
  } finally {
    cleanup();
  }
});

test('split weights whose sum exceeds 32 bits even after the GCD are refused (MESH0861), never rounded', async () => {
  const docs = [sa('w', 'client'), sa('w', 'server'), deploy('w', 'client', { app: 'client' }, 'client'), deploy('w', 'server', { app: 'server' }, 'server'),
    allPorts('w'), allowAll('w', 'server', 'server', ['client']), service('w', 'root', { app: 'server' }, 80),
    service('w', 'b1', { app: 'server' }, 80), service('w', 'b2', { app: 'server' }, 80),
    'apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: s, namespace: w}\nspec:\n  service: root\n  backends:\n    - {service: b1, weight: 4000000000}\n    - {service: b2, weight: 3000000001}\n'];
  const { r, cleanup } = await compileYaml(docs);
  try {
    if (r.status === 'check-failed') {
      // The split lint may already refuse such weights; then compile must not write either.
      assert.ok(r.diagnostics.some((d) => d.severity === 'error'));
    } else {
      assert.is(r.status, 'compile-failed', diagnosticLines(r).join('\n'));
      assert.ok(diagnosticLines(r).some((l) => l.includes('MESH0861') && l.includes('7000000001')), diagnosticLines(r).join('\n'));
    }
  } finally {
    cleanup();
  }
});

test('gRPC target: a service without endpoint IPs is left out and said so (MESH0855); with Endpoints it is served by EDS', async () => {
  const docs = [sa('g', 'client'), sa('g', 'server'), deploy('g', 'client', { app: 'client' }, 'client'), deploy('g', 'server', { app: 'server' }, 'server'),
    allPorts('g'), allowAll('g', 'server', 'server', ['client']),
    service('g', 'known', { app: 'server' }, 50051, '', ', name: grpc, appProtocol: grpc'),
    service('g', 'unknown', { app: 'server' }, 50052, '', ', name: grpc, appProtocol: grpc'),
    'apiVersion: v1\nkind: Endpoints\nmetadata: {name: known, namespace: g}\nsubsets:\n  - addresses: [{ip: 10.1.0.1}, {ip: "fd00::1"}]\n    ports: [{name: grpc, port: 8080}]\n'];
  const { r, out, cleanup } = await compileYaml(docs, { target: 'grpc' });
  try {
    assert.is(r.status, 'written', diagnosticLines(r).join('\n'));
    const line = diagnosticLines(r).find((l) => l.includes('MESH0855'));
    assert.ok(line && line.includes('g/unknown port 50052') && line.includes('1 node(s)'), diagnosticLines(r).join('\n'));
    const listeners = readJson(out, 'g_deployment_client', 'listeners').resources.map((l: { name: string }) => l.name);
    assert.equal(listeners, ['known.g.svc.cluster.local:50051']);
    const cla = readJson(out, 'g_deployment_client', 'endpoints').resources[0];
    assert.is(cla.cluster_name, 'g/known|50051');
    assert.equal(cla.endpoints[0].locality, {});
    assert.is(cla.endpoints[0].load_balancing_weight, 2);
    assert.equal(cla.endpoints[0].lb_endpoints.map((e: { endpoint: { address: { socket_address: { address: string } } } }) => e.endpoint.address.socket_address.address), ['10.1.0.1', 'fd00::1']);
    const cluster = readJson(out, 'g_deployment_client', 'clusters').resources[0];
    assert.is(cluster.type, 'EDS');
    assert.equal(cluster.eds_cluster_config.eds_config, { ads: {}, resource_api_version: 'V3' });
    // mTLS through the bootstrap's certificate provider (gRPC reads no SDS), applied with XdsChannelCredentials.
    const tls = cluster.transport_socket.typed_config.common_tls_context;
    assert.equal(tls.tls_certificate_provider_instance, { instance_name: 'meshc' });
    assert.equal(tls.validation_context.ca_certificate_provider_instance, { instance_name: 'meshc' });
  } finally {
    cleanup();
  }
});

test('permissive mode drops RBAC but keeps mTLS on every inbound chain', async () => {
  const tmp = tempDir();
  try {
    const r = await compileTo(['fixtures/bookstore'], tmp.dir, { permissive: true });
    assert.is(r.status, 'written');
    const listeners = readJson(tmp.dir, 'bookwarehouse_statefulset_mysql', 'listeners');
    const inbound = listeners.resources.find((l: { name: string }) => l.name === 'inbound-listener');
    const chain = inbound.filter_chains[0];
    assert.equal(chain.filters.map((f: { name: string }) => f.name), ['envoy.filters.network.tcp_proxy']);
    assert.is(chain.transport_socket.typed_config.require_client_certificate, true);
    // And every proxy may reach every service.
    const thief = readJson(tmp.dir, 'bookthief_deployment_bookthief', 'clusters').resources.map((c: { name: string }) => c.name);
    assert.ok(thief.includes('bookwarehouse/mysql|3306') && thief.includes('bookstore/bookstore-v1|14001'), thief.join(' '));
  } finally {
    tmp.cleanup();
  }
});

test('permissive mode: an ExternalName Service for a host outside the cluster is left out with MESH0867; an alias of an in-cluster name is compiled', async () => {
  const ext = (name: string, host: string) =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: e}\nspec:\n  type: ExternalName\n  externalName: ${host}\n  ports: [{name: tcp-pg, port: 5432}]\n`;
  const { r, out, cleanup } = await compileYaml([sa('e', 'app'), deploy('e', 'app', { app: 'app' }, 'app'),
    ext('db', 'db.example.com'), ext('alias', 'pg.data.svc.cluster.local.')], { permissive: true });
  try {
    assert.is(r.status, 'written', diagnosticLines(r).join('\n'));
    const lines = diagnosticLines(r).filter((l) => l.includes('MESH0867'));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /warning MESH0867 service e\/db is an ExternalName Service for db\.example\.com, outside the mesh: in permissive mode it is left out of the outbound configuration of 1 proxy node\(s\)/);
    const clusters = readJson(out, 'e_deployment_app', 'clusters').resources.map((c: { name: string }) => c.name);
    assert.ok(clusters.includes('e/alias|5432'), clusters.join(', '));
    assert.not.ok(clusters.includes('e/db|5432'), 'no mTLS cluster towards a host without a sidecar');
    const chains = readJson(out, 'e_deployment_app', 'listeners').resources.flatMap((l: { filter_chains?: { name: string }[] }) => (l.filter_chains ?? []).map((c) => c.name));
    assert.not.ok(chains.some((c: string | undefined) => c?.includes('e/db')), chains.join(', '));
  } finally {
    cleanup();
  }
});

test('SMI mode: a proxy gets only what its identity may reach (bookthief gets no outbound listener at all)', async () => {
  const tmp = tempDir();
  try {
    const r = await compileTo(['fixtures/bookstore'], tmp.dir);
    assert.is(r.status, 'written');
    const names = readJson(tmp.dir, 'bookthief_deployment_bookthief', 'listeners').resources.map((l: { name: string }) => l.name);
    assert.equal(names, ['stats-listener']);
    const buyer = readJson(tmp.dir, 'bookbuyer_deployment_bookbuyer', 'clusters').resources.map((c: { name: string }) => c.name);
    assert.equal(buyer, ['bookstore/bookstore-v1|14001', 'bookstore/bookstore-v2|14001', 'envoy-admin']);
    // RBAC on the source principal: the mysql chain admits only bookwarehouse's SPIFFE id.
    const mysql = readJson(tmp.dir, 'bookwarehouse_statefulset_mysql', 'listeners').resources.find((l: { name: string }) => l.name === 'inbound-listener');
    const rbac = mysql.filter_chains[0].filters[0].typed_config;
    assert.is(rbac['@type'], 'type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC');
    assert.equal(Object.values(rbac.rules.policies).map((p) => (p as { principals: unknown[] }).principals), [
      [{ authenticated: { principal_name: { exact: 'spiffe://cluster.local/ns/bookwarehouse/sa/bookwarehouse' } } }],
    ]);
  } finally {
    tmp.cleanup();
  }
});

test.run();
