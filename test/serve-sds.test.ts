/**
 * SDS end to end: `meshc compile` (ADS bootstrap) writes each Envoy node's
 * Secrets, `meshc serve` hands them out over SotW and Delta ADS, and every TLS
 * context of the node's listeners and clusters names exactly those Secrets
 * (never a certificate file inline).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anyBytes, connect, deltaStream, ENVOY_NODE, sotwStream } from './helpers/serve-client.ts';
import { decodeAny } from './helpers/serve-fixtures.ts';
import { compileTo, tempDir } from './helpers/compile.ts';
import { startServer } from '../src/server/server.ts';
import { createLogger } from '../src/server/log.ts';

const SECRET = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';
const NODE = 'bookstore/deployment/bookstore-v1';

async function compiledServer(dir: string) {
  const out = join(dir, 'out');
  const r = await compileTo(['fixtures/bookstore'], out, { tls: { certChain: '/var/run/certs/tls.crt', privateKey: '/var/run/certs/tls.key', caCert: '/var/run/certs/ca.crt' } });
  assert.is(r.status, 'written');
  const server = await startServer({ snapshots: out, listen: '127.0.0.1:0', watch: false, logger: createLogger({ level: 'error', write: () => {} }) });
  return { out, server };
}

/** Every `name` of an SdsSecretConfig anywhere in a JSON tree, with whether it is served over ADS. */
function secretRefs(value: unknown, into: { name: string; ads: boolean }[] = []): { name: string; ads: boolean }[] {
  if (Array.isArray(value)) for (const v of value) secretRefs(v, into);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.name === 'string' && o.sds_config && typeof o.sds_config === 'object') into.push({ name: o.name, ads: 'ads' in o.sds_config });
    for (const v of Object.values(o)) secretRefs(v, into);
  }
  return into;
}

test('compiled listeners and clusters name their certificates through SDS over ADS, never inline', async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    assert.is((await compileTo(['fixtures/bookstore'], out)).status, 'written');
    const node = join(out, 'nodes', 'bookstore_deployment_bookstore-v1');
    for (const file of ['listeners.json', 'clusters.json']) {
      const text = readFileSync(join(node, file), 'utf8');
      assert.not.ok(text.includes('"filename"'), `${file}: no certificate file inline`);
      const refs = secretRefs(JSON.parse(text));
      assert.ok(refs.length > 0, file);
      assert.equal([...new Set(refs.map((r) => `${r.name}:${r.ads}`))].sort(), ['root-cert:true', 'service-cert:true'], file);
    }
  } finally {
    tmp.cleanup();
  }
});

test('meshc serve hands out the node\'s Secrets over SotW, naming the rotated files and their watched directory', async () => {
  const tmp = tempDir();
  const { server } = await compiledServer(tmp.dir);
  const client = connect(server.address);
  try {
    const s = sotwStream(client);
    s.send({ node: ENVOY_NODE(NODE), type_url: SECRET, resource_names: ['service-cert', 'root-cert'] });
    const r = await s.next();
    assert.is(r.type_url, SECRET);
    const secrets = r.resources.map((a) => decodeAny(anyBytes(a)).message).sort((a, b) => (a.name < b.name ? -1 : 1));
    assert.equal(secrets.map((m) => m.name), ['root-cert', 'service-cert']);
    assert.is(secrets[0]!.validation_context.trusted_ca.filename, '/var/run/certs/ca.crt');
    assert.is(secrets[0]!.validation_context.watched_directory.path, '/var/run/certs');
    assert.is(secrets[1]!.tls_certificate.certificate_chain.filename, '/var/run/certs/tls.crt');
    assert.is(secrets[1]!.tls_certificate.private_key.filename, '/var/run/certs/tls.key');
    assert.is(secrets[1]!.tls_certificate.watched_directory.path, '/var/run/certs');
  } finally {
    client.close();
    await server.close(1000);
    tmp.cleanup();
  }
});

test('meshc serve hands out the Secrets over Delta ADS too', async () => {
  const tmp = tempDir();
  const { server } = await compiledServer(tmp.dir);
  const client = connect(server.address);
  try {
    const s = deltaStream(client);
    s.send({ node: ENVOY_NODE(NODE), type_url: SECRET, resource_names_subscribe: ['service-cert'] });
    const r = await s.next();
    assert.is(r.type_url, SECRET);
    assert.equal(r.resources.map((x) => x.name), ['service-cert']);
    assert.ok(r.resources[0]!.version, 'each resource carries its content hash');
  } finally {
    client.close();
    await server.close(1000);
    tmp.cleanup();
  }
});

test('static bootstrap: file-based SDS with watched_directory, the SDS files beside the bootstrap', async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    assert.is((await compileTo(['fixtures/bookstore'], out, { bootstrap: 'static', bootstrapDir: '/etc/envoy/node' })).status, 'written');
    const node = join(out, 'nodes', 'bookstore_deployment_bookstore-v1');
    const boot = readFileSync(join(node, 'bootstrap.yaml'), 'utf8');
    assert.not.ok(boot.includes('filename:'), 'no certificate file inline');
    assert.not.ok(boot.includes('ads: {}'), 'no ADS in a static bootstrap');
    assert.ok(boot.includes('path: /etc/envoy/node/sds-service-cert.yaml'));
    assert.ok(boot.includes('watched_directory:\n'));
    const sds = readFileSync(join(node, 'sds-service-cert.yaml'), 'utf8');
    assert.match(sds, /^resources:\n {2}- "@type": type\.googleapis\.com\/envoy\.extensions\.transport_sockets\.tls\.v3\.Secret\n {4}name: service-cert\n/m);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const entry = manifest.nodes.find((n: { id: string }) => n.id === NODE);
    assert.is(entry.files['sds-service-cert.yaml'], 'nodes/bookstore_deployment_bookstore-v1/sds-service-cert.yaml');
  } finally {
    tmp.cleanup();
  }
});

test('ADS bootstrap: mTLS to meshc serve by default (own certificate, server identity pinned); --xds-insecure opts out', async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    assert.is((await compileTo(['fixtures/bookstore'], out, { trustDomain: 'mesh.example' })).status, 'written');
    const boot = readFileSync(join(out, 'nodes', 'bookbuyer_deployment_bookbuyer', 'bootstrap.yaml'), 'utf8');
    assert.ok(boot.includes('UpstreamTlsContext'));
    assert.ok(boot.includes('exact: spiffe://mesh.example/ns/meshc-system/sa/meshc'));
    assert.ok(boot.includes('path: /etc/meshc/bootstrap/sds-service-cert.yaml'));
    const plain = join(tmp.dir, 'plain');
    assert.is((await compileTo(['fixtures/bookstore'], plain, { xdsServerId: null })).status, 'written');
    const node = join(plain, 'nodes', 'bookbuyer_deployment_bookbuyer');
    assert.not.ok(readFileSync(join(node, 'bootstrap.yaml'), 'utf8').includes('transport_socket'));
    assert.not.ok(readFileSync(join(out, 'manifest.json'), 'utf8') === readFileSync(join(plain, 'manifest.json'), 'utf8'));
  } finally {
    tmp.cleanup();
  }
});

test.run();
