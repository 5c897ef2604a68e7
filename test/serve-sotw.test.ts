import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { status as Status } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import {
  anyBytes, connect, ENVOY_NODE, fetchUnary, GRPC_NODE, sotwBarrier, sotwStream, startTestServer, type DiscoveryResponse, type TestStream,
} from './helpers/serve-client.ts';
import { CLUSTER, decodeAny, ENDPOINT, grpcSplitResources, LISTENER, ROUTE, type FixtureNode } from './helpers/serve-fixtures.ts';

const NODE = 'shop/deployment/web';
const OTHER = 'shop/deployment/api';

function mesh(weights: [number, number] = [80, 20], extra: Partial<FixtureNode> = {}): FixtureNode[] {
  return [
    { id: NODE, target: 'grpc', resources: grpcSplitResources('svc', [{ cluster: 'a', port: 5001, weight: weights[0] }, { cluster: 'b', port: 5002, weight: weights[1] }]), ...extra },
    { id: OTHER, resources: grpcSplitResources('other', [{ cluster: 'c', port: 5003, weight: 1 }]) },
  ];
}

function names(r: DiscoveryResponse): string[] {
  return r.resources.map((a) => {
    const m = decodeAny(anyBytes(a)).message;
    return m.name ?? m.cluster_name;
  });
}

/** Requests every type in client order LDS, RDS, CDS, EDS and ACKs, like a gRPC client resolving xds:///svc. */
async function resolveSvc(s: TestStream<DiscoveryResponse>): Promise<Map<string, DiscoveryResponse>> {
  const got = new Map<string, DiscoveryResponse>();
  const ask = async (type: string, resourceNames: string[], first: boolean): Promise<void> => {
    s.send({ ...(first ? { node: GRPC_NODE(NODE) } : {}), type_url: type, resource_names: resourceNames });
    const r = await s.next();
    assert.is(r.type_url, type);
    got.set(type, r);
    s.send({ type_url: type, resource_names: resourceNames, version_info: r.version_info, response_nonce: r.nonce });
  };
  await ask(LISTENER, ['svc'], true);
  await ask(ROUTE, ['svc-route'], false);
  await ask(CLUSTER, ['a', 'b'], false);
  await ask(ENDPOINT, ['a', 'b'], false);
  return got;
}

test('serves the pre-encoded resources of the node named by the first request, byte for byte', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    const got = await resolveSvc(s);
    const lds = got.get(LISTENER)!;
    assert.equal(names(lds), ['svc']);
    assert.ok(lds.nonce !== '', 'every response carries a nonce');
    const manifest = JSON.parse(readFileSync(join(t.dir, 'manifest.json'), 'utf8'));
    const node = manifest.nodes.find((n: { id: string }) => n.id === NODE);
    const ldsJson = JSON.parse(readFileSync(join(t.dir, node.files.listeners), 'utf8'));
    assert.is(lds.version_info, ldsJson.version_info, 'version_info is the compiled content hash');
    const pb = readFileSync(join(t.dir, node.files.listenersBinary));
    assert.equal(anyBytes(lds.resources[0]!), Buffer.from(protobuf.Reader.create(pb).bytes()), 'the Any bytes are the .pb bytes');
    assert.equal(names(got.get(CLUSTER)!), ['a', 'b']);
    assert.equal(names(got.get(ENDPOINT)!), ['a', 'b']);
    const nonces = [...got.values()].map((r) => r.nonce);
    assert.is(new Set(nonces).size, 4, 'nonces are unique on the stream');
    assert.is(lds.control_plane?.identifier, 'meshc');
    assert.equal(await sotwBarrier(s, 1), [], 'ACKs are not answered');
    assert.equal(t.events('ack').map((r) => r.fields.type).slice(0, 4), ['LDS', 'RDS', 'CDS', 'EDS']);
    assert.is(t.events('nack').length, 0);
    assert.is(t.server.stats.acks, 4);
    assert.is(t.server.stats.nacks, 0);
  } finally {
    client.close();
    await t.close();
  }
});

