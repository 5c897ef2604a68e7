/**
 * The OSM MeshConfig drives compile: TLS parameters, global egress
 * passthrough, the sidecar log level and permissive mode; without a
 * MeshConfig the output is what it was. Every compiled resource passes the
 * self-validation (status 'written').
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from './helpers/cli.ts';
import { compileTo, diagnosticLines, readManifest, resourceHashes, tempDir } from './helpers/compile.ts';

const readJson = (out: string, node: string, stem: string) => JSON.parse(readFileSync(join(out, 'nodes', node, `${stem}.json`), 'utf8')).resources as Record<string, any>[];
const meshConfig = (spec: string) => `apiVersion: config.openservicemesh.io/v1alpha2
kind: MeshConfig
metadata: {name: osm-mesh-config, namespace: osm-system}
spec:
${spec}
`;

test('the shop MeshConfig: TLS 1.2–1.3 and two ciphers on both sides of mTLS, log level in the manifest and the bootstrap header', async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    const r = await compileTo([join(ROOT, 'fixtures/shop')], out);
    assert.equal(r.status, 'written', diagnosticLines(r).join('\n'));
    const params = { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3', cipher_suites: ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'] };
    const inbound = readJson(out, 'bookstore_deployment_bookstore-v1', 'listeners').find((l) => l.name === 'inbound-listener')!;
    // Every TLS chain; the plain-HTTP ingress chain of the shop's IngressBackend has no TLS to parameterise.
    assert.equal((inbound.filter_chains as Record<string, any>[]).filter((c) => !c.transport_socket).map((c) => c.name), ['ingress_bookstore/bookstore-v1_14001_http']);
    for (const chain of (inbound.filter_chains as Record<string, any>[]).filter((c) => c.transport_socket)) assert.equal(chain.transport_socket.typed_config.common_tls_context.tls_params, params);
    const upstream = readJson(out, 'bookbuyer_deployment_bookbuyer', 'clusters').filter((c) => c.transport_socket);
    assert.ok(upstream.length > 0);
    for (const c of upstream) assert.equal(c.transport_socket.typed_config.common_tls_context.tls_params, params);
    const manifest = readManifest(out);
    assert.ok(manifest.nodes.every((n) => JSON.stringify(n.envoyArgs) === '["--log-level","error"]'));
    assert.match(readFileSync(join(out, 'nodes', 'bookbuyer_deployment_bookbuyer', 'bootstrap.yaml'), 'utf8'), /^# .*run: envoy -c bootstrap\.yaml --log-level error\n/);
    // SMI mode in this MeshConfig: no passthrough, bookthief reaches nothing.
    assert.not.ok(readFileSync(join(out, 'nodes', 'bookbuyer_deployment_bookbuyer', 'listeners.json'), 'utf8').includes('passthrough'));
  } finally {
    tmp.cleanup();
  }
});

test('global egress passthrough: every proxy gets the default chain and the ORIGINAL_DST cluster, even one with no mesh upstream', async () => {
  const tmp = tempDir();
  try {
    const file = join(tmp.dir, 'mesh-config.yaml');
    writeFileSync(file, meshConfig('  traffic: {enableEgress: true}'));
    const out = join(tmp.dir, 'out');
    const r = await compileTo([join(ROOT, 'fixtures/bookstore')], out, { meshConfig: file });
    assert.equal(r.status, 'written', diagnosticLines(r).join('\n'));
    for (const node of ['bookthief_deployment_bookthief', 'bookbuyer_deployment_bookbuyer']) {
      const outbound = readJson(out, node, 'listeners').find((l) => l.name === 'outbound-listener')!;
      assert.equal(outbound.default_filter_chain.name, 'outbound-egress-filter-chain');
      assert.equal(outbound.default_filter_chain.filters[0].typed_config.cluster, 'passthrough-outbound');
      const cluster = readJson(out, node, 'clusters').find((c) => c.name === 'passthrough-outbound')!;
      assert.equal([cluster.type, cluster.lb_policy], ['ORIGINAL_DST', 'CLUSTER_PROVIDED']);
    }
    assert.equal(readJson(out, 'bookthief_deployment_bookthief', 'listeners').find((l) => l.name === 'outbound-listener')!.filter_chains, []);
  } finally {
    tmp.cleanup();
  }
});

test('without a MeshConfig the output is unchanged; a permissive MeshConfig compiles exactly like --permissive', async () => {
  const tmp = tempDir();
  try {
    const plain = await compileTo([join(ROOT, 'fixtures/bookstore')], join(tmp.dir, 'plain'));
    const file = join(tmp.dir, 'mesh-config.yaml');
    writeFileSync(file, meshConfig('  traffic: {enablePermissiveTrafficPolicyMode: false}'));
    const smi = await compileTo([join(ROOT, 'fixtures/bookstore')], join(tmp.dir, 'smi'), { meshConfig: file });
    // A MeshConfig that changes nothing (no TLS version in v1alpha1? v1alpha2 defaults TLS 1.2–1.3) — compare the RBAC-bearing routes only.
    assert.equal(plain.status, 'written');
    assert.equal(smi.status, 'written');
    const routesOf = (out: string) => [...resourceHashes(readManifest(out))].filter(([k]) => k.includes('RouteConfiguration')).sort();
    assert.equal(routesOf(join(tmp.dir, 'smi')), routesOf(join(tmp.dir, 'plain')));
    assert.not.ok(readFileSync(join(tmp.dir, 'plain', 'manifest.json'), 'utf8').includes('envoyArgs'));

    writeFileSync(file, meshConfig('  traffic: {enablePermissiveTrafficPolicyMode: true}\n  sidecar: {tlsMinProtocolVersion: TLS_AUTO, tlsMaxProtocolVersion: TLS_AUTO}'));
    const viaMeshConfig = await compileTo([join(ROOT, 'fixtures/bookstore')], join(tmp.dir, 'mc'), { meshConfig: file });
    const viaFlag = await compileTo([join(ROOT, 'fixtures/bookstore')], join(tmp.dir, 'flag'), { permissive: true });
    assert.equal(viaMeshConfig.status, 'written', diagnosticLines(viaMeshConfig).join('\n'));
    assert.ok(diagnosticLines(viaMeshConfig).some((l) => l.includes('MESH1113')));
    const hashes = (out: string) => [...resourceHashes(readManifest(out))].filter(([k]) => !k.includes('Cluster ') && !k.includes('Listener inbound')).sort();
    assert.equal(hashes(join(tmp.dir, 'mc')), hashes(join(tmp.dir, 'flag')));
  } finally {
    tmp.cleanup();
  }
});

test('CLI: --mesh-config outside the paths wins over a MeshConfig among them; why and graph answer in its mode', () => {
  const tmp = tempDir();
  try {
    const file = join(tmp.dir, 'permissive.yaml');
    writeFileSync(file, meshConfig('  traffic: {enablePermissiveTrafficPolicyMode: true}'));
    const why = runCli(['why', '--from', 'bookthief/bookthief', '--to', 'bookstore/bookstore', 'fixtures/shop', '--mesh-config', file]);
    assert.is(why.code, 0, why.stderr);
    assert.match(why.stdout, /ALLOWED/);
    assert.match(why.stdout, /permissive mode/);
    const whyShop = runCli(['why', '--from', 'bookthief/bookthief', '--to', 'bookstore/bookstore', 'fixtures/shop']);
    assert.match(whyShop.stdout, /DENIED/);
    const check = runCli(['check', 'fixtures/shop', '--mesh-config', file, '--format', 'json']);
    // Same namespace and name as fixtures/shop/osm/mesh-config.yaml: that one is the duplicate (MESH0012), not the file's.
    const found = JSON.parse(check.stdout).diagnostics as { code: string; file: string }[];
    assert.equal(found.filter((d) => d.code === 'MESH0012').map((d) => d.file), ['fixtures/shop/osm/mesh-config.yaml']);
    assert.ok(found.some((d) => d.code === 'MESH1113'));
    const graph = runCli(['graph', 'fixtures/shop', '--mesh-config', file, '--format', 'json']);
    assert.is(graph.code, 0, graph.stderr);
    assert.is(JSON.parse(graph.stdout).mode, 'permissive');
    const missing = runCli(['check', 'fixtures/shop', '--mesh-config', join(tmp.dir, 'nope.yaml')]);
    assert.is(missing.code, 2);
  } finally {
    tmp.cleanup();
  }
});

test.run();
