import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  anyBytes, connect, deltaBarrier, deltaStream, ENVOY_NODE, startTestServer, type DeltaResponse, type TestStream,
} from './helpers/serve-client.ts';
import { CLUSTER, decodeAny, ENDPOINT, grpcSplitResources, LISTENER, ROUTE, type FixtureNode } from './helpers/serve-fixtures.ts';

const NODE = 'shop/deployment/web';

function mesh(backends: { cluster: string; port: number; weight: number }[]): FixtureNode[] {
  return [{ id: NODE, resources: grpcSplitResources('svc', backends) }];
}
const AB = [{ cluster: 'a', port: 5001, weight: 80 }, { cluster: 'b', port: 5002, weight: 20 }];

function manifestHashes(dir: string, type: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const entries = manifest.nodes[0].resources[type] as { name: string; hash: string }[];
  return Object.fromEntries(entries.map((e) => [e.name, e.hash]));
}

function ack(s: TestStream<DeltaResponse>, r: DeltaResponse): void {
  s.send({ type_url: r.type_url, response_nonce: r.nonce });
}

test('Delta: subscribed names get per-resource versions (content hashes); unknown names come back in removed_resources', async () => {
  const t = await startTestServer(mesh(AB));
  const client = connect(t.server.address);
  try {
    const s = deltaStream(client);
    s.send({ node: ENVOY_NODE(NODE), type_url: ENDPOINT, resource_names_subscribe: ['a', 'ghost'] });
    const r = await s.next();
    assert.is(r.type_url, ENDPOINT);
    assert.ok(r.nonce);
    const hashes = manifestHashes(t.dir, ENDPOINT);
    assert.equal(r.resources.map((x) => [x.name, x.version]), [['a', hashes.a]]);
    assert.is(decodeAny(anyBytes(r.resources[0]!.resource)).message.cluster_name, 'a');
    assert.equal(r.removed_resources, ['ghost']);
    ack(s, r);
    assert.equal(await deltaBarrier(s, 1), [], 'an ACK is not answered');
    // Re-subscribing a name the client holds is answered anyway.
    s.send({ type_url: ENDPOINT, resource_names_subscribe: ['a'] });
    const again = await s.next();
    assert.equal(again.resources.map((x) => x.name), ['a']);
    ack(s, again);
    // "ghost" appears in a later compile: pushed.
    await t.publish(mesh([...AB, { cluster: 'ghost', port: 5003, weight: 1 }]));
    const pushed = await s.next();
    assert.equal(pushed.resources.map((x) => x.name), ['ghost']);
    assert.equal(pushed.removed_resources, []);
  } finally {
    client.close();
    await t.close();
  }
});

test('Delta: wildcard CDS gets everything, then only changes; deletions arrive as removed_resources', async () => {
  const t = await startTestServer(mesh(AB));
  const client = connect(t.server.address);
  try {
    const s = deltaStream(client);
    s.send({ node: ENVOY_NODE(NODE), type_url: CLUSTER });
    const r1 = await s.next();
    assert.equal(r1.resources.map((x) => x.name), ['a', 'b']);
    assert.ok(r1.system_version_info);
    ack(s, r1);
    const changed = mesh([{ cluster: 'a', port: 5001, weight: 80 }, { cluster: 'c', port: 5004, weight: 20 }]);
    await t.publish(changed);
    const r2 = await s.next();
    assert.equal(r2.resources.map((x) => x.name), ['c'], 'only the new cluster; a is unchanged');
    assert.equal(r2.removed_resources, ['b']);
    ack(s, r2);
    // Unsubscribing "*" and naming one: nothing to send for a (held), nothing removed.
    s.send({ type_url: CLUSTER, resource_names_subscribe: ['a'], resource_names_unsubscribe: ['*'] });
    const r3 = await s.next();
    assert.equal(r3.resources.map((x) => x.name), ['a'], 'a newly named resource is always answered');
  } finally {
    client.close();
    await t.close();
  }
});

test('Delta: initial_resource_versions on a reconnect avoid resending what the client holds', async () => {
  const t = await startTestServer(mesh(AB));
  const client = connect(t.server.address);
  try {
    const hashes = manifestHashes(t.dir, CLUSTER);
    const s = deltaStream(client);
    s.send({
      node: ENVOY_NODE(NODE), type_url: CLUSTER, resource_names_subscribe: ['a', 'b', 'old'],
      initial_resource_versions: { a: hashes.a, b: 'stale-version', old: 'x' },
    });
    const r = await s.next();
    assert.equal(r.resources.map((x) => x.name), ['b'], 'a is current, b is outdated');
    assert.equal(r.removed_resources, ['old']);
  } finally {
    client.close();
    await t.close();
  }
});

test('Delta: a NACKed resource is not resent; subscriptions apply even with a stale nonce', async () => {
  const t = await startTestServer(mesh(AB));
  const client = connect(t.server.address);
  try {
    const s = deltaStream(client);
    s.send({ node: ENVOY_NODE(NODE), type_url: LISTENER, resource_names_subscribe: ['svc'] });
    const r = await s.next();
    s.send({ type_url: LISTENER, response_nonce: r.nonce, error_detail: { code: 13, message: 'Envoy says: bad listener' } });
    assert.equal(await deltaBarrier(s, 1), []);
    assert.is(t.events('nack')[0]!.fields.error, 'Envoy says: bad listener');
    s.send({ type_url: ENDPOINT, resource_names_subscribe: ['a'] });
    const e1 = await s.next();
    // A stale nonce with a new subscription: applied (Delta never rejects on the nonce).
    s.send({ type_url: ENDPOINT, response_nonce: 'old', resource_names_subscribe: ['b'] });
    ack(s, e1);
    const e2 = await s.next();
    assert.equal(e2.resources.map((x) => x.name), ['b']);
  } finally {
    client.close();
    await t.close();
  }
});