test('an unknown node id ends the stream with NOT_FOUND and the known ids, not a hang', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    s.send({ node: GRPC_NODE('shop/deployment/nope'), type_url: LISTENER, resource_names: ['svc'] });
    const end = await s.ended;
    assert.is(end.code, Status.NOT_FOUND);
    assert.match(end.details, "node id 'shop/deployment/nope' is not in the compiled output");
    assert.match(end.details, `known ids: ${OTHER}, ${NODE}`);
    assert.is(t.server.stats.activeStreams, 0);
  } finally {
    client.close();
    await t.close();
  }
});

test('a first request without node.id or type_url is rejected with INVALID_ARGUMENT', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const a = sotwStream(client);
    a.send({ type_url: LISTENER, resource_names: ['svc'] });
    const endA = await a.ended;
    assert.is(endA.code, Status.INVALID_ARGUMENT);
    assert.match(endA.details, 'node.id');
    const b = sotwStream(client);
    b.send({ node: GRPC_NODE(NODE), resource_names: ['svc'] });
    const endB = await b.ended;
    assert.is(endB.code, Status.INVALID_ARGUMENT);
    assert.match(endB.details, 'type_url is required');
  } finally {
    client.close();
    await t.close();
  }
});

test('a NACK is logged with the client message and the rejected version is never resent; a new snapshot is', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    s.send({ node: GRPC_NODE(NODE), type_url: CLUSTER, resource_names: ['a', 'b'] });
    const first = await s.next();
    // NACK: the old (empty) version, the nonce, and error_detail.
    s.send({ type_url: CLUSTER, resource_names: ['a', 'b'], version_info: '', response_nonce: first.nonce, error_detail: { code: 14, message: 'xDS response validation errors: [bad cluster a]' } });
    assert.equal(await sotwBarrier(s, 1), [], 'nothing is resent after a NACK');
    // The client repeats its request with the same nonce (e.g. after its own timer): still nothing.
    s.send({ type_url: CLUSTER, resource_names: ['a', 'b'], version_info: '', response_nonce: first.nonce, error_detail: { code: 14, message: 'xDS response validation errors: [bad cluster a]' } });
    assert.equal(await sotwBarrier(s, 2), []);
    const nacks = t.events('nack');
    assert.is(nacks.length, 1);
    assert.is(nacks[0]!.fields.error, 'xDS response validation errors: [bad cluster a]');
    assert.is(nacks[0]!.fields.version, first.version_info);
    assert.is(nacks[0]!.fields.type, 'CDS');
    assert.is(t.events('ack').filter((r) => r.fields.type === 'CDS').length, 0, 'a NACK is not counted as an ACK');
    // A fixed compile produces a new version, which is pushed.
    const fixed = mesh();
    for (const c of fixed[0]!.resources[CLUSTER] as Record<string, unknown>[]) c.connect_timeout = { seconds: 2 };
    await t.publish(fixed);
    const next = await s.next();
    assert.is(next.type_url, CLUSTER);
    assert.is.not(next.version_info, first.version_info);
    assert.ok(next.nonce !== first.nonce);
  } finally {
    client.close();
    await t.close();
  }
});

test('a request with a stale nonce is ignored; the one with the latest nonce is answered', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    s.send({ node: GRPC_NODE(NODE), type_url: ENDPOINT, resource_names: ['a'] });
    const r1 = await s.next();
    assert.equal(names(r1), ['a']);
    s.send({ type_url: ENDPOINT, resource_names: ['a', 'b'], version_info: r1.version_info, response_nonce: 'stale-or-made-up' });
    assert.equal(await sotwBarrier(s, 1), [], 'stale request not answered');
    assert.is(t.server.stats.staleNonces, 1);
    s.send({ type_url: ENDPOINT, resource_names: ['a', 'b'], version_info: r1.version_info, response_nonce: r1.nonce });
    const r2 = await s.next();
    assert.equal(names(r2), ['b'], 'RDS/EDS: only the newly subscribed name is sent');
  } finally {
    client.close();
    await t.close();
  }
});

