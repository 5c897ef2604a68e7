/**
 * `meshc serve` with TLS from files: a rotated certificate (as cert-manager writes it into a Secret volume) is served
 * to new connections without a restart; a half-written or inconsistent rotation is refused, logged once, and the
 * previous certificate stays in service.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { credentials } from '@grpc/grpc-js';
import { connect, GRPC_NODE, healthCheck, sotwStream, startTestServer, type TestServer } from './helpers/serve-client.ts';
import { hasOpenssl, makePki, type Pem, type TestPki } from './helpers/serve-certs.ts';
import { CLUSTER, grpcSplitResources, type FixtureNode } from './helpers/serve-fixtures.ts';
import { tempDir } from './helpers/temp.ts';

const WEB = 'shop/deployment/web';
const NODES: FixtureNode[] = [{ id: WEB, serviceAccount: 'shop/web', resources: grpcSplitResources('svc', [{ cluster: 'a', port: 1, weight: 1 }]) }];

let pki: TestPki;
let dir: string;

test.before(() => {
  if (!hasOpenssl()) return;
  pki = makePki();
  dir = tempDir('meshc-tls-files-');
});

test.after(() => {
  if (!pki) return;
  rmSync(pki.dir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a file the way a Secret volume update lands: whole, by rename. */
function put(name: string, content: Buffer): string {
  const path = join(dir, name);
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
  return path;
}

/** The serial number of the certificate the server presents to a new TLS connection. */
function servedSerial(address: string): Promise<string> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host, port, ca: pki.ca, servername: 'localhost', ALPNProtocols: ['h2'] }, () => {
      const serial = socket.getPeerCertificate().serialNumber;
      socket.destroy();
      resolve(serial);
    });
    socket.once('error', reject);
  });
}

/** Waits for the server to present `serial` (it polls its files every 50 ms here); fails after 20 s. */
async function untilServed(address: string, serial: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if ((await servedSerial(address)) === serial) return;
    if (Date.now() > deadline) throw new Error(`the server still presents another certificate than ${serial}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const serialOf = (pem: Pem) => new X509Certificate(pem.cert).serialNumber;

async function fetchOwnNode(address: string, client: Pem): Promise<number> {
  const ch = connect(address, credentials.createSsl(pki.ca, client.key, client.cert), { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' });
  try {
    const s = sotwStream(ch);
    s.send({ node: GRPC_NODE(WEB), type_url: CLUSTER, resource_names: ['a'] });
    return (await s.next()).resources.length;
  } finally {
    ch.close();
  }
}

test('a rotated certificate is served to new connections; a broken rotation keeps the previous one', async () => {
  if (!pki) return void console.log('skipped: no openssl to make certificates');
  const first = pki.server;
  const files = { cert: put('tls.crt', first.cert), key: put('tls.key', first.key), clientCa: put('ca.crt', pki.ca) };
  let t: TestServer | undefined;
  try {
    t = await startTestServer(NODES, { tls: { cert: first.cert, key: first.key, clientCa: pki.ca, files, reloadIntervalMs: 50 } });
    const address = t.server.address;
    const web = pki.client('web', 'URI:spiffe://cluster.local/ns/shop/sa/web');
    assert.is(await servedSerial(address), serialOf(first));
    assert.is(await fetchOwnNode(address, web), 1, 'mTLS from files: the client is served its node');

    const second = pki.workload('server-2', 'IP:127.0.0.1,DNS:localhost');
    put('tls.key', second.key);
    put('tls.crt', second.cert);
    await untilServed(address, serialOf(second));
    assert.is(await fetchOwnNode(address, web), 1, 'served with the rotated certificate');
    assert.is(t.events('tls-reloaded').length, 1);
    assert.is(t.events('tls-reloaded')[0]!.fields.serial, serialOf(second));

    // A certificate without its key (the rotation is half done): refused, reported once, the second one stays.
    const third = pki.workload('server-3', 'IP:127.0.0.1,DNS:localhost');
    put('tls.crt', third.cert);
    const deadline = Date.now() + 20_000;
    while (t.events('tls-reload-failed').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const failed = t.events('tls-reload-failed');
    assert.is(failed.length, 1);
    assert.match(failed[0]!.msg, 'still serving the previous certificate');
    assert.match(failed[0]!.msg, 'TLS certificate/key');
    assert.is(await servedSerial(address), serialOf(second));
    assert.is(await fetchOwnNode(address, web), 1);

    // The key lands: the third certificate is taken.
    put('tls.key', third.key);
    await untilServed(address, serialOf(third));
    assert.is(t.events('tls-reload-failed').length, 1, 'the failure was logged once, not on every poll');
  } finally {
    await t?.close();
  }
});

test('a certificate file removed after start-up: the server keeps serving and says why', async () => {
  if (!pki) return void console.log('skipped: no openssl to make certificates');
  const files = { cert: put('gone.crt', pki.server.cert), key: put('gone.key', pki.server.key) };
  const t = await startTestServer(NODES, { tls: { cert: pki.server.cert, key: pki.server.key, files, reloadIntervalMs: 50 } });
  try {
    rmSync(files.cert);
    const deadline = Date.now() + 20_000;
    while (t.events('tls-reload-failed').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    assert.match(t.events('tls-reload-failed')[0]?.msg ?? '', 'cannot read');
    const ch = connect(t.server.address, credentials.createSsl(pki.ca), { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' });
    await healthCheck(ch);
    ch.close();
  } finally {
    await t.close();
  }
});

test.run();
