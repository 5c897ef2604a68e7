/**
 * `meshc graph --format html` on a 1,000-service mesh (bench/generate.ts:
 * 2,200 nodes, 7,361 edges, 50 namespaces) in headless chromium: it opens
 * with namespaces collapsed into boxes that fill the window and are readable,
 * a namespace expands in place and folds again, search finds a service and
 * focuses on it and its neighbours (everything else hidden), a neighbour
 * click moves the focus, Esc comes back. Deterministic output.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { generateMesh } from '../bench/generate.ts';
import { ROOT, runCli } from './helpers/cli.ts';
import { launchChromium, watchPage, type DomRect } from './helpers/browser.ts';
import type { MeshGraph } from '../src/graph/index.ts';

const ARTIFACTS = join(ROOT, 'test/.artifacts');
let browser: Browser | undefined;
let dir = '';
let file = '';
let graph: MeshGraph;

test.before(async () => {
  try { await setUp(); } catch (err) {
    // uvu drops an exception thrown by a hook without a word: say it, and fail every test below.
    console.error('graph-html-large setup failed:', err);
    throw err;
  }
});

async function setUp() {
  dir = mkdtempSync(join(tmpdir(), 'meshc-graph-large-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  generateMesh(join(dir, 'mesh'), { services: 1000 });
  file = join(dir, 'mesh.html');
  const r = runCli(['graph', '--format', 'html', '-o', file, join(dir, 'mesh')]);
  assert.is(r.code, 0, r.stderr);
  const json = join(dir, 'mesh.json');
  assert.is(runCli(['graph', '--format', 'json', '-o', json, join(dir, 'mesh')]).code, 0);
  graph = JSON.parse(readFileSync(json, 'utf8')) as MeshGraph;
  browser = await launchChromium();
}

test.after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Drawn {
  stage: DomRect;
  nodes: { id: string; rect: DomRect; sel: boolean }[];
  groups: { ns: string; open: boolean; rect: DomRect; title: DomRect }[];
  back: boolean;
}
/**
 * Ids of the nodes and namespaces drawn now, with their rectangles on screen. Plain JavaScript text: the test
 * runner's transform would add helpers to a TypeScript callback that the page does not have.
 */
const DRAWN = `(() => {
  const rect = (e) => { const b = e.getBoundingClientRect(); return { left: b.left, right: b.right, top: b.top, bottom: b.bottom, width: b.width, height: b.height }; };
  return {
    stage: rect(document.getElementById('graph')),
    nodes: [...document.querySelectorAll('#viewport .node')].map((n) => ({ id: n.getAttribute('data-id'), rect: rect(n), sel: n.classList.contains('sel') })),
    groups: [...document.querySelectorAll('#viewport .group')].map((g) => ({ ns: g.getAttribute('data-ns'), open: g.classList.contains('open'), rect: rect(g), title: rect(g.querySelector('.gname')) })),
    back: !document.getElementById('back').hidden,
  };
})()`;
const drawn = (page: Page) => page.evaluate(DRAWN) as Promise<Drawn>;
const inside = (r: DomRect, s: DomRect) => r.left >= s.left - 1 && r.right <= s.right + 1 && r.top >= s.top - 1 && r.bottom <= s.bottom + 1;