test('a request repeating the subscription (reordered, duplicated) is not answered; a changed one is, and a full-state type sends its whole set', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    s.send({ node: GRPC_NODE(NODE), type_url: ENDPOINT, resource_names: ['a', 'b'] });
    const r1 = await s.next();
    s.send({ type_url: ENDPOINT, resource_names: ['b', 'a', 'b'], version_info: r1.version_info, response_nonce: r1.nonce });
    assert.equal(await sotwBarrier(s, 1), [], 'the same names in another order are the same subscription');
    s.send({ type_url: ENDPOINT, resource_names: ['a', 'a'], version_info: r1.version_info, response_nonce: r1.nonce });
    s.send({ type_url: ENDPOINT, resource_names: ['a', 'b'], version_info: r1.version_info, response_nonce: r1.nonce });
    const r2 = await s.next();
    assert.equal(names(r2), ['b'], 'b was dropped by the duplicated list, so subscribing it again sends it');
    s.send({ type_url: CLUSTER, resource_names: ['a'] });
    const c1 = await s.next();
    assert.equal(names(c1), ['a']);
    s.send({ type_url: CLUSTER, resource_names: ['a', 'b'], version_info: c1.version_info, response_nonce: c1.nonce });
    const c2 = await s.next();
    assert.equal(names(c2), ['a', 'b'], 'CDS is full state: the whole subscribed set');
    s.send({ type_url: CLUSTER, resource_names: ['b', 'a'], version_info: c2.version_info, response_nonce: c2.nonce });
    assert.equal(await sotwBarrier(s, 2), []);
  } finally {
    client.close();
    await t.close();
  }
});

test('names not yet known are remembered and pushed when a later compile adds them', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    s.send({ node: GRPC_NODE(NODE), type_url: ENDPOINT, resource_names: ['a', 'z'] });
    const r1 = await s.next();
    assert.equal(names(r1), ['a'], 'the intersection of requested and available, not withheld');
    s.send({ type_url: ENDPOINT, resource_names: ['a', 'z'], version_info: r1.version_info, response_nonce: r1.nonce });
    assert.equal(await sotwBarrier(s, 1), []);
    const withZ = mesh();
    withZ[0]!.resources = grpcSplitResources('svc', [
      { cluster: 'a', port: 5001, weight: 80 }, { cluster: 'b', port: 5002, weight: 10 }, { cluster: 'z', port: 5009, weight: 10 },
    ]);
    await t.publish(withZ);
    const r2 = await s.next();
    assert.equal(names(r2), ['z'], 'only the changed/new named resource');
  } finally {
    client.close();
    await t.close();
  }
});

test('LDS and CDS are full state: a deleted cluster leaves CDS only after the route that used it (make-before-break); EDS-only changes do not resend CDS', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    const got = await resolveSvc(s);
    const oneBackend = mesh();
    oneBackend[0]!.resources = grpcSplitResources('svc', [{ cluster: 'a', port: 5001, weight: 1 }]);
    await t.publish(oneBackend);
    // Cluster b is deleted and the route stops using it: the route goes first (CDS a+b is what the client holds)...
    const rds = await s.next();
    assert.is(rds.type_url, ROUTE);
    assert.is.not(rds.version_info, got.get(ROUTE)!.version_info);
    assert.equal(await sotwBarrier(s, 1), [], 'b stays while the new route is not answered');
    s.send({ type_url: ROUTE, resource_names: ['svc-route'], version_info: rds.version_info, response_nonce: rds.nonce });
    // ...then CDS, full state without b. Cluster a did not change: no EDS resend.
    const cds = await s.next();
    assert.is(cds.type_url, CLUSTER);
    assert.equal(names(cds), ['a'], 'full state without b');
    s.send({ type_url: CLUSTER, resource_names: ['a', 'b'], version_info: cds.version_info, response_nonce: cds.nonce });
    assert.equal(await sotwBarrier(s, 2), []);

    // Only an endpoint port changes: EDS alone is pushed.
    const moved = mesh();
    moved[0]!.resources = grpcSplitResources('svc', [{ cluster: 'a', port: 7001, weight: 1 }]);
    await t.publish(moved);
    const eds = await s.next();
    assert.is(eds.type_url, ENDPOINT);
    assert.equal(names(eds), ['a']);
    assert.is(decodeAny(anyBytes(eds.resources[0]!)).message.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value, 7001);
    s.send({ type_url: ENDPOINT, resource_names: ['a', 'b'], version_info: eds.version_info, response_nonce: eds.nonce });
    assert.equal(await sotwBarrier(s, 3), []);
  } finally {
    client.close();
    await t.close();
  }
});

