/**
 * Golden tests: fixture meshes → the exact files `meshc compile` writes, per
 * node and xDS type: test/golden/<fixture>/<node-dir>/<type>.json, the
 * bootstrap, manifest.json (resource hashes cover the .pb bytes) and the
 * compile's diagnostics; and beside them ir.json, the per-proxy IR the files
 * are made from (src/envoy/translate/ir.ts, canonical JSON), where a policy
 * change can be reviewed without reading Envoy JSON. MESHC_UPDATE_GOLDEN=1
 * rewrites them and prunes goldens no fixture produces any more; review every
 * diff.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './helpers/cli.ts';
import { compileTo, diagnosticLines, irTextOf, listFiles, tempDir } from './helpers/compile.ts';
import { meshIR, type CompileOptions } from '../src/pipeline/compile.ts';
import { check } from '../src/pipeline/check.ts';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import type { ClusterIR, ProxyIR } from '../src/envoy/translate/ir.ts';
import { irJson } from '../src/envoy/translate/ir-json.ts';

const GOLDEN = join(ROOT, 'test', 'golden');
const UPDATE = process.env.MESHC_UPDATE_GOLDEN === '1';
const OSM = 'test/corpus/osm-demo';

const FIXTURES: { name: string; paths: string[]; options?: Partial<CompileOptions>; only?: RegExp }[] = [
  { name: 'bookstore', paths: ['fixtures/bookstore'] },
  { name: 'bookstore-static', paths: ['fixtures/bookstore'], options: { bootstrap: 'static' }, only: /bootstrap\.yaml$|sds-[a-z-]+\.yaml$/ },
  { name: 'bookstore-xds-dns', paths: ['fixtures/bookstore/apps/bookbuyer.yaml'], options: { xds: { host: 'xds.meshc.svc', port: 15128 } }, only: /bootstrap\.yaml$/ },
  { name: 'bookstore-permissive', paths: ['fixtures/bookstore'], options: { permissive: true, trustDomain: 'example.org', clusterDomain: 'corp.internal' } },
  { name: 'edge', paths: ['test/compile-fixtures/edge'] },
  // OSM: MeshConfig TLS/tracing/log level, Retry, UpstreamTrafficSetting (circuit breakers, rate limits), JSON access logs.
  { name: 'shop', paths: ['fixtures/shop'] },
  // OSM: global egress passthrough from a --mesh-config file, text access logs.
  { name: 'bookstore-passthrough', paths: ['fixtures/bookstore'], options: { meshConfig: 'test/compile-fixtures/osm-passthrough/mesh-config.yaml', accessLog: 'text' }, only: /(listeners|clusters)\.json$|manifest\.json$|bookthief.*bootstrap\.yaml$/ },
  // OSM IngressBackend: plain HTTP from a Service's endpoints and an IPRange, TLS with client certificates (principal, SNI, routes), TLS without.
  { name: 'ingress', paths: ['test/compile-fixtures/ingress'] },
  // OSM: active health checks (HTTP clusters, inbound health_check filter) and WASM stats as Envoy stats tags, from a --mesh-config file.
  { name: 'bookstore-osm-flags', paths: ['fixtures/bookstore'], options: { meshConfig: 'test/compile-fixtures/osm-flags/mesh-config.yaml' }, only: /(listeners|clusters)\.json$|bootstrap\.yaml$/ },
  { name: 'probes', paths: ['test/compile-fixtures/probes'] },
  { name: 'delivery', paths: ['test/compile-fixtures/delivery'] },
  // Gateway API mesh routes: several rules and routes on one Service in precedence order, no catch-all, a backend in
  // another namespace (ReferenceGrant), a route scoped to one port of a two-port Service.
  { name: 'gamma-rules', paths: ['fixtures/gamma-rules'] },
  { name: 'grpc-split', paths: ['test/compile-fixtures/grpc-split'], options: { target: 'grpc' } },
  // Gateway API route policy: queryParams matches, timeouts, header filters, request mirrors (envoy and grpc targets).
  { name: 'gamma-filters', paths: ['test/compile-fixtures/gamma-filters'] },
  { name: 'gamma-grpc', paths: ['test/compile-fixtures/grpc-split/mesh.yaml', 'test/compile-fixtures/gamma-grpc'], options: { target: 'grpc' } },
  { name: 'grpc-split-quantity', paths: ['test/compile-fixtures/grpc-split/mesh.yaml', 'test/compile-fixtures/grpc-split-quantity'], options: { target: 'grpc' } },
  {
    name: 'osm-demo',
    paths: ['apps-bookbuyer.yaml', 'apps-bookstore.yaml', 'apps-bookstore-v2.yaml', 'apps-bookthief.yaml', 'apps-bookwarehouse.yaml', 'apps-mysql.yaml',
      'access-traffic-access-v1.yaml', 'split-traffic-split-50-50.yaml'].map((f) => `${OSM}/${f}`),
  },
];

/** Type files hold one compact resource per line; goldens keep them indented so that diffs are reviewable. */
const reviewable = (file: string, text: string) => (/(listeners|routes|clusters|endpoints)\.json$/.test(file) ? `${JSON.stringify(JSON.parse(text), null, 2)}\n` : text);

