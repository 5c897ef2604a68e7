import { test } from 'uvu';
import http2 from 'node:http2';
import net from 'node:net';
import * as assert from 'uvu/assert';
import { status as Status, type Client } from '@grpc/grpc-js';
import {
  connect, deltaStream, encodeMessage, ENVOY_NODE, fetchUnary, GRPC_NODE, HEALTH, healthCheck, healthWatch, sotwStream, startTestServer, type TestServer,
} from './helpers/serve-client.ts';
import { grpcFrame, rawCall, rawSession, rawStatus } from './helpers/serve-raw.ts';
import { CLUSTER, ENDPOINT, grpcSplitResources, LISTENER, type FixtureNode } from './helpers/serve-fixtures.ts';

const NODE = 'shop/deployment/web';
const SOTW = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';

function mesh(port = 5001, clusterCount = 2, padding = 0): FixtureNode[] {
  const backends = Array.from({ length: clusterCount }, (_, i) => ({ cluster: `c${i}`, port: port + i, weight: 1 }));
  const res = grpcSplitResources('svc', backends);
  if (padding > 0) {
    // Big clusters (a long alt_stat_name) so that responses overflow the HTTP/2 flow-control windows.
    for (const c of res[CLUSTER] as Record<string, unknown>[]) {
      c.alt_stat_name = 'x'.repeat(padding);
    }
  }
  return [{ id: NODE, resources: res }];
}

/** Waits (bounded) until the server reports `target` active streams; returns the count it settled at. */
async function settledStreams(t: TestServer, target = 0): Promise<number> {
  for (const until = Date.now() + 60_000; Date.now() < until && t.server.stats.activeStreams !== target;) await new Promise((r) => setTimeout(r, 25));
  return t.server.stats.activeStreams;
}

async function healthy(client: Client): Promise<void> {
  assert.is(await healthCheck(client), HEALTH.SERVING);
  assert.is(await healthCheck(client, 'envoy.service.discovery.v3.AggregatedDiscoveryService'), HEALTH.SERVING);
}

test('garbage bytes get INVALID_ARGUMENT, not a crash; the server stays healthy', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const session = await rawSession(t.server.address);
    for (const junk of [Buffer.from([0xff, 0xff, 0xff]), Buffer.from('GET / HTTP/1.1\r\n\r\n'), Buffer.from([0x12, 0x80])]) {
      const call = rawCall(session, SOTW);
      const st = rawStatus(call);
      call.write(grpcFrame(junk));
      const s = await st;
      assert.is(s.code, Status.INVALID_ARGUMENT);
      assert.match(s.message, 'malformed DiscoveryRequest');
      call.close();
    }
    // A frame header that promises more bytes than are sent, then the client gives up.
    const cut = rawCall(session, SOTW);
    cut.write(Buffer.from([0, 0, 0, 1, 0]));
    cut.close();
    session.close();
    await healthy(client);
    assert.is(await settledStreams(t), 0);
  } finally {
    client.close();
    await t.close();
  }
});

test('an oversized request is refused with RESOURCE_EXHAUSTED (max receive message size)', async () => {
  const t = await startTestServer(mesh(), { maxRequestBytes: 64 * 1024 });
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client);
    s.send({ node: GRPC_NODE(NODE), type_url: CLUSTER, resource_names: ['x'.repeat(100 * 1024)] });
    const end = await s.ended;
    assert.is(end.code, Status.RESOURCE_EXHAUSTED);
    await healthy(client);
    // Requests under the limit still work.
    const ok = sotwStream(client);
    ok.send({ node: GRPC_NODE(NODE), type_url: CLUSTER, resource_names: ['c0'] });
    assert.is((await ok.next()).resources.length, 1);
  } finally {
    client.close();
    await t.close();
  }
});

test('a subscription piling up more resource names than the limit ends RESOURCE_EXHAUSTED (SotW per request, Delta accumulated)', async () => {
  const t = await startTestServer(mesh(), { maxNamesPerType: 1000 });
  const client = connect(t.server.address);
  const many = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  try {
    // At the limit: served (the two that exist), unknown names remembered.
    const ok = sotwStream(client);
    ok.send({ node: GRPC_NODE(NODE), type_url: ENDPOINT, resource_names: ['c0', 'c1', ...many(998, 'x')] });
    assert.is((await ok.next()).resources.length, 2);
    // Over it in one request.
    const sotw = sotwStream(client);
    sotw.send({ node: GRPC_NODE(NODE), type_url: ENDPOINT, resource_names: many(1001, 'x') });
    const end = await sotw.ended;
    assert.is(end.code, Status.RESOURCE_EXHAUSTED);
    assert.match(end.details, 'more than 1000 resource names of type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment subscribed on one stream (1001)');
    // Delta subscriptions add up across requests.
    const delta = deltaStream(client);
    delta.send({ node: GRPC_NODE(NODE), type_url: ENDPOINT, resource_names_subscribe: many(600, 'a') });
    const first = await delta.next();
    assert.is(first.removed_resources.length, 600);
    delta.send({ type_url: ENDPOINT, response_nonce: first.nonce, resource_names_subscribe: many(600, 'b') });
    const dend = await delta.ended;
    assert.is(dend.code, Status.RESOURCE_EXHAUSTED);
    assert.match(dend.details, '(1200)');
    assert.is(t.events('too-many-names').length, 2);
    await healthy(client);
    assert.is(await settledStreams(t, 1), 1, 'only the stream within the limit remains');
  } finally {
    client.close();
    await t.close();
  }
});