test('an update reaches the client in make-before-break order CDS, EDS, LDS, RDS; a changed cluster gets its CLA again', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    await resolveSvc(s);
    const next = mesh();
    const res = grpcSplitResources('svc2', [{ cluster: 'a', port: 5001, weight: 50 }, { cluster: 'b', port: 5002, weight: 50 }]);
    // Same endpoints, but every cluster changes (a different connect_timeout), and listener + route change.
    for (const c of res[CLUSTER] as Record<string, unknown>[]) c.connect_timeout = { seconds: 3 };
    (res[LISTENER] as Record<string, unknown>[])[0]!.name = 'svc';
    (res[ROUTE] as Record<string, unknown>[])[0]!.name = 'svc-route';
    next[0]!.resources = res;
    await t.publish(next);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await s.next();
      order.push(r.type_url);
      if (r.type_url === ENDPOINT) assert.equal(names(r), ['a', 'b'], 'CLAs resent although unchanged');
    }
    assert.equal(order, [CLUSTER, ENDPOINT, LISTENER, ROUTE]);
  } finally {
    client.close();
    await t.close();
  }
});

test('make-before-break on a swap (Envoy, wildcard CDS): the deleted cluster stays in CDS until the new route and endpoints are answered; a last CDS drops it', async () => {
  const EDGE = 'shop/deployment/edge';
  const edge = (backends: { cluster: string; port: number; weight: number }[]): FixtureNode[] => [{ id: EDGE, resources: grpcSplitResources('svc', backends) }];
  const t = await startTestServer(edge([{ cluster: 'a', port: 5001, weight: 80 }, { cluster: 'b', port: 5002, weight: 20 }]));
  const client = connect(t.server.address);
  const clustersVersion = (): string => {
    const manifest = JSON.parse(readFileSync(join(t.dir, 'manifest.json'), 'utf8'));
    return JSON.parse(readFileSync(join(t.dir, manifest.nodes[0].files.clusters), 'utf8')).version_info;
  };
  try {
    const s = sotwStream(client);
    const ack = (r: DiscoveryResponse, resourceNames: string[]): void =>
      s.send({ type_url: r.type_url, resource_names: resourceNames, version_info: r.version_info, response_nonce: r.nonce });
    // As Envoy: wildcard CDS and LDS, EDS and RDS by name.
    s.send({ node: ENVOY_NODE(EDGE), type_url: CLUSTER });
    const c1 = await s.next();
    ack(c1, []);
    s.send({ type_url: ENDPOINT, resource_names: ['a', 'b'] });
    const e1 = await s.next();
    ack(e1, ['a', 'b']);
    s.send({ type_url: LISTENER });
    ack(await s.next(), []);
    s.send({ type_url: ROUTE, resource_names: ['svc-route'] });
    ack(await s.next(), ['svc-route']);
    assert.equal(await sotwBarrier(s, 1), []);
    const before = clustersVersion();

    // a is replaced by c: the route now splits b/c.
    await t.publish(edge([{ cluster: 'b', port: 5002, weight: 50 }, { cluster: 'c', port: 5003, weight: 50 }]));
    const cds = await s.next();
    assert.is(cds.type_url, CLUSTER);
    assert.equal(names(cds), ['a', 'b', 'c'], 'c added, a still there');
    assert.ok(cds.version_info !== before && cds.version_info !== clustersVersion(), 'a version of its own: the content it carries');
    const rds = await s.next();
    assert.is(rds.type_url, ROUTE);
    ack(cds, []);
    s.send({ type_url: ENDPOINT, resource_names: ['a', 'b', 'c'], version_info: e1.version_info, response_nonce: e1.nonce });
    const eds = await s.next();
    assert.equal([eds.type_url, names(eds)], [ENDPOINT, ['c']]);
    assert.equal(await sotwBarrier(s, 2), [], 'a is kept while the route and the endpoints are unanswered');
    ack(rds, ['svc-route']);
    assert.equal(await sotwBarrier(s, 3), [], 'and while the endpoints are');
    ack(eds, ['a', 'b', 'c']);
    const last = await s.next();
    assert.is(last.type_url, CLUSTER);
    assert.equal(names(last), ['b', 'c'], 'a dropped last');
    assert.is(last.version_info, clustersVersion(), 'now exactly the compiled clusters, with their compiled version');
  } finally {
    client.close();
    await t.close();
  }
});