/** The files compared: everything written except the .pb files (their bytes are hashed in manifest.json). */
const compared = (files: string[]) => files.filter((f) => !f.endsWith('.pb'));
const goldenPath = (fixture: string, file: string) => join(GOLDEN, fixture, file.replace(/^nodes\//, ''));

for (const fx of FIXTURES) {
  test(`golden: ${fx.name}`, async () => {
    const tmp = tempDir();
    try {
      const r = await compileTo(fx.paths, tmp.dir, fx.options);
      assert.equal(r.status, 'written', diagnosticLines(r).join('\n'));
      const files = compared(listFiles(tmp.dir)).filter((f) => !fx.only || fx.only.test(f));
      const actual = new Map(files.map((f) => [goldenPath(fx.name, f), reviewable(f, readFileSync(join(tmp.dir, f), 'utf8'))]));
      // Only the compiler's own findings (MESH08xx, and the Gateway API route policy's MESH1213/MESH1214): the lint rules have goldens of their own.
      const mine = diagnosticLines(r).filter((l) => / MESH(08\d\d|121[34]) /.test(l));
      actual.set(join(GOLDEN, fx.name, 'diagnostics.txt'), mine.map((l) => `${l}\n`).join(''));
      // Bootstrap-only variants share their IR with the full fixture.
      if (!fx.only) actual.set(join(GOLDEN, fx.name, 'ir.json'), await irTextOf(fx.paths, fx.options));
      if (UPDATE) {
        if (existsSync(join(GOLDEN, fx.name))) {
          for (const f of listFiles(join(GOLDEN, fx.name))) if (!actual.has(join(GOLDEN, fx.name, f))) rmSync(join(GOLDEN, fx.name, f));
        }
        for (const [p, text] of actual) {
          mkdirSync(dirname(p), { recursive: true });
          writeFileSync(p, text);
        }
        pruneEmptyDirs(join(GOLDEN, fx.name));
        return;
      }
      const expected = existsSync(join(GOLDEN, fx.name)) ? listFiles(join(GOLDEN, fx.name)).map((f) => join(GOLDEN, fx.name, f)) : [];
      assert.equal([...actual.keys()].sort(), expected.sort(), 'the set of golden files (MESHC_UPDATE_GOLDEN=1 updates them)');
      for (const [p, text] of actual) assert.fixture(text, readFileSync(p, 'utf8'), p);
    } finally {
      tmp.cleanup();
    }
  });
}

test('ir.json is canonical: the cluster map and object keys are sorted, whatever order the builder used', async () => {
  const checked = await check([join(ROOT, 'fixtures/bookstore')], { cwd: ROOT });
  const ir = meshIR(checked, {}, new DiagnosticSink());
  const reordered = {
    ...ir,
    clusters: new Map([...ir.clusters.entries()].reverse().map(([k, c]) => [k, Object.fromEntries(Object.entries(c).reverse())] as [string, ClusterIR])),
    nodes: ir.nodes.map((n) => Object.fromEntries(Object.entries(n).reverse()) as unknown as ProxyIR),
  };
  assert.ok(ir.clusters.size > 1);
  assert.fixture(irJson(reordered), irJson(ir));
  const text = irJson(ir);
  const names = Object.keys((JSON.parse(text) as { clusters: Record<string, unknown> }).clusters);
  assert.equal(names, [...names].sort());
  assert.ok(text.indexOf('"clusters"') < text.indexOf('"edges"') && text.indexOf('"edges"') < text.indexOf('"nodes"'), 'top-level keys sorted');
});

test('golden: no orphaned fixture directories', () => {
  const names = new Set(FIXTURES.map((f) => f.name));
  // Other suites keep goldens in test/golden too: ours are the directories holding a diagnostics.txt.
  const dirs = existsSync(GOLDEN) ? readdirSync(GOLDEN).filter((d) => existsSync(join(GOLDEN, d, 'diagnostics.txt'))) : [];
  if (UPDATE) {
    for (const d of dirs) if (!names.has(d)) rmSync(join(GOLDEN, d), { recursive: true, force: true });
    return;
  }
  assert.equal(dirs.filter((d) => !names.has(d)), [], 'golden directories without a fixture (MESHC_UPDATE_GOLDEN=1 prunes them)');
});

function pruneEmptyDirs(dir: string): boolean {
  if (!existsSync(dir)) return true;
  let empty = true;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && pruneEmptyDirs(join(dir, e.name))) rmSync(join(dir, e.name), { recursive: true });
    else empty = false;
  }
  return empty;
}

test.run();
