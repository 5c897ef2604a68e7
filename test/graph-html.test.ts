/**
 * The `meshc graph --format html` page in a real headless browser (Debian's
 * chromium, driven by playwright-core): it renders every node and edge,
 * makes no network request, logs no console error, pans, zooms and shows
 * what a clicked node can reach. Keeps a screenshot in test/.artifacts/.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { generateMesh } from '../bench/generate.ts';
import { ROOT, runCli } from './helpers/cli.ts';
import type { MeshGraph } from '../src/graph/index.ts';

// Browser globals used inside page.evaluate callbacks (the project compiles without the DOM lib).
interface DomRect { left: number; right: number; top: number; bottom: number; width: number; height: number }
interface DomElement { getAttribute(name: string): string | null; getBoundingClientRect(): DomRect; getTotalLength(): number }
declare const document: { querySelectorAll(selector: string): Iterable<DomElement>; getElementById(id: string): DomElement | null };

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test/.artifacts');
let browser: Browser | undefined;
let dir = '';

test.before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  dir = mkdtempSync(join(tmpdir(), 'meshc-graph-html-'));
  mkdirSync(ARTIFACTS, { recursive: true });
});

test.after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('bookstore graph: every node and edge rendered, offline, no console error, interactive', async () => {
  const file = join(dir, 'bookstore.html');
  const r = runCli(['graph', '--format', 'html', '-o', file, 'fixtures/bookstore']);
  assert.is(r.code, 0, r.stderr);
  const graph = JSON.parse(runCli(['graph', '--format', 'json', 'fixtures/bookstore']).stdout) as MeshGraph;

  const context = await browser!.newContext({ viewport: { width: 1400, height: 800 } });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (req) => { if (req.url() !== url) requests.push(req.url()); });
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.goto(url, { waitUntil: 'load' });

  // Every node and edge is in the DOM with a visible size.
  const sizes = await page.evaluate(() => ({
    nodes: [...document.querySelectorAll('#viewport .node')].map((n) => { const b = n.getBoundingClientRect(); return [n.getAttribute('data-id'), b.width > 0 && b.height > 0]; }),
    edges: [...document.querySelectorAll('#viewport .edge')].map((e) => [e.getAttribute('data-edge'), e.getTotalLength() > 0]),
  }));
  assert.equal(sizes.nodes.map((n) => n[0]).sort(), graph.nodes.map((n) => n.id).sort());
  assert.equal(sizes.edges.map((e) => e[0]).sort(), graph.edges.map((e) => e.id).sort());
  assert.ok(sizes.nodes.every((n) => n[1]) && sizes.edges.every((e) => e[1]), 'everything has a size');

  // Fit puts the whole graph inside the viewport.
  const inView = await page.evaluate(() => {
    const svg = document.getElementById('graph')!.getBoundingClientRect();
    return [...document.querySelectorAll('#viewport .node')].every((n) => {
      const b = n.getBoundingClientRect();
      return b.left >= svg.left - 1 && b.right <= svg.right + 1 && b.top >= svg.top - 1 && b.bottom <= svg.bottom + 1;
    });
  });
  assert.ok(inView, 'fit shows every node');

  // Click bookbuyer: the panel lists what it can reach and through which TrafficTargets.
  await page.click('[data-id="identity:bookbuyer/bookbuyer"]');
  const panel = await page.textContent('#panel');
  assert.match(panel!, 'bookbuyer/bookbuyer');
  assert.match(panel!, 'Can reach (3)');
  assert.match(panel!, 'bookstore/bookstore-v1');
  assert.match(panel!, 'via bookstore/bookstore');
  const highlighted = await page.$$eval('#viewport .edge.hl', (els) => els.map((e) => e.getAttribute('data-edge')));
  assert.is(highlighted.length, 3);
  await page.screenshot({ path: join(ARTIFACTS, 'graph-bookstore.png') });

  // Zoom with the wheel and pan with a drag change the viewport transform.
  const before = await page.getAttribute('#viewport', 'transform');
  await page.mouse.move(700, 400);
  await page.mouse.wheel(0, -400);
  const zoomed = await page.getAttribute('#viewport', 'transform');
  assert.is.not(zoomed, before);
  assert.ok(Number(/scale\(([\d.]+)\)/.exec(zoomed!)![1]) > Number(/scale\(([\d.]+)\)/.exec(before!)![1]), 'zoomed in');
  await page.mouse.move(200, 700);
  await page.mouse.down();
  await page.mouse.move(320, 640, { steps: 4 });
  await page.mouse.up();
  assert.is.not(await page.getAttribute('#viewport', 'transform'), zoomed);

  assert.equal(requests, [], 'no network request');
  assert.equal(problems, [], 'no console error');
  await context.close();
  assert.ok(statSync(join(ARTIFACTS, 'graph-bookstore.png')).size > 10_000, 'screenshot kept');
});

/** Every drawn edge label's and node's rectangle on screen (plain JavaScript text, see graph-html-large.test.ts). */
const BOXES = `(() => {
  const rect = (e) => { const b = e.getBoundingClientRect(); return { id: e.getAttribute('data-label') || e.getAttribute('data-id'), left: b.left, right: b.right, top: b.top, bottom: b.bottom }; };
  return { labels: [...document.querySelectorAll('#viewport .elabel')].map(rect), nodes: [...document.querySelectorAll('#viewport .node')].map(rect) };
})()`;
interface Box { id: string; left: number; right: number; top: number; bottom: number }
const meet = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

