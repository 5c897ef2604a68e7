/**
 * `meshc diff --proxies`: the compiled configuration of every proxy node compared between two trees, as
 * `meshc compile` builds it. A change the reachability pairs cannot show (an UpstreamTrafficSetting) must show
 * here, on the proxies it reaches and no others; a tree compile refuses is said, not compared.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import type { TreeDiff } from '../src/diff/types.ts';

const BOOKSTORE = 'fixtures/bookstore';
const BUYER = 'bookbuyer/deployment/bookbuyer';
const dirs: string[] = [];

/** A copy of the bookstore with `edit` applied to `file` (created when missing). */
function variant(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-diff-proxies-'));
  dirs.push(dir);
  cpSync(BOOKSTORE, dir, { recursive: true });
  const path = join(dir, file);
  let before = '';
  try {
    before = readFileSync(path, 'utf8');
  } catch {
    before = '';
  }
  writeFileSync(path, edit(before));
  return dir;
}

const LIMITS = `apiVersion: policy.openservicemesh.io/v1alpha1
kind: UpstreamTrafficSetting
metadata:
  name: bookstore-v1-limits
  namespace: bookstore
spec:
  host: bookstore-v1.bookstore.svc.cluster.local
  connectionSettings:
    tcp:
      maxConnections: 50
`;

function diffJson(base: string, head: string, ...args: string[]): TreeDiff {
  const r = runCli(['diff', '--format', 'json', '--proxies', ...args, base, head]);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as TreeDiff;
}

test('a connection limit changes no reachability pair, but the clusters of the one proxy that calls the Service', () => {
  const head = variant('policy/limits.yaml', () => LIMITS);
  const d = diffJson(BOOKSTORE, head);
  assert.equal([d.gained, d.lost, d.splits], [[], [], []]);
  assert.equal(d.proxies, {
    target: 'envoy', nodes: { base: 6, head: 6 },
    changed: [{ node: BUYER, change: 'changed', resources: [{ kind: 'clusters', added: [], removed: [], changed: ['bookstore/bookstore-v1|14001'] }] }],
  });
  // Without --proxies the diff is what it was: no proxies key.
  const plain = runCli(['diff', '--format', 'json', BOOKSTORE, head]);
  assert.not.ok('proxies' in JSON.parse(plain.stdout));
});

test('a split weight: the caller\'s route; the same tree twice: no proxy changes', () => {
  const head = variant('policy/split.yaml', (t) => t.replace('weight: 90', 'weight: 50').replace('weight: 10', 'weight: 50'));
  const d = diffJson(BOOKSTORE, head);
  assert.equal(d.proxies!.changed, [{ node: BUYER, change: 'changed', resources: [{ kind: 'routes', added: [], removed: [], changed: ['rds-outbound.14001'] }] }]);
  assert.equal(diffJson(BOOKSTORE, BOOKSTORE).proxies, { target: 'envoy', nodes: { base: 6, head: 6 }, changed: [] });
});

test('a removed workload is a removed node with what it had; text, markdown and github say it', () => {
  const head = variant('apps/bookthief.yaml', (t) => t.split('\n---\n').filter((doc) => !/kind: Deployment/.test(doc)).join('\n---\n'));
  const d = diffJson(BOOKSTORE, head);
  const removed = d.proxies!.changed.find((c) => c.node === 'bookthief/deployment/bookthief');
  assert.ok(removed, JSON.stringify(d.proxies));
  assert.is(removed!.change, 'removed');
  assert.ok(removed!.resources.some((r) => r.kind === 'listeners' && r.removed.length > 0 && r.added.length === 0));
  assert.equal(d.proxies!.nodes, { base: 6, head: 5 });

  const text = runCli(['diff', '--proxies', BOOKSTORE, head]);
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, /^proxies \(envoy\): \d+ of 6 node\(s\) change \(6 in base, 5 in head\):$/m);
  assert.match(text.stdout, /^ {2}- bookthief\/deployment\/bookthief \(removed node\): listeners -\d+/m);
  assert.match(text.stderr, /, 1 proxy changed$/m);
  const md = runCli(['diff', '--proxies', '--format', 'markdown', BOOKSTORE, head]);
  assert.match(md.stdout, /\| `bookthief\/deployment\/bookthief` \| removed \| -\d+ \|/);
  const gh = runCli(['diff', '--proxies', '--format', 'github', BOOKSTORE, head]);
  assert.match(gh.stdout, /^::notice title=meshc diff%3A proxies::proxies \(envoy\): .*bookthief\/deployment\/bookthief \(removed\)/m);
});