test('Delta: an update arrives in make-before-break order CDS, EDS, LDS, RDS, a changed cluster gets its CLA again; a name unsubscribed under "*" is answered', async () => {
  const t = await startTestServer(mesh(AB));
  const client = connect(t.server.address);
  try {
    const s = deltaStream(client);
    // Envoy's order: wildcard CDS, then the CLAs of its clusters, wildcard LDS, then the routes its listeners name.
    const subscribe = async (type: string, names: string[], first = false): Promise<void> => {
      s.send({ ...(first ? { node: ENVOY_NODE(NODE) } : {}), type_url: type, resource_names_subscribe: names });
      const r = await s.next();
      assert.is(r.type_url, type);
      ack(s, r);
    };
    await subscribe(CLUSTER, ['*'], true);
    await subscribe(ENDPOINT, ['a', 'b']);
    await subscribe(LISTENER, ['*']);
    await subscribe(ROUTE, ['svc-route']);
    assert.equal(await deltaBarrier(s, 1), []);

    // Every cluster changes (not its endpoints), and so do the listener and the route.
    const next = mesh([{ cluster: 'a', port: 5001, weight: 50 }, { cluster: 'b', port: 5002, weight: 50 }]);
    for (const c of next[0]!.resources[CLUSTER] as Record<string, unknown>[]) c.connect_timeout = { seconds: 7 };
    ((next[0]!.resources[LISTENER] as Record<string, any>[])[0]!).stat_prefix = 'svc-v2';
    await t.publish(next);
    const got: DeltaResponse[] = [];
    for (let i = 0; i < 4; i++) got.push(await s.next());
    assert.equal(got.map((r) => r.type_url), [CLUSTER, ENDPOINT, LISTENER, ROUTE]);
    assert.equal(got[0]!.resources.map((x) => x.name), ['a', 'b']);
    assert.equal(got[1]!.resources.map((x) => x.name), ['a', 'b'], 'CLAs resent although unchanged: the clusters re-warm');
    const cds = got[0]!;
    for (const r of got) ack(s, r);
    assert.equal(await deltaBarrier(s, 2), []);

    // Under "*", naming a cluster and unsubscribing it again: both answered (it is still covered by the wildcard).
    s.send({ type_url: CLUSTER, resource_names_subscribe: ['a'] });
    const named = await s.next();
    assert.equal(named.resources.map((x) => [x.name, x.version]), [['a', cds.resources[0]!.version]]);
    ack(s, named);
    s.send({ type_url: CLUSTER, resource_names_unsubscribe: ['a'] });
    const unnamed = await s.next();
    assert.equal(unnamed.resources.map((x) => x.name), ['a']);
    assert.equal(unnamed.removed_resources, []);
  } finally {
    client.close();
    await t.close();
  }
});

test('Delta: make-before-break on a swap: a deleted cluster and its endpoints are listed in removed_resources only after the new route and endpoints are answered', async () => {
  const t = await startTestServer(mesh(AB));
  const client = connect(t.server.address);
  try {
    const s = deltaStream(client);
    s.send({ node: ENVOY_NODE(NODE), type_url: CLUSTER, resource_names_subscribe: ['*'] });
    ack(s, await s.next());
    s.send({ type_url: ENDPOINT, resource_names_subscribe: ['a', 'b'] });
    ack(s, await s.next());
    s.send({ type_url: ROUTE, resource_names_subscribe: ['svc-route'] });
    ack(s, await s.next());
    assert.equal(await deltaBarrier(s, 1), []);

    await t.publish(mesh([{ cluster: 'b', port: 5002, weight: 50 }, { cluster: 'c', port: 5003, weight: 50 }]));
    const cds = await s.next();
    assert.equal([cds.type_url, cds.resources.map((x) => x.name), cds.removed_resources], [CLUSTER, ['c'], []], 'c added, a not removed yet');
    const rds = await s.next();
    assert.is(rds.type_url, ROUTE);
    ack(s, cds);
    s.send({ type_url: ENDPOINT, resource_names_subscribe: ['c'] });
    const eds = await s.next();
    assert.equal([eds.type_url, eds.resources.map((x) => x.name)], [ENDPOINT, ['c']]);
    ack(s, rds);
    ack(s, eds);
    // Now the stale ClusterLoadAssignment, then (once that is answered) the stale cluster.
    const edsGone = await s.next();
    assert.equal([edsGone.type_url, edsGone.resources, edsGone.removed_resources], [ENDPOINT, [], ['a']]);
    assert.equal(await deltaBarrier(s, 2), [], 'the cluster stays while its endpoints\' removal is unanswered');
    ack(s, edsGone);
    const last = await s.next();
    assert.equal([last.type_url, last.resources, last.removed_resources], [CLUSTER, [], ['a']]);
  } finally {
    client.close();
    await t.close();
  }
});

test('Delta on the per-type services: DeltaRoutes serves routes and refuses another type', async () => {
  const t = await startTestServer(mesh(AB));
  const client = connect(t.server.address);
  try {
    const s = deltaStream(client, '/envoy.service.route.v3.RouteDiscoveryService/DeltaRoutes');
    s.send({ node: ENVOY_NODE(NODE), resource_names_subscribe: ['svc-route'] });
    const r = await s.next();
    assert.is(r.type_url, 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration');
    assert.equal(r.resources.map((x) => x.name), ['svc-route']);
    s.send({ type_url: CLUSTER, resource_names_subscribe: ['a'] });
    const end = await s.ended;
    assert.is(end.code, 3 /* INVALID_ARGUMENT */);
  } finally {
    client.close();
    await t.close();
  }
});

test.run();