test('while a cluster update waits for its ACK, later types wait too (order kept); updates coalesce to the latest compile', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    await resolveSvc(s);
    const variant = (timeout: number, port: number, weights: [number, number]): FixtureNode[] => {
      const next = mesh();
      const res = grpcSplitResources('svc', [{ cluster: 'a', port, weight: weights[0] }, { cluster: 'b', port: 5002, weight: weights[1] }]);
      for (const c of res[CLUSTER] as Record<string, unknown>[]) c.connect_timeout = { seconds: timeout };
      next[0]!.resources = res;
      return next;
    };
    await t.publish(variant(2, 5001, [80, 20])); // clusters only
    const cds1 = await s.next();
    assert.is(cds1.type_url, CLUSTER);
    const eds1 = await s.next(); // the changed clusters' CLAs again
    assert.is(eds1.type_url, ENDPOINT);
    // Not ACKed yet: two more compiles land (endpoints, route and clusters change).
    await t.publish(variant(3, 6001, [60, 40]));
    await t.publish(variant(4, 7001, [50, 50]));
    assert.is(s.pending, 0, 'nothing is pushed while CDS and EDS wait for their ACKs');
    s.send({ type_url: ENDPOINT, resource_names: ['a', 'b'], version_info: eds1.version_info, response_nonce: eds1.nonce });
    s.send({ type_url: CLUSTER, resource_names: ['a', 'b'], version_info: cds1.version_info, response_nonce: cds1.nonce });
    const cds2 = await s.next();
    assert.is(cds2.type_url, CLUSTER, 'CDS first');
    assert.is(decodeAny(anyBytes(cds2.resources[0]!)).message.connect_timeout.seconds, 4, 'the latest compile, not the intermediate one');
    s.send({ type_url: CLUSTER, resource_names: ['a', 'b'], version_info: cds2.version_info, response_nonce: cds2.nonce });
    const rest = [await s.next(), await s.next()];
    assert.equal(rest.map((r) => r.type_url), [ENDPOINT, ROUTE], 'then EDS, then RDS (the listener did not change)');
    assert.is(decodeAny(anyBytes(rest[0]!.resources[0]!)).message.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value, 7001);
  } finally {
    client.close();
    await t.close();
  }
});

