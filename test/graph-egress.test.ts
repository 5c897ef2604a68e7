/** `meshc graph` egress edges (OSM Egress policies and global egress passthrough), every format, through the built CLI. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import type { MeshGraph } from '../src/graph/index.ts';

const SHOP = 'fixtures/shop';
const PASSTHROUGH = 'test/compile-fixtures/osm-passthrough/mesh-config.yaml';
const graph = (...args: string[]) => runCli(['graph', ...args]);
const json = (...args: string[]) => {
  const r = graph('--format', 'json', ...args);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as MeshGraph;
};
const egressEdges = (g: MeshGraph) => g.edges.filter((e) => e.kind === 'egress').map((e) => [e.from, e.to, e.label, e.via]);

function withShopCopy(edit: (dir: string) => void, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-graph-egress-'));
  cpSync(SHOP, dir, { recursive: true });
  try {
    edit(dir);
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('json: each destination an Egress opens is an external node, with an egress edge from its source (ports, routes, Egress)', () => {
  const g = json(SHOP);
  assert.equal(egressEdges(g), [
    ['identity:bookbuyer/bookbuyer', 'external:203.0.113.0/24:5432', '5432: tcp', ['bookbuyer/orders-db-tcp']],
    ['identity:bookbuyer/bookbuyer', 'external:api.github.com:443', '443: https (SNI)', ['bookbuyer/github-https']],
    ['identity:bookbuyer/bookbuyer', 'external:httpbin.org:80', '80: httpbin-get/get', ['bookbuyer/httpbin-http']],
  ]);
  assert.equal(g.nodes.filter((n) => n.kind === 'external').map((n) => [n.id, n.name, n.details]), [
    ['external:203.0.113.0/24:5432', '203.0.113.0/24:5432', ['tcp']],
    ['external:api.github.com:443', 'api.github.com:443', ['https']],
    ['external:httpbin.org:80', 'httpbin.org:80', ['http']],
  ]);
  // The mesh edges are untouched: bookbuyer still reaches bookstore.
  assert.ok(g.edges.some((e) => e.kind === 'allow' && e.from === 'identity:bookbuyer/bookbuyer'));
});

test('dot, mermaid and html: external nodes apart ("outside the mesh") and egress edges drawn differently from mesh edges', () => {
  const dot = graph('--format', 'dot', SHOP).stdout;
  assert.match(dot, '  subgraph "cluster_outside the mesh" {\n    label="outside the mesh";\n    style=dashed; color="#c05621";\n    "external:203.0.113.0/24:5432" [label="203.0.113.0/24:5432\\ntcp" shape=note color="#c05621"];');
  assert.match(dot, '"identity:bookbuyer/bookbuyer" -> "external:httpbin.org:80" [label="80: httpbin-get/get" color="#c05621" fontcolor="#c05621" arrowhead=empty penwidth=1.5];');
  const mermaid = graph('--format', 'mermaid', SHOP).stdout;
  assert.match(mermaid, /subgraph ns\d+\["outside the mesh"\]\n {4}(n\d+)\[\/"203\.0\.113\.0\/24:5432<br\/>tcp"\/\]/);
  const egress = mermaid.split('\n').filter((l) => / --o\|/.test(l));
  assert.is(egress.length, 3);
  assert.match(egress.join('\n'), /--o\|"443: https #40;SNI#41;"\|/);
  // Each egress link is styled orange, by its index among the links.
  const links = mermaid.split('\n').filter((l) => /-->|==>|-\.->|-\.-|--o/.test(l));
  for (const l of egress) assert.match(mermaid, `linkStyle ${links.indexOf(l)} stroke:#c05621,color:#c05621`);
  assert.match(mermaid, /classDef external fill:#fffaf0,stroke:#c05621/);
  const html = graph('--format', 'html', SHOP).stdout;
  const drawing = html.slice(html.indexOf('<g id="viewport">'), html.indexOf('</svg>'));
  assert.is((drawing.match(/<path class="edge egress" [^>]*marker-end="url\(#m-egress\)"/g) ?? []).length, 3);
  assert.is((drawing.match(/<g class="node external"/g) ?? []).length, 3);
  assert.match(html, '<marker id="m-egress"');
  assert.match(html, 'egress (outside the mesh)');
});

test('global egress passthrough: one edge per identity to "any destination outside the mesh"; from "every identity" in permissive mode', () => {
  const g = json('--mesh-config', PASSTHROUGH, 'fixtures/bookstore');
  const identities = g.nodes.filter((n) => n.kind === 'identity').map((n) => n.id);
  assert.is(identities.length, 6);
  assert.equal(egressEdges(g), identities.map((id) => [id, 'external:*', 'any destination (egress passthrough)', ['osm-system/osm-mesh-config']]));
  assert.equal(g.nodes.find((n) => n.id === 'external:*')?.name, 'any destination outside the mesh');
  const p = json('--permissive', '--mesh-config', PASSTHROUGH, 'fixtures/bookstore');
  assert.equal(egressEdges(p), [['any:*', 'external:*', 'any destination (egress passthrough)', ['osm-system/osm-mesh-config']]]);
});

test('Egress with enableEgressPolicy off: no egress edge (OSM ignores the policies)', () => {
  withShopCopy((dir) => {
    const f = join(dir, 'osm/mesh-config.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('enableEgressPolicy: true', 'enableEgressPolicy: false'));
  }, (dir) => {
    const g = json(dir);
    assert.equal(egressEdges(g), []);
    assert.not.ok(g.nodes.some((n) => n.kind === 'external'));
  });
});

test('ports open to every destination, IP ranges for https, Egresses merged per destination, every request for an Egress without route groups', () => {
  withShopCopy((dir) => {
    writeFileSync(join(dir, 'osm/egress-more.yaml'), `apiVersion: policy.openservicemesh.io/v1alpha1
kind: Egress
metadata: {name: any-tcp, namespace: bookbuyer}
spec:
  sources: [{kind: ServiceAccount, name: bookbuyer, namespace: bookbuyer}]
  ports: [{number: 9000, protocol: tcp}, {number: 8443, protocol: https}]
---
apiVersion: policy.openservicemesh.io/v1alpha1
kind: Egress
metadata: {name: https-range, namespace: bookbuyer}
spec:
  sources: [{kind: ServiceAccount, name: bookbuyer, namespace: bookbuyer}, {kind: ServiceAccount, name: bookthief, namespace: bookthief}]
  ipAddresses: [198.51.100.0/24]
  ports: [{number: 443, protocol: https}]
---
apiVersion: policy.openservicemesh.io/v1alpha1
kind: Egress
metadata: {name: httpbin-all, namespace: bookbuyer}
spec:
  sources: [{kind: ServiceAccount, name: bookbuyer, namespace: bookbuyer}]
  hosts: [HTTPBIN.org]
  ports: [{number: 80, protocol: http}]
`);
  }, (dir) => {
    const g = json(dir);
    const edges = egressEdges(g);
    const find = (from: string, to: string) => edges.find((e) => e[0] === from && e[1] === to);
    assert.equal(find('identity:bookbuyer/bookbuyer', 'external:any host:9000'), ['identity:bookbuyer/bookbuyer', 'external:any host:9000', '9000: tcp', ['bookbuyer/any-tcp']]);
    assert.equal(find('identity:bookbuyer/bookbuyer', 'external:any host:8443'), ['identity:bookbuyer/bookbuyer', 'external:any host:8443', '8443: https', ['bookbuyer/any-tcp']]);
    assert.equal(find('identity:bookthief/bookthief', 'external:198.51.100.0/24:443'), ['identity:bookthief/bookthief', 'external:198.51.100.0/24:443', '443: https', ['bookbuyer/https-range']]);
    // Two Egresses open httpbin.org:80 (hosts compared in any case): one edge, both routes and both Egresses.
    assert.equal(find('identity:bookbuyer/bookbuyer', 'external:httpbin.org:80'), ['identity:bookbuyer/bookbuyer', 'external:httpbin.org:80', '80: any, httpbin-get/get', ['bookbuyer/httpbin-all', 'bookbuyer/httpbin-http']]);
  });
});

test('graph and why agree: every destination drawn is one why --to-external allows for that identity', () => {
  const g = json(SHOP);
  for (const e of g.edges.filter((x) => x.kind === 'egress')) {
    const name = g.nodes.find((n) => n.id === e.to)!.name;
    const host = name.slice(0, name.lastIndexOf(':')).replace(/\/24$/, '').replace(/\.0$/, '.7');
    const r = runCli(['why', '--from', e.from.replace('identity:', ''), '--to-external', `${host}:${e.ports[0]}`, '--method', 'GET', '--path', '/get', SHOP]);
    assert.is(r.code, 0, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^ALLOWED /);
  }
});

test.run();
