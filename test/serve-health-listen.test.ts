/**
 * `meshc serve --health-listen`: a plaintext grpc.health.v1-only listener beside an mTLS xDS listener, for kubelet
 * gRPC probes (which cannot do TLS). It answers SERVING, offers no xDS service, turns NOT_SERVING/unreachable on
 * shutdown, and its bad values are usage errors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { status as Status } from '@grpc/grpc-js';
import { runCli } from './helpers/cli.ts';
import { connect, GRPC_NODE, healthCheck, HEALTH, sotwStream, startOnTakenPort, startTestServer } from './helpers/serve-client.ts';
import { CLUSTER, grpcSplitResources } from './helpers/serve-fixtures.ts';
import { makePki } from './helpers/serve-certs.ts';

const NODE = 'shop/deployment/web';
const NODES = [{ id: NODE, resources: grpcSplitResources('svc', [{ cluster: 'a', port: 1, weight: 1 }]) }];

test('plaintext health beside mTLS xDS: SERVING without a certificate, xDS not offered there, gone after shutdown', async () => {
  const pki = makePki();
  const t = await startTestServer(NODES, { tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca }, healthListen: '127.0.0.1:0' });
  try {
    assert.type(t.server.healthPort, 'number');
    assert.is.not(t.server.healthPort, t.server.port);
    const probe = connect(`127.0.0.1:${t.server.healthPort}`);
    try {
      assert.is(await healthCheck(probe), HEALTH.SERVING);
      assert.is(await healthCheck(probe, 'envoy.service.discovery.v3.AggregatedDiscoveryService'), HEALTH.SERVING);
      // Only health: an xDS stream on this port is UNIMPLEMENTED, so no snapshot leaks past mTLS.
      const s = sotwStream(probe);
      s.send({ node: GRPC_NODE(NODE), type_url: CLUSTER, resource_names: [] });
      const end = await s.ended;
      assert.is(end.code, Status.UNIMPLEMENTED);
    } finally {
      probe.close();
    }
    // The main port still requires TLS: a plaintext health check there fails.
    const plain = connect(t.server.address);
    try {
      const err = await healthCheck(plain).catch((e: { code: number }) => e);
      assert.is((err as { code: number }).code, Status.UNAVAILABLE);
    } finally {
      plain.close();
    }
    const port = t.server.healthPort!;
    await t.server.close(1000);
    const after = connect(`127.0.0.1:${port}`);
    try {
      const err = await healthCheck(after).catch((e: { code: number }) => e);
      assert.is((err as { code: number }).code, Status.UNAVAILABLE, 'nothing listens after shutdown');
    } finally {
      after.close();
    }
  } finally {
    await t.close();
    rmSync(pki.dir, { recursive: true, force: true });
  }
});

test('--health-listen: malformed, same port as --listen, or in use: exit 2 with a clear message', async () => {
  const dir = 'test/golden/bookstore-does-not-matter';
  const cases: [string[], RegExp][] = [
    [['--health-listen', 'nohost'], /MESH1052 --health-listen must be HOST:PORT \(e\.g\. 0\.0\.0\.0:18001\) \(got "nohost"\)/],
    [['--listen', '127.0.0.1:18123', '--health-listen', '0.0.0.0:18123'], /MESH1053 --health-listen and --listen both use port 18123/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(['serve', '--snapshots', dir, ...args]);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
  }
  const { error, port } = await startOnTakenPort(NODES, (port) => ({ healthListen: `127.0.0.1:${port}` }));
  assert.ok(error, 'start-up fails');
  assert.match(error!.message, `cannot listen on 127.0.0.1:${port} (--health-listen)`);
});

test.run();
