/** `meshc graph` text formats through the built CLI. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import type { MeshGraph } from '../src/graph/index.ts';

const BOOKSTORE = 'fixtures/bookstore';
const graph = (...args: string[]) => runCli(['graph', ...args]);

function withoutV2Access(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-graph-'));
  cpSync(BOOKSTORE, dir, { recursive: true });
  const f = join(dir, 'policy/access.yaml');
  const parts = readFileSync(f, 'utf8').split('\n---\n');
  writeFileSync(f, parts.filter((p) => !/name: bookstore-v2\n {2}namespace: bookstore/.test(p)).join('\n---\n'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('json: identities, services, allow/serves/split edges with ports, routes and TrafficTargets', () => {
  const r = graph('--format', 'json', BOOKSTORE);
  assert.is(r.code, 0, r.stderr);
  const g = JSON.parse(r.stdout) as MeshGraph;
  assert.equal(g.nodes.map((n) => n.id), [
    'identity:bookbuyer/bookbuyer', 'identity:bookstore/bookstore', 'identity:bookstore/bookstore-v2', 'identity:bookthief/bookthief',
    'identity:bookwarehouse/bookwarehouse', 'identity:bookwarehouse/mysql',
    'service:bookstore/bookstore', 'service:bookstore/bookstore-v1', 'service:bookstore/bookstore-v2',
    'service:bookwarehouse/bookwarehouse', 'service:bookwarehouse/mysql',
  ]);
  const edge = (from: string, to: string, kind: string) => g.edges.find((e) => e.from === from && e.to === to && e.kind === kind);
  const buy = edge('identity:bookbuyer/bookbuyer', 'service:bookstore/bookstore-v1', 'allow')!;
  assert.equal(buy.ports, [14001]);
  assert.equal(buy.routes, ['bookstore-service-routes/books-bought', 'bookstore-service-routes/buy-a-book']);
  assert.equal(buy.via, ['bookstore/bookstore']);
  assert.equal(edge('identity:bookwarehouse/bookwarehouse', 'service:bookwarehouse/mysql', 'allow')!.routes, ['tcp']);
  const v2 = edge('service:bookstore/bookstore', 'service:bookstore/bookstore-v2', 'split')!;
  assert.is(v2.weight, 10);
  assert.is(v2.percent, 10);
  assert.ok(edge('service:bookstore/bookstore-v1', 'identity:bookstore/bookstore', 'serves'));
  assert.not.ok(g.edges.some((e) => e.from === 'identity:bookthief/bookthief'), 'bookthief may reach nothing');
  assert.not.ok(g.edges.some((e) => e.kind === 'denied'));
});

test('a split backend the caller may not reach is a denied edge with its share of traffic', () => {
  withoutV2Access((dir) => {
    const r = graph('--format', 'json', dir);
    assert.is(r.code, 0, r.stderr);
    const g = JSON.parse(r.stdout) as MeshGraph;
    const denied = g.edges.filter((e) => e.kind === 'denied');
    assert.equal(denied.map((e) => [e.from, e.to, e.percent, e.label]), [['identity:bookbuyer/bookbuyer', 'service:bookstore/bookstore-v2', 10, 'denied: 10% of requests']]);
    const dot = graph('--format', 'dot', dir).stdout;
    assert.match(dot, '"identity:bookbuyer/bookbuyer" -> "service:bookstore/bookstore-v2" [label="denied: 10% of requests" style=dashed color="#c53030"');
    const mermaid = graph('--format', 'mermaid', dir).stdout;
    assert.match(mermaid, /n0 -\.->\|"denied: 10% of requests"\| n\d+/);
    assert.match(mermaid, /linkStyle \d+ stroke:#c53030/);
  });
});

test('dot and mermaid: deterministic, namespaces as clusters, every edge present', () => {
  const a = graph('--format', 'dot', BOOKSTORE);
  const b = graph(BOOKSTORE); // dot is the default
  assert.is(a.code, 0);
  assert.is(a.stdout, b.stdout);
  assert.match(a.stdout, /^digraph meshc \{\n {2}rankdir=LR;/);
  assert.match(a.stdout, 'subgraph "cluster_bookwarehouse"');
  assert.match(a.stdout, '"service:bookstore/bookstore" -> "service:bookstore/bookstore-v1" [label="90% (weight 90)" style=bold');
  const edges = (JSON.parse(graph('--format', 'json', BOOKSTORE).stdout) as MeshGraph).edges.length;
  assert.is(a.stdout.split('\n').filter((l) => l.includes(' -> ')).length, edges);
  const m1 = graph('--format', 'mermaid', BOOKSTORE);
  const m2 = graph('--format', 'mermaid', BOOKSTORE);
  assert.is(m1.stdout, m2.stdout);
  assert.match(m1.stdout, /^flowchart LR\n/);
  assert.match(m1.stdout, '["bookstore/bookstore-v1<br/>14001/TCP"]');
  assert.is(m1.stdout.split('\n').filter((l) => /-->|==>|-\.->|-\.-/.test(l)).length, edges);
});

test('permissive mode: one "every identity" node instead of identities × services', () => {
  const r = graph('--format', 'json', '--permissive', BOOKSTORE);
  assert.is(r.code, 0, r.stderr);
  const g = JSON.parse(r.stdout) as MeshGraph;
  assert.is(g.mode, 'permissive');
  const allow = g.edges.filter((e) => e.kind === 'allow');
  assert.ok(allow.length === 5 && allow.every((e) => e.from === 'any:*'));
});

test('a "*" source (no wildcard in SMI, MESH0212) is drawn as no identity: no node, no allow edge from it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-graph-star-'));
  cpSync(BOOKSTORE, dir, { recursive: true });
  const f = join(dir, 'policy/access.yaml');
  const text = readFileSync(f, 'utf8');
  // The bookstore-v1 TrafficTarget gets a second source, "*" in namespace bookbuyer.
  writeFileSync(f, text.replace('  sources:\n    - kind: ServiceAccount\n      name: bookbuyer\n      namespace: bookbuyer\n',
    '  sources:\n    - kind: ServiceAccount\n      name: bookbuyer\n      namespace: bookbuyer\n    - kind: ServiceAccount\n      name: "*"\n      namespace: bookbuyer\n'));
  try {
    assert.match(readFileSync(f, 'utf8'), 'name: "*"');
    const r = graph('--format', 'json', dir, '--assume-external', 'ServiceAccount/bookbuyer/*');
    assert.is(r.code, 0, r.stderr);
    const g = JSON.parse(r.stdout) as MeshGraph;
    assert.not.ok(g.nodes.some((n) => n.name === '*'), 'no identity node named *');
    assert.not.ok(g.edges.some((e) => e.from === 'identity:bookbuyer/*'), 'no edge from *');
    assert.ok(g.edges.some((e) => e.kind === 'allow' && e.from === 'identity:bookbuyer/bookbuyer'), 'the real caller is still drawn');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--output writes the file atomically; bad arguments exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-graph-out-'));
  try {
    const out = join(dir, 'mesh.html');
    const r = graph('--format', 'html', '-o', out, BOOKSTORE);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, '');
    assert.match(readFileSync(out, 'utf8'), /^<!DOCTYPE html>/);
    assert.equal(readdirSync(dir), ['mesh.html']);
    // Missing directories are made, as export and import make them.
    const nested = graph('-o', join(dir, 'docs', 'graph', 'x.dot'), BOOKSTORE);
    assert.is(nested.code, 0, nested.stderr);
    assert.match(readFileSync(join(dir, 'docs', 'graph', 'x.dot'), 'utf8'), /^digraph/);
    // A path under a file cannot be written: exit 2, nothing made.
    const bad = graph('-o', join(out, 'x.dot'), BOOKSTORE);
    assert.is(bad.code, 2);
    assert.match(bad.stderr, 'cannot write');
    assert.equal(readdirSync(dir).sort(), ['docs', 'mesh.html']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const fmt = graph('--format', 'png', BOOKSTORE);
  assert.is(fmt.code, 2);
  assert.match(fmt.stderr, '--format must be one of dot, mermaid, json, html');
  const missing = graph('no/such/dir');
  assert.is(missing.code, 2);
});

test('html: self-contained (no external URL), deterministic, every node and edge drawn', () => {
  const a = graph('--format', 'html', BOOKSTORE).stdout;
  assert.is(a, graph('--format', 'html', BOOKSTORE).stdout);
  assert.not.match(a, /(src|href)=["']?(https?:)?\/\//);
  assert.not.match(a, /@import|url\(http/);
  const g = JSON.parse(graph('--format', 'json', BOOKSTORE).stdout) as MeshGraph;
  // Counted in the drawing only (the page's script builds the same elements for its other views).
  const drawing = a.slice(a.indexOf('<g id="viewport">'), a.indexOf('</svg>'));
  assert.is((drawing.match(/<g class="node /g) ?? []).length, g.nodes.length);
  assert.is((drawing.match(/<path class="edge /g) ?? []).length, g.edges.length);
});

test.run();