test('a proxy whose host vanished (connection left open, nothing answers) is released by keepalive pings; live ones are not', async () => {
  const t = await startTestServer(mesh(), { keepaliveTimeMs: 200, keepaliveTimeoutMs: 300 });
  // A TCP relay that can be cut silently: bytes stop flowing both ways and neither side sees a FIN or RST.
  let cut = false;
  const sockets: net.Socket[] = [];
  const relay = net.createServer((down) => {
    const up = net.connect(t.server.port, '127.0.0.1');
    for (const [from, to] of [[down, up], [up, down]] as const) {
      from.on('data', (d) => void (cut || to.write(d)));
      from.on('error', () => {});
    }
    sockets.push(down, up);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', () => r()));
  const client = connect(`127.0.0.1:${(relay.address() as net.AddressInfo).port}`);
  try {
    const s = sotwStream(client);
    s.send({ node: GRPC_NODE(NODE), type_url: ENDPOINT, resource_names: ['c0'] });
    const r = await s.next();
    s.send({ type_url: ENDPOINT, resource_names: ['c0'], version_info: r.version_info, response_nonce: r.nonce });
    // Several ping rounds later the live stream is still there and still gets updates.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.is(t.server.stats.activeStreams, 1);
    await t.publish(mesh(6001));
    assert.is((await s.next()).resources.length, 1);
    cut = true;
    assert.is(await settledStreams(t, 0), 0, 'the stream of the vanished proxy is released');
    assert.is(t.server.cache.subscriberCount, 0);
  } finally {
    client.close();
    for (const sock of sockets) sock.destroy();
    relay.close();
    await t.close();
  }
});

test('unknown services and methods get UNIMPLEMENTED; health of an unknown service is NOT_FOUND', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const s = sotwStream(client, '/envoy.service.discovery.v3.AggregatedDiscoveryService/Nope');
    s.send({ node: GRPC_NODE(NODE) });
    assert.is((await s.ended).code, Status.UNIMPLEMENTED);
    const err = await healthCheck(client, 'no.such.Service').catch((e: { code: number }) => e);
    assert.is((err as { code: number }).code, Status.NOT_FOUND);
  } finally {
    client.close();
    await t.close();
  }
});