for (const [what, make] of [
  ['bookstore', () => 'fixtures/bookstore'],
  ['a generated 5-service mesh', () => { generateMesh(join(dir, 'small'), { services: 5, namespaces: 3, splitEvery: 5 }); return join(dir, 'small'); }],
] as const) {
  test(`${what}: no edge label overlaps another label or a node; search goes to a node`, async () => {
    const mesh = make();
    const file = join(dir, 'labels.html');
    assert.is(runCli(['graph', '--format', 'html', '-o', file, mesh]).code, 0);
    const graph = JSON.parse(runCli(['graph', '--format', 'json', mesh]).stdout) as MeshGraph;
    const page = await browser!.newPage({ viewport: { width: 1400, height: 800 } });
    await page.goto(pathToFileURL(file).href);
    const { labels, nodes } = await page.evaluate(BOXES) as { labels: Box[]; nodes: Box[] };
    assert.is(nodes.length, graph.nodes.length, 'drawn whole (not grouped)');
    const labelled = graph.edges.filter((e) => e.kind !== 'serves').length;
    assert.ok(labels.length >= Math.ceil(labelled * 0.6), `${labels.length} of ${labelled} labels drawn`);
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1)) assert.not.ok(meet(a, b), `labels of ${a.id} and ${b.id} overlap`);
      for (const n of nodes) assert.not.ok(meet(a, n), `label of ${a.id} covers node ${n.id}`);
    }
    await page.screenshot({ path: join(ARTIFACTS, `graph-labels-${labels.length}.png`) });

    // Search: the list offers the match, Enter selects it (panel, highlight) and zooms to it and its neighbours.
    const target = graph.nodes.find((n) => n.kind === 'service')!;
    await page.fill('#search', target.name);
    assert.ok((await page.$$eval('#results [data-go]', (els) => els.map((e) => e.getAttribute('data-go')))).includes(target.id));
    await page.press('#search', 'Enter');
    assert.is(await page.getAttribute('#viewport .node.sel', 'data-id'), target.id);
    assert.match((await page.textContent('#panel h2'))!, `${target.namespace}/${target.name}`);
    const sel = (await page.locator('#viewport .node.sel').boundingBox())!;
    const stage = (await page.locator('#graph').boundingBox())!;
    assert.ok(sel.x >= stage.x && sel.x + sel.width <= stage.x + stage.width && sel.y >= stage.y && sel.y + sel.height <= stage.y + stage.height, 'in view');
    // Focus from the panel: only the node and its neighbours, then Esc brings the whole graph back.
    await page.click('#panel [data-focus]');
    const neighbours = new Set([target.id, ...graph.edges.flatMap((e) => (e.from === target.id ? [e.to] : e.to === target.id ? [e.from] : []))]);
    assert.equal((await page.$$eval('#viewport .node', (els) => els.map((e) => e.getAttribute('data-id')))).sort(), [...neighbours].sort());
    await page.keyboard.press('Escape');
    assert.is(await page.locator('#viewport .node').count(), graph.nodes.length);
    await page.close();
  });
}