test('a tree compile refuses is not compared, and the reason is said; the reachability diff still runs', () => {
  const head = variant('policy/split.yaml', (t) => t.replace('weight: 90', 'weight: -5'));
  const d = diffJson(BOOKSTORE, head);
  assert.is(d.proxies!.nodes, null);
  assert.equal(d.proxies!.changed, []);
  assert.match(d.proxies!.skipped!, /^head: compile refuses it: \d+ error\(s\), first MESH\d{4}$/);
  assert.ok(d.findings.new.length > 0);
  const text = runCli(['diff', '--proxies', BOOKSTORE, head]);
  assert.match(text.stdout, /^proxies \(envoy\): not compared \(head: compile refuses it: /m);
});

test('--fail-on proxies: exit 1 when a proxy changes or the proxies cannot be compared, 0 when none changes; it needs --proxies', () => {
  const limits = variant('policy/limits.yaml', () => LIMITS);
  const gate = (head: string) => runCli(['diff', '--proxies', '--fail-on', 'proxies', BOOKSTORE, head]);
  const changed = gate(limits);
  assert.is(changed.code, 1, changed.stderr);
  assert.match(changed.stdout, /^proxies \(envoy\): 1 of 6 node\(s\) change/m);
  // No reachability change: the other gates pass the same change.
  for (const other of ['gained', 'lost', 'any']) assert.is(runCli(['diff', '--proxies', '--fail-on', other, BOOKSTORE, limits]).code, 0, other);
  assert.is(gate(BOOKSTORE).code, 0);
  const refused = gate(variant('policy/split.yaml', (t) => t.replace('weight: 90', 'weight: -5')));
  assert.is(refused.code, 1);
  assert.match(refused.stdout, /not compared \(head: compile refuses it/);
  const without = runCli(['diff', '--fail-on', 'proxies', BOOKSTORE, limits]);
  assert.is(without.code, 2);
  assert.match(without.stderr, /MESH1051.*--fail-on proxies needs --proxies/);
  const unknown = runCli(['diff', '--proxies', '--fail-on', 'nodes', BOOKSTORE, limits]);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /--fail-on must be one of gained, lost, any, proxies/);
});

test('--target grpc compiles for proxyless gRPC clients; --target needs --proxies and a known target', () => {
  assert.is(diffJson(BOOKSTORE, BOOKSTORE, '--target', 'grpc').proxies!.target, 'grpc');
  const without = runCli(['diff', '--target', 'grpc', BOOKSTORE, BOOKSTORE]);
  assert.is(without.code, 2);
  assert.match(without.stderr, /--target needs --proxies/);
  const bad = runCli(['diff', '--proxies', '--target', 'istio', BOOKSTORE, BOOKSTORE]);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--target must be one of envoy, grpc/);
});

/** What two `meshc compile` outputs differ in, per node and kind, from their manifests' resource hashes: as diff --proxies reports it. */
function compiledChanges(base: string, head: string, target: string): unknown[] {
  const KINDS: Record<string, string> = {
    'envoy.config.listener.v3.Listener': 'listeners', 'envoy.config.route.v3.RouteConfiguration': 'routes', 'envoy.config.cluster.v3.Cluster': 'clusters',
    'envoy.config.endpoint.v3.ClusterLoadAssignment': 'endpoints', 'envoy.extensions.transport_sockets.tls.v3.Secret': 'secrets',
  };
  type Manifest = { nodes: { id: string; resources: Record<string, { name: string; hash: string }[]> }[] };
  const nodesOf = (tree: string) => {
    const out = join(mkdtempSync(join(tmpdir(), 'meshc-diff-proxies-out-')), 'out');
    dirs.push(dirname(out));
    const r = runCli(['compile', '--target', target, '--out', out, tree]);
    assert.is(r.code, 0, r.stderr);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    return new Map(m.nodes.map((n) => [n.id, new Map(Object.entries(n.resources).map(([t, rs]) => [KINDS[t.replace('type.googleapis.com/', '')]!, new Map(rs.map((x) => [x.name, x.hash]))]))]));
  };
  const [b, h] = [nodesOf(base), nodesOf(head)];
  const sorted = (xs: string[]) => xs.sort((x, y) => (x < y ? -1 : 1));
  return sorted([...new Set([...b.keys(), ...h.keys()])]).flatMap((node) => {
    const resources = ['listeners', 'routes', 'clusters', 'endpoints', 'secrets'].flatMap((kind) => {
      const before = b.get(node)?.get(kind) ?? new Map<string, string>();
      const after = h.get(node)?.get(kind) ?? new Map<string, string>();
      const added = sorted([...after.keys()].filter((n) => !before.has(n)));
      const removed = sorted([...before.keys()].filter((n) => !after.has(n)));
      const changed = sorted([...after.keys()].filter((n) => before.has(n) && before.get(n) !== after.get(n)));
      return added.length + removed.length + changed.length > 0 ? [{ kind, added, removed, changed }] : [];
    });
    if (resources.length === 0 && b.has(node) && h.has(node)) return [];
    return [{ node, change: !b.has(node) ? 'new' : !h.has(node) ? 'removed' : 'changed', resources }];
  });
}

test('what diff --proxies reports is what two compiles write: per node and resource, for Envoy and gRPC', () => {
  const heads = [
    variant('policy/limits.yaml', () => LIMITS),
    variant('policy/split.yaml', (t) => t.replace('weight: 90', 'weight: 50').replace('weight: 10', 'weight: 50')),
    variant('apps/bookthief.yaml', (t) => t.split('\n---\n').filter((doc) => !/kind: Deployment/.test(doc)).join('\n---\n')),
    variant('policy/access.yaml', (t) => t.replace('      name: bookbuyer\n      namespace: bookbuyer\n---', '      name: bookbuyer\n      namespace: bookbuyer\n    - kind: ServiceAccount\n      name: bookthief\n      namespace: bookthief\n---')),
  ];
  for (const target of ['envoy', 'grpc']) {
    let nodes = 0;
    for (const head of heads) {
      const reported = diffJson(BOOKSTORE, head, '--target', target).proxies!;
      assert.ok(reported.nodes, reported.skipped);
      assert.equal(reported.changed, compiledChanges(BOOKSTORE, head, target), `${target}: ${head}`);
      nodes += reported.changed.length;
    }
    assert.ok(nodes > 0, `${target}: the changes change proxies (${nodes} node changes)`);
  }
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