test('1,000 clients connecting and disconnecting at random: no stream leaks, the server stays healthy', async () => {
  const t = await startTestServer(mesh());
  const probe = connect(t.server.address);
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const channels = Array.from({ length: 20 }, () => connect(t.server.address));
  try {
    const TOTAL = 1000;
    const CONCURRENCY = 100;
    let started = 0;
    // grpc-js clients here cancel only after the server answered: grpc-js 1.14 loses a cancel() issued
    // before the call is established (it reports CANCELLED locally but never sends RST_STREAM, so the
    // server rightly keeps the stream). Raw HTTP/2 clients cover early cancels and dropped connections.
    const one = async (): Promise<void> => {
      const behaviour = rand(6);
      if (behaviour === 0 || behaviour >= 4) {
        const session = await rawSession(t.server.address);
        const call = rawCall(session, SOTW);
        if (behaviour === 0) {
          await new Promise((r) => setTimeout(r, rand(3))); // headers only, no request
        } else {
          call.write(grpcFrame(encodeMessage('DiscoveryRequest', { node: ENVOY_NODE(NODE), type_url: LISTENER })));
          if (rand(2) === 0) await new Promise<void>((r) => call.once('data', () => r()));
        }
        if (behaviour === 5) {
          session.destroy(); // the TCP connection vanishes
          return;
        }
        await new Promise<void>((r) => call.close(http2.constants.NGHTTP2_CANCEL, () => r())); // RST_STREAM
        session.close();
        return;
      }
      const s = sotwStream(channels[rand(channels.length)]!);
      s.send({ node: GRPC_NODE(NODE), type_url: ENDPOINT, resource_names: ['c0', 'c1'] });
      const r = await s.next();
      if (behaviour === 1) {
        s.cancel();
      } else if (behaviour === 2) {
        s.send({ type_url: ENDPOINT, resource_names: ['c0', 'c1'], version_info: r.version_info, response_nonce: r.nonce });
        s.cancel();
      } else {
        s.halfClose(); // orderly end from the client side
      }
      await s.ended;
    };
    const worker = async (): Promise<void> => {
      while (started < TOTAL) {
        started++;
        await one();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.is(started, TOTAL);
    assert.is(await settledStreams(t), 0, 'every stream was released');
    assert.is(t.server.cache.subscriberCount, 0, 'no snapshot subscription leaked');
    assert.ok(t.server.stats.totalStreams >= TOTAL * 0.8, `streams seen: ${t.server.stats.totalStreams}`);
    await healthy(probe);
    // And it still serves.
    const s = sotwStream(probe);
    s.send({ node: GRPC_NODE(NODE), type_url: CLUSTER, resource_names: ['c0'] });
    assert.is((await s.next()).resources.length, 1);
  } finally {
    for (const c of channels) c.close();
    probe.close();
    await t.close();
  }
});

test('a client that never reads cannot make the server buffer without bound; others keep getting updates', async () => {
  const LIMIT = 64 * 1024;
  const t = await startTestServer(mesh(5001, 8, 40_000), { maxPendingBytesPerStream: LIMIT });
  const client = connect(t.server.address);
  try {
    // The stuck client: asks for every cluster, then blindly ACKs every nonce, and never reads.
    const session = await rawSession(t.server.address);
    const stuck = rawCall(session, SOTW);
    stuck.pause();
    stuck.write(grpcFrame(encodeMessage('DiscoveryRequest', { node: ENVOY_NODE(NODE), type_url: CLUSTER })));
    // A healthy client on another connection.
    const s = sotwStream(client);
    s.send({ node: ENVOY_NODE(NODE), type_url: CLUSTER });
    let last = await s.next();
    const responseSize = 8 * 40_000;
    for (let i = 1; i <= 20; i++) {
      for (let n = 1; n <= 2 * i; n++) {
        stuck.write(grpcFrame(encodeMessage('DiscoveryRequest', { type_url: CLUSTER, response_nonce: String(n) })));
      }
      s.send({ type_url: CLUSTER, version_info: last.version_info, response_nonce: last.nonce });
      await t.publish(mesh(5001 + i * 10, 8, 40_000 + i));
      last = await s.next();
      assert.is(last.resources.length, 8, `update ${i} reached the healthy client`);
    }
    assert.ok(t.server.stats.maxPendingBytes < LIMIT + 2 * responseSize, `max pending ${t.server.stats.maxPendingBytes} bytes`);
    assert.ok(t.server.stats.responses <= 21 + 3, `responses written: ${t.server.stats.responses}`);
    session.destroy();
    assert.is(await settledStreams(t, 1), 1, 'only the healthy stream remains');
  } finally {
    client.close();
    await t.close();
  }
});

test('health Watch reports SERVING, then NOT_SERVING when shutdown begins; streams end UNAVAILABLE', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  try {
    const w = healthWatch(client);
    const unknown = healthWatch(client, 'no.such.Service');
    const s = sotwStream(client);
    s.send({ node: GRPC_NODE(NODE), type_url: CLUSTER, resource_names: ['c0'] });
    await s.next();
    for (const until = Date.now() + 60_000; Date.now() < until && (w.statuses.length === 0 || unknown.statuses.length === 0);) await new Promise((r) => setTimeout(r, 10));
    assert.equal(w.statuses, [HEALTH.SERVING]);
    assert.equal(unknown.statuses, [HEALTH.SERVICE_UNKNOWN]);
    await t.close();
    assert.is((await s.ended).code, Status.UNAVAILABLE);
    await w.ended;
    assert.equal(w.statuses, [HEALTH.SERVING, HEALTH.NOT_SERVING]);
    assert.is(t.server.stats.activeStreams, 0);
  } finally {
    client.close();
  }
});


test('client strings echoed back are bounded: a 100,000-character node id gets NOT_FOUND at once with the id cut short (SotW, Delta, Fetch, health); logs bounded too', async () => {
  const t = await startTestServer(mesh());
  const client = connect(t.server.address);
  const longId = `shop/deployment/${'x'.repeat(100_000)}`;
  try {
    const sotw = sotwStream(client);
    sotw.send({ node: ENVOY_NODE(longId), type_url: CLUSTER });
    const delta = deltaStream(client);
    delta.send({ node: ENVOY_NODE(longId), type_url: CLUSTER });
    for (const end of [await sotw.ended, await delta.ended]) {
      assert.is(end.code, Status.NOT_FOUND, end.details.slice(0, 200));
      assert.ok(end.details.length < 1000, `${end.details.length} characters`);
      assert.match(end.details, /^node id 'shop\/deployment\/x+…' \(100016 characters\) is not in the compiled output; known ids: shop\/deployment\/web$/);
    }
    const fetched = await fetchUnary(client, '/envoy.service.cluster.v3.ClusterDiscoveryService/FetchClusters', { node: ENVOY_NODE(longId) })
      .catch((e: { code: number; details: string }) => e);
    assert.is((fetched as { code: number }).code, Status.NOT_FOUND);
    assert.match((fetched as { details: string }).details, / \(100016 characters\) is not in the compiled output/);
    const err = await healthCheck(client, 'y'.repeat(100_000)).catch((e: { code: number; details: string }) => e);
    assert.is((err as { code: number }).code, Status.NOT_FOUND);
    assert.ok((err as { details: string }).details.length < 1000);
    const rejected = t.events('unknown-node');
    assert.is(rejected.length, 3);
    for (const r of rejected) assert.ok(String(r.fields.node).length < 1000, `logged node id of ${String(r.fields.node).length} characters`);
    await healthy(client);
  } finally {
    client.close();
    await t.close();
  }
});

test.run();