test('a mesh of few nodes but long chains (too big to read whole) opens with its namespaces collapsed', async () => {
  generateMesh(join(dir, 'deep'), { services: 25, namespaces: 3, splitEvery: 5 });
  const file = join(dir, 'deep.html');
  assert.is(runCli(['graph', '--format', 'html', '-o', file, join(dir, 'deep')]).code, 0);
  const page = await browser!.newPage({ viewport: { width: 1400, height: 800 } });
  await page.goto(pathToFileURL(file).href);
  assert.equal(await page.$$eval('#viewport .group', (els) => els.map((e) => e.getAttribute('data-ns'))), ['ns-0', 'ns-1', 'ns-2']);
  assert.is(await page.locator('#viewport .node').count(), 0);
  await page.click('[data-ns="ns-1"]');
  assert.is(await page.locator('#viewport .node').count(), 18, 'ns-1: 10 services, 8 identities');
  await page.close();
});

test('a graph with a split cycle and a denied edge renders without errors', async () => {
  const mesh = join(dir, 'cycle.yaml');
  const docs = [
    ...['a', 'b', 'c'].flatMap((n) => [
      `apiVersion: v1\nkind: Service\nmetadata: {name: ${n}, namespace: x}\nspec:\n  selector: {app: ${n}}\n  ports: [{port: 80}]\n`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${n}, namespace: x}\nspec:\n  selector: {matchLabels: {app: ${n}}}\n  template:\n    metadata: {labels: {app: ${n}}}\n    spec:\n      serviceAccountName: ${n}\n      containers: [{name: c, image: i}]\n`,
      `apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: ${n}, namespace: x}\nspec:\n  service: ${n}\n  backends: [{service: ${n === 'a' ? 'b' : n === 'b' ? 'c' : 'a'}, weight: 1}, {service: ${n}, weight: 1}]\n`,
    ]),
    'apiVersion: specs.smi-spec.io/v1alpha4\nkind: TCPRoute\nmetadata: {name: all, namespace: x}\nspec:\n  matches: {ports: []}\n',
    'apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata: {name: t, namespace: x}\nspec:\n  destination: {kind: ServiceAccount, name: a, namespace: x}\n  rules: [{kind: TCPRoute, name: all}]\n  sources: [{kind: ServiceAccount, name: c, namespace: x}]\n',
  ];
  const { writeFileSync } = await import('node:fs');
  writeFileSync(mesh, docs.join('---\n'));
  const file = join(dir, 'cycle.html');
  const r = runCli(['graph', '--format', 'html', '-o', file, mesh]);
  assert.is(r.code, 0, r.stderr);
  const graph = JSON.parse(runCli(['graph', '--format', 'json', mesh]).stdout) as MeshGraph;
  assert.ok(graph.edges.some((e) => e.kind === 'denied'), 'c → a is allowed, c → b (a\'s other backend) denied');
  const page = await browser!.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (err) => problems.push(err.message));
  await page.goto(pathToFileURL(file).href);
  assert.is(await page.locator('#viewport .node').count(), graph.nodes.length);
  assert.is(await page.locator('#viewport .edge').count(), graph.edges.length);
  assert.equal(problems, []);
  await page.close();
});

test.run();