test('gRPC clients: an empty name list after naming resources unsubscribes (never a wildcard)', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    s.send({ node: GRPC_NODE(NODE), type_url: CLUSTER, resource_names: ['a'] });
    const r1 = await s.next();
    assert.equal(names(r1), ['a']);
    s.send({ type_url: CLUSTER, resource_names: [], version_info: r1.version_info, response_nonce: r1.nonce });
    assert.equal(await sotwBarrier(s, 1), [], 'no wildcard response with every cluster');
    const changed = mesh();
    changed[0]!.resources = grpcSplitResources('svc', [{ cluster: 'a', port: 5001, weight: 80 }, { cluster: 'b', port: 5002, weight: 20 }, { cluster: 'c2', port: 5004, weight: 1 }]);
    await t.publish(changed);
    assert.equal(await sotwBarrier(s, 2), [], 'unsubscribed: new clusters are not pushed');
  } finally {
    client.close();
    await t.close();
  }
});

test('Envoy clients: empty names on the first LDS/CDS request is a wildcard; "*" too; wildcard follows additions', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    s.send({ node: ENVOY_NODE(OTHER), type_url: CLUSTER });
    const r1 = await s.next();
    assert.equal(names(r1), ['c']);
    s.send({ type_url: CLUSTER, version_info: r1.version_info, response_nonce: r1.nonce });
    s.send({ type_url: LISTENER, resource_names: ['*'] });
    const l1 = await s.next();
    assert.equal(names(l1), ['other']);
    s.send({ type_url: LISTENER, resource_names: ['*'], version_info: l1.version_info, response_nonce: l1.nonce });
    const grown = mesh();
    grown[1]!.resources = grpcSplitResources('other', [{ cluster: 'c', port: 5003, weight: 1 }, { cluster: 'd', port: 5005, weight: 1 }]);
    await t.publish(grown);
    const r2 = await s.next();
    assert.is(r2.type_url, CLUSTER);
    assert.equal(names(r2), ['c', 'd']);
  } finally {
    client.close();
    await t.close();
  }
});

test('RDS/EDS "*" or empty lists are not wildcards for unnamed types; unknown type URLs get an empty answer', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    s.send({ node: ENVOY_NODE(NODE), type_url: 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig', resource_names: ['cert'] });
    const r = await s.next();
    assert.is(r.type_url, 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig');
    assert.equal(r.resources, []);
    assert.ok(r.nonce);
    assert.is(t.events('unknown-type').length, 1);
    s.send({ type_url: ENDPOINT, resource_names: [] });
    assert.equal(await sotwBarrier(s, 1), [], 'empty EDS list subscribes to nothing');
    s.send({ type_url: 'not a type url', resource_names: [] });
    const end = await s.ended;
    assert.is(end.code, Status.INVALID_ARGUMENT);
  } finally {
    client.close();
    await t.close();
  }
});

test('the per-type services serve their own type and refuse others', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client, '/envoy.service.cluster.v3.ClusterDiscoveryService/StreamClusters');
    s.send({ node: ENVOY_NODE(OTHER), resource_names: [] });
    const r = await s.next();
    assert.is(r.type_url, CLUSTER);
    assert.equal(names(r), ['c'], 'legacy wildcard for an Envoy node');
    const e = sotwStream(client, '/envoy.service.endpoint.v3.EndpointDiscoveryService/StreamEndpoints');
    e.send({ node: ENVOY_NODE(NODE), type_url: ENDPOINT, resource_names: ['b'] });
    assert.equal(names(await e.next()), ['b']);
    const bad = sotwStream(client, '/envoy.service.route.v3.RouteDiscoveryService/StreamRoutes');
    bad.send({ node: ENVOY_NODE(NODE), type_url: CLUSTER, resource_names: [] });
    const end = await bad.ended;
    assert.is(end.code, Status.INVALID_ARGUMENT);
    assert.match(end.details, 'RouteConfiguration');
  } finally {
    client.close();
    await t.close();
  }
});

