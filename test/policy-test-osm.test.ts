/** meshc test with OSM: egress cases (to: {host, port}) and the MeshConfig's permissive mode. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadMesh } from '../src/pipeline/check.ts';
import { runPolicyTests } from '../src/policy-test/index.ts';
import { docs, dedent } from './rules/tester.ts';
import { world, meshConfig } from './rules/osm/world.ts';

async function run(yaml: string, paths = ['-']) {
  const loaded = await loadMesh(paths, { readStdin: async () => Buffer.from(yaml) });
  return runPolicyTests(loaded, paths);
}
const tests = (cases: string) => dedent(`
  apiVersion: meshc.dev/v1alpha1
  kind: ReachabilityTest
  metadata: {name: t, namespace: shop}
  spec:
    cases:
${cases}
`);
const egress = dedent(`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: Egress
  metadata: {name: github, namespace: shop}
  spec:
    sources: [{kind: ServiceAccount, name: web, namespace: shop}]
    hosts: [api.github.com]
    ports: [{number: 443, protocol: https}]
`);
const show = (r: Awaited<ReturnType<typeof run>>) => r.diagnostics.map((d) => `${d.code} ${d.range?.line}:${d.range?.column} ${d.message}`);

test('the shop example: every case passes, egress ones included', async () => {
  const loaded = await loadMesh(['fixtures/shop']);
  const r = runPolicyTests(loaded, ['fixtures/shop']);
  assert.equal(show(r), []);
  assert.ok(r.results.filter((x) => x.reason.includes('Egress')).length >= 4);
  assert.ok(r.results.every((x) => x.passed));
});

test('a failed egress expectation names the destination and why', async () => {
  const r = await run(docs(tests('      - {from: web, to: {host: api.github.com, port: 80}, expect: allow}\n      - {from: web, to: {host: API.github.com, port: 443}, expect: deny}'), egress, ...world));
  assert.equal(r.diagnostics.map((d) => `${d.code} ${d.range?.line}:${d.range?.column}`), ['MESH0701 6:7', 'MESH0701 7:7']);
  assert.match(r.diagnostics[0]!.message, /api\.github\.com:80.*github opens port\(s\) 443, not 80/);
  assert.match(r.diagnostics[1]!.message, /Egress shop\/github lets shop\/web reach api\.github\.com:443/);
  assert.equal(r.diagnostics[1]!.related?.map((x) => x.message), ['Egress shop/github: lists shop/web as a source', 'Egress shop/github: matches TLS server name api.github.com', 'Egress shop/github: opens port 443 (https)']);
});

test('invalid egress cases: missing port, bad host, port outside to, unknown identity', async () => {
  const r = await run(docs(tests([
    '      - {from: web, to: {host: api.github.com}, expect: allow}',
    '      - {from: web, to: {host: "a b", port: 443}, expect: allow}',
    '      - {from: web, to: {host: api.github.com, port: 443}, port: 443, expect: allow}',
    '      - {from: wbe, to: {host: api.github.com, port: 443}, expect: allow}',
  ].join('\n')), egress, ...world));
  assert.equal(r.diagnostics.map((d) => `${d.code} ${d.range?.line}:${d.range?.column}`), ['MESH0716 6:23', 'MESH0702 7:30', 'MESH0719 8:64', 'MESH0710 9:14']);
  assert.match(r.diagnostics[0]!.message, /has no port/);
  assert.match(r.diagnostics[3]!.message, /unknown identity 'shop\/wbe'.*did you mean 'shop\/web'/);
});

test('global egress passthrough opens every outside destination; without it nothing is open', async () => {
  const cases = tests('      - {from: api, to: {host: example.com, port: 8443}, expect: allow}');
  const open = await run(docs(cases, meshConfig('osm-mesh-config', 'traffic:\n  enableEgress: true'), ...world));
  assert.equal(show(open), []);
  assert.match(open.results[0]!.reason, /global egress passthrough \(MeshConfig osm-system\/osm-mesh-config traffic.enableEgress\)/);
  const closed = await run(docs(cases, ...world));
  assert.equal(closed.diagnostics.map((d) => d.code), ['MESH0701']);
  assert.match(closed.results[0]!.reason, /no Egress lists shop\/api as a source \(the input has no Egress\), and egress passthrough is off/);
  const flagOff = await run(docs(cases, egress, meshConfig('osm-mesh-config', 'traffic:\n  enableEgress: false'), ...world));
  assert.match(flagOff.results[0]!.reason, /neither traffic.enableEgress nor featureFlags.enableEgressPolicy/);
});

test('permissive MeshConfig: tests see every identity reach every service', async () => {
  const cases = tests('      - {from: api, to: api:80, expect: allow}\n      - {from: web, to: api, expect: allow}');
  const smi = await run(docs(cases, meshConfig('osm-mesh-config', 'traffic:\n  enablePermissiveTrafficPolicyMode: false'), ...world));
  assert.equal(smi.results.map((x) => x.actual), ['deny', 'deny']);
  const permissive = await run(docs(cases, meshConfig('osm-mesh-config', 'traffic:\n  enablePermissiveTrafficPolicyMode: true'), ...world));
  assert.equal(show(permissive), []);
  assert.equal(permissive.results.map((x) => x.actual), ['allow', 'allow']);
  assert.match(permissive.results[0]!.reason, /permissive mode/);
});

test.run();
