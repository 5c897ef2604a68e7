import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { credentials, status as Status } from '@grpc/grpc-js';
import { connect, fetchUnary, GRPC_NODE, healthCheck, HEALTH, sotwStream, startTestServer } from './helpers/serve-client.ts';
import { makePki, type Pem, type TestPki } from './helpers/serve-certs.ts';
import { CLUSTER, grpcSplitResources, type FixtureNode } from './helpers/serve-fixtures.ts';
import { parseSpiffeId, uriSans } from '../src/server/identity.ts';

const WEB = 'shop/deployment/web';
const API = 'shop/deployment/api';
const LEGACY = 'shop/deployment/legacy';
const NODES: FixtureNode[] = [
  { id: WEB, serviceAccount: 'shop/web', resources: grpcSplitResources('svc', [{ cluster: 'a', port: 1, weight: 1 }]) },
  { id: API, serviceAccount: 'shop/api', resources: grpcSplitResources('svc', [{ cluster: 'b', port: 2, weight: 1 }]) },
  { id: LEGACY, serviceAccount: null, resources: grpcSplitResources('svc', [{ cluster: 'c', port: 3, weight: 1 }]) },
];

let pki: TestPki;

test.before(() => {
  pki = makePki();
});

test.after(() => {
  rmSync(pki.dir, { recursive: true, force: true });
});

function tlsClient(address: string, pem: Pem | null) {
  return connect(address, credentials.createSsl(pki.ca, pem?.key ?? null, pem?.cert ?? null), {
    'grpc.ssl_target_name_override': 'localhost',
    'grpc.default_authority': 'localhost',
  });
}

async function fetchClusters(address: string, pem: Pem | null, node: string) {
  const client = tlsClient(address, pem);
  const s = sotwStream(client);
  s.send({ node: GRPC_NODE(node), type_url: CLUSTER, resource_names: ['a', 'b', 'c'] });
  try {
    const r = await s.next();
    return { ok: true as const, resources: r.resources.length, client };
  } catch {
    const end = await s.ended;
    return { ok: false as const, code: end.code, details: end.details, client };
  }
}

test('SPIFFE ids are read from URI SANs', () => {
  assert.equal(uriSans({ subjectaltname: 'DNS:x, URI:spiffe://td/ns/a/sa/b, URI:"spiffe://td/ns/a/sa/c,d"' } as never), ['spiffe://td/ns/a/sa/b', 'spiffe://td/ns/a/sa/c,d']);
  assert.equal(parseSpiffeId('spiffe://Cluster.Local/ns/shop/sa/web'), { uri: 'spiffe://Cluster.Local/ns/shop/sa/web', trustDomain: 'cluster.local', namespace: 'shop', serviceAccount: 'web' });
  assert.is(parseSpiffeId('spiffe://td/ns/shop/sa/web/extra'), null);
  assert.is(parseSpiffeId('https://td/ns/shop/sa/web'), null);
});

test('TLS: a client trusting the CA is served; a plaintext client is not', async () => {
  const t = await startTestServer(NODES, { tls: { cert: pki.server.cert, key: pki.server.key } });
  try {
    const ok = await fetchClusters(t.server.address, null, WEB);
    assert.ok(ok.ok);
    ok.client.close();
    const plain = connect(t.server.address);
    const err = await healthCheck(plain).catch((e: { code: number }) => e);
    assert.is((err as { code: number }).code, Status.UNAVAILABLE);
    plain.close();
  } finally {
    await t.close();
  }
});

test('mTLS: a client gets only the node whose service account its SPIFFE id names', async () => {
  const t = await startTestServer(NODES, { tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca } });
  const web = pki.client('web', 'URI:spiffe://cluster.local/ns/shop/sa/web');
  try {
    const own = await fetchClusters(t.server.address, web, WEB);
    assert.ok(own.ok, 'its own node');
    assert.is(own.ok && own.resources, 1);
    own.client.close();

    const other = await fetchClusters(t.server.address, web, API);
    assert.is(other.ok, false);
    assert.is(!other.ok && other.code, Status.PERMISSION_DENIED);
    assert.match(!other.ok ? other.details : '', "spiffe://cluster.local/ns/shop/sa/web may not read node 'shop/deployment/api' (service account shop/api)");
    other.client.close();

    const legacy = await fetchClusters(t.server.address, web, LEGACY);
    assert.is(!legacy.ok && legacy.code, Status.PERMISSION_DENIED, 'a node without a service account is nobody\'s');
    legacy.client.close();

    // The NOT_FOUND hint lists only what this identity may read.
    const unknown = await fetchClusters(t.server.address, web, 'shop/deployment/nope');
    assert.is(!unknown.ok && unknown.code, Status.NOT_FOUND);
    assert.match(!unknown.ok ? unknown.details : '', `known ids: ${WEB}`);
    assert.not.match(!unknown.ok ? unknown.details : '', API);
    unknown.client.close();

    assert.is(t.events('denied').length, 2);

    // The unary FetchClusters follows the same rule.
    const fetcher = tlsClient(t.server.address, web);
    const FETCH = '/envoy.service.cluster.v3.ClusterDiscoveryService/FetchClusters';
    assert.is((await fetchUnary(fetcher, FETCH, { node: GRPC_NODE(WEB) })).resources.length, 1, 'its own node');
    const denied = await fetchUnary(fetcher, FETCH, { node: GRPC_NODE(API) }).catch((e: { code: number; details: string }) => e);
    assert.is((denied as { code: number }).code, Status.PERMISSION_DENIED);
    assert.match((denied as { details: string }).details, "may not read node 'shop/deployment/api'");
    const hidden = await fetchUnary(fetcher, FETCH, { node: GRPC_NODE('shop/deployment/nope') }).catch((e: { code: number; details: string }) => e);
    assert.is((hidden as { code: number }).code, Status.NOT_FOUND);
    assert.not.match((hidden as { details: string }).details, API);
    fetcher.close();
  } finally {
    await t.close();
  }
});

test('mTLS: no client certificate, or one without a SPIFFE id, or from another trust domain, is refused', async () => {
  const t = await startTestServer(NODES, { tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca, trustDomain: 'cluster.local' } });
  try {
    const anonymous = tlsClient(t.server.address, null);
    const err = await healthCheck(anonymous).catch((e: { code: number }) => e);
    assert.is((err as { code: number }).code, Status.UNAVAILABLE, 'the TLS handshake fails without a client certificate');
    anonymous.close();

    const noSpiffe = await fetchClusters(t.server.address, pki.client('plain', 'DNS:web.shop.svc'), WEB);
    assert.is(!noSpiffe.ok && noSpiffe.code, Status.PERMISSION_DENIED);
    assert.match(!noSpiffe.ok ? noSpiffe.details : '', 'carries no SPIFFE id');
    noSpiffe.client.close();

    const foreign = await fetchClusters(t.server.address, pki.client('foreign', 'URI:spiffe://elsewhere.example/ns/shop/sa/web'), WEB);
    assert.is(!foreign.ok && foreign.code, Status.PERMISSION_DENIED);
    assert.match(!foreign.ok ? foreign.details : '', 'trust domain cluster.local');
    foreign.client.close();

    const good = pki.client('web2', 'URI:spiffe://cluster.local/ns/shop/sa/web');
    const ok = await fetchClusters(t.server.address, good, WEB);
    assert.ok(ok.ok);
    assert.is(await healthCheck(ok.client), HEALTH.SERVING);
    ok.client.close();
  } finally {
    await t.close();
  }
});

test.run();