test("the per-type services' unary Fetch* answer one request from the node's snapshot (no stream, no nonce)", async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  const FETCH_CDS = '/envoy.service.cluster.v3.ClusterDiscoveryService/FetchClusters';
  const FETCH_EDS = '/envoy.service.endpoint.v3.EndpointDiscoveryService/FetchEndpoints';
  const errorOf = (p: Promise<unknown>) => p.then(() => ({ code: -1, details: 'answered' }), (e: { code: number; details: string }) => e);
  try {
    // Every cluster of the node, the same bytes and version a stream gets.
    const all = await fetchUnary(client, FETCH_CDS, { node: ENVOY_NODE(NODE) });
    assert.is(all.type_url, CLUSTER);
    assert.equal(names(all), ['a', 'b']);
    const s = sotwStream(client);
    s.send({ node: ENVOY_NODE(NODE), type_url: CLUSTER, resource_names: ['*'] });
    const streamed = await s.next();
    assert.is(all.version_info, streamed.version_info);
    assert.equal(all.resources.map(anyBytes), streamed.resources.map(anyBytes));
    assert.is(all.nonce, '', 'a unary answer acknowledges nothing, so it has no nonce');
    // Named: the ones that exist; "*" is everything; type_url may be given if it is the service's own.
    const named = await fetchUnary(client, FETCH_EDS, { node: GRPC_NODE(NODE), type_url: ENDPOINT, resource_names: ['b', 'nope'] });
    assert.equal(names(named), ['b']);
    assert.equal(names(await fetchUnary(client, FETCH_EDS, { node: GRPC_NODE(NODE), resource_names: ['*'] })), ['a', 'b']);
    // Another node's snapshot is another node's.
    assert.equal(names(await fetchUnary(client, FETCH_CDS, { node: ENVOY_NODE(OTHER) })), ['c']);

    // Bad requests: clear statuses, as on the streams.
    const wrongType = await errorOf(fetchUnary(client, FETCH_CDS, { node: ENVOY_NODE(NODE), type_url: ROUTE }));
    assert.is(wrongType.code, Status.INVALID_ARGUMENT);
    assert.match(wrongType.details, 'this service serves type.googleapis.com/envoy.config.cluster.v3.Cluster');
    const noNode = await errorOf(fetchUnary(client, FETCH_CDS, { type_url: CLUSTER }));
    assert.is(noNode.code, Status.INVALID_ARGUMENT);
    assert.match(noNode.details, 'node.id');
    const unknown = await errorOf(fetchUnary(client, FETCH_CDS, { node: ENVOY_NODE('shop/deployment/nope') }));
    assert.is(unknown.code, Status.NOT_FOUND);
    assert.match(unknown.details, `known ids: ${OTHER}, ${NODE}`);
    const garbage = await errorOf(new Promise((resolve, reject) => client.makeUnaryRequest(
      FETCH_CDS, (b: Buffer) => b, (b: Buffer) => b, Buffer.from([0xff, 0xff, 0xff]), (err, res) => (err ? reject(err) : resolve(res)))));
    assert.is(garbage.code, Status.INVALID_ARGUMENT);
    assert.match(garbage.details, 'malformed DiscoveryRequest');

    // A poll reporting that the previous answer was rejected is logged as a NACK, with the client's message.
    await fetchUnary(client, FETCH_CDS, {
      node: ENVOY_NODE(NODE), version_info: '', error_detail: { code: 13, message: 'cluster a: bad connect_timeout' },
    });
    const nack = t.events('nack').at(-1)!;
    assert.is(nack.fields.error, 'cluster a: bad connect_timeout');
    assert.is(nack.fields.mode, 'fetch');
    assert.is(t.server.stats.nacks, 1);

    // Each call reads the snapshot being served: a new compile is seen by the next fetch.
    await t.publish(mesh([50, 50]));
    const route = await fetchUnary(client, '/envoy.service.route.v3.RouteDiscoveryService/FetchRoutes', { node: GRPC_NODE(NODE) });
    const weights = decodeAny(anyBytes(route.resources[0]!)).message.virtual_hosts[0].routes[0].route.weighted_clusters.clusters
      .map((c: { weight: { value: number } }) => c.weight.value);
    assert.equal(weights, [50, 50]);
  } finally {
    client.close();
    await t.close();
  }
});

test.run();