test('large mesh: the first view is namespaces collapsed, filling the window, readable', async () => {
  assert.is(graph.nodes.length, 2200);
  assert.is(graph.edges.length, 7361);
  const namespaces = [...new Set(graph.nodes.map((n) => n.namespace))];
  const page = await browser!.newPage({ viewport: { width: 1400, height: 800 } });
  const url = pathToFileURL(file).href;
  const watch = watchPage(page, url);
  await page.goto(url, { waitUntil: 'load' });
  const v = await drawn(page);
  assert.is(v.nodes.length, 0, 'no single node before a namespace is opened');
  assert.equal(v.groups.map((g) => g.ns).sort(), namespaces.sort());
  assert.ok(v.groups.every((g) => inside(g.rect, v.stage)), 'fit shows every namespace');
  // Viewport-filling: the boxes together span most of the stage both ways (not one thin line).
  const left = Math.min(...v.groups.map((g) => g.rect.left));
  const right = Math.max(...v.groups.map((g) => g.rect.right));
  const top = Math.min(...v.groups.map((g) => g.rect.top));
  const bottom = Math.max(...v.groups.map((g) => g.rect.bottom));
  assert.ok((right - left) / v.stage.width > 0.6, `spans ${Math.round(right - left)} of ${v.stage.width}px wide`);
  assert.ok((bottom - top) / v.stage.height > 0.6, `spans ${Math.round(bottom - top)} of ${v.stage.height}px high`);
  // Readable: a namespace name is drawn at least 11px high on screen, boxes do not overlap.
  assert.ok(v.groups.every((g) => g.title.height >= 11), `smallest name ${Math.min(...v.groups.map((g) => g.title.height))}px high`);
  for (const a of v.groups) for (const b of v.groups) {
    if (a !== b) assert.ok(a.rect.right <= b.rect.left || b.rect.right <= a.rect.left || a.rect.bottom <= b.rect.top || b.rect.bottom <= a.rect.top, `${a.ns} and ${b.ns} overlap`);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'graph-large-overview.png') });

  // Open ns-7 in place: its 40 nodes appear (readable size), the other namespaces stay boxes; a click on its frame folds it.
  await page.click('[data-ns="ns-7"]');
  const open = await drawn(page);
  const members = graph.nodes.filter((n) => n.namespace === 'ns-7').map((n) => n.id).sort();
  assert.equal(open.nodes.map((n) => n.id).sort(), members);
  assert.is(open.groups.length, namespaces.length);
  assert.ok(open.groups.find((g) => g.ns === 'ns-7')!.open);
  const shown = open.nodes.filter((n) => inside(n.rect, open.stage));
  assert.ok(shown.length >= 5 && shown.every((n) => n.rect.height >= 36), 'the opened namespace is zoomed to a readable size');
  assert.match((await page.textContent('#panel'))!, 'namespace ns-7');
  await page.screenshot({ path: join(ARTIFACTS, 'graph-large-expanded.png') });
  await page.click('.group.open .gname');
  assert.is((await drawn(page)).nodes.length, 0, 'folded again');

  assert.equal(watch.requests, [], 'no network request');
  assert.equal(watch.problems, [], 'no console error');
  await page.close();
});

test('large mesh: search finds a service and focuses on it and its neighbours', async () => {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 800 } });
  const url = pathToFileURL(file).href;
  const watch = watchPage(page, url);
  await page.goto(url, { waitUntil: 'load' });
  await page.fill('#search', 'svc-123');
  const listed = await page.$$eval('#results [data-go]', (els) => els.map((e) => e.getAttribute('data-go')));
  assert.equal(listed.slice(0, 2), ['service:ns-23/svc-123', 'identity:ns-23/svc-123'], 'exact name first, the service before its identity');
  assert.ok(await page.locator('.group.match[data-ns="ns-23"]').count() === 1, 'the namespace holding a match is outlined');
  await page.press('#search', 'Enter');

  const target = 'service:ns-23/svc-123';
  const neighbours = new Set<string>([target]);
  for (const e of graph.edges) {
    if (e.from === target) neighbours.add(e.to);
    if (e.to === target) neighbours.add(e.from);
  }
  const v = await drawn(page);
  assert.equal(v.nodes.map((n) => n.id).sort(), [...neighbours].sort(), 'only the node and its neighbours');
  assert.equal(v.nodes.filter((n) => n.sel).map((n) => n.id), [target]);
  assert.is(v.groups.length, 0, 'namespaces hidden');
  assert.ok(v.back, 'a way back is offered');
  assert.ok(v.nodes.every((n) => inside(n.rect, v.stage) && n.rect.height >= 30), 'all of it in view, readable');
  const edges = await page.$$eval('#viewport .edge', (els) => els.map((e) => e.getAttribute('data-edge')));
  assert.equal(edges.sort(), graph.edges.filter((e) => e.from === target || e.to === target).map((e) => e.id).sort());
  const panel = (await page.textContent('#panel'))!;
  assert.match(panel, 'ns-23/svc-123');
  assert.match(panel, /Reached by \(\d+\)/);
  await page.screenshot({ path: join(ARTIFACTS, 'graph-large-focus.png') });

  // A click on a neighbour moves the focus to it; Esc goes back to the namespaces.
  const runsAs = graph.edges.find((e) => e.from === target && e.kind === 'serves')!.to;
  await page.click(`[data-id="${runsAs}"]`);
  const moved = await drawn(page);
  assert.equal(moved.nodes.filter((n) => n.sel).map((n) => n.id), [runsAs]);
  assert.ok(moved.nodes.some((n) => n.id === target));
  await page.keyboard.press('Escape');
  const back = await drawn(page);
  assert.is(back.nodes.length, 0);
  assert.is(back.groups.length, 50);

  // A name nothing matches says so.
  await page.fill('#search', 'no-such-service');
  assert.match((await page.textContent('#results'))!, 'no service or identity matches');
  assert.equal(watch.requests, []);
  assert.equal(watch.problems, []);
  await page.close();
});

test('large mesh: the page is byte-identical run to run', () => {
  const again = join(dir, 'again.html');
  assert.is(runCli(['graph', '--format', 'html', '-o', again, join(dir, 'mesh')]).code, 0);
  assert.ok(readFileSync(again).equals(readFileSync(file)), 'same input, same bytes');
});

test.run();
