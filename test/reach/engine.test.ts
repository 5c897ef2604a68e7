import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MeshIndex } from '../../src/model/index-lookup.ts';
import { computeReachability } from '../../src/reach/index.ts';
import { ReachQuery } from '../../src/reach/query.ts';
import { bookstoreSpec, buildTestMesh, type MeshSpec } from './model.ts';

function reach(spec: MeshSpec, permissive = false) {
  const mesh = buildTestMesh(spec);
  const index = new MeshIndex(mesh);
  const r = computeReachability(mesh, index, { permissive });
  return { r, q: new ReachQuery(r, index) };
}

test('bookstore: outbound per source identity, inbound per destination identity', () => {
  const { r } = reach(bookstoreSpec());
  assert.equal(r.mode, 'smi');
  assert.equal(r.services['bookstore/bookstore'].identities, ['bookstore/bookstore', 'bookstore/bookstore-v2']);
  assert.equal(r.outbound['bookbuyer/bookbuyer'].map((a) => `${a.service}:${a.port}`), ['bookstore/bookstore:14001', 'bookstore/bookstore-v1:14001', 'bookstore/bookstore-v2:14001']);
  assert.equal(r.outbound['bookthief/bookthief'], undefined);
  const root = r.outbound['bookbuyer/bookbuyer'][0];
  assert.equal(root.split?.rules[0]!.allowedWeight, 100);
  assert.equal(root.split?.rules[0]!.backends.map((b) => [b.service, b.allowed]), [['bookstore/bookstore-v1', true], ['bookstore/bookstore-v2', true]]);
  const inbound = r.inbound['bookwarehouse/mysql'];
  assert.equal(inbound.map((p) => [p.service, p.port, p.grants.map((g) => r.grants[g].trafficTarget)]), [['bookwarehouse/mysql', 3306, ['bookwarehouse/mysql']]]);
  const http = r.grants[r.inbound['bookstore/bookstore'][0].grants[0]].http!;
  assert.equal(http.map((m) => m.name), ['books-bought', 'buy-a-book']);
  assert.equal(JSON.parse(JSON.stringify(r)), r, 'plain, serialisable data');
});

test('why: allowed request through an HTTPRouteGroup match, denied source, unknown names with near matches', () => {
  const { q } = reach(bookstoreSpec());
  const ok = q.why({ from: 'bookbuyer/bookbuyer', to: 'bookstore/bookstore-v1', request: { method: 'GET', path: '/books-bought?x=1', headers: { 'User-Agent': 'go-http-client/1.1', 'client-app': 'bookbuyer' } } });
  assert.ok(ok.ok && ok.answer.allowed);
  if (ok.ok) {
    assert.match(ok.answer.reason, /TrafficTarget bookstore\/bookstore allows bookbuyer\/bookbuyer .* match books-bought/);
    assert.equal(ok.answer.via.map((v) => v.kind), ['TrafficTarget', 'TrafficTarget', 'HTTPRouteGroup', 'Service', 'Deployment']);
  }
  const noHeader = q.why({ from: 'bookbuyer/bookbuyer', to: 'bookstore/bookstore-v1', request: { method: 'GET', path: '/books-bought' } });
  assert.ok(noHeader.ok && !noHeader.answer.allowed);
  if (noHeader.ok) assert.match(noHeader.answer.reason, /requires header user-agent/);
  const post = q.why({ from: 'bookbuyer/bookbuyer', to: 'bookstore/bookstore-v1', request: { method: 'POST', path: '/a-book/new' } });
  assert.ok(post.ok && !post.answer.allowed);
  const thief = q.why({ from: 'bookthief/bookthief', to: 'bookstore/bookstore' });
  assert.ok(thief.ok && !thief.answer.allowed);
  if (thief.ok) assert.ok(thief.answer.split && thief.answer.split.every((s) => !s.allowed));
  const unknown = q.why({ from: 'bookbuyer/bookbyer', to: 'bookstore/bookstor' });
  assert.not.ok(unknown.ok);
  if (!unknown.ok) {
    assert.match(unknown.error, /unknown identity 'bookbuyer\/bookbyer'.*did you mean 'bookbuyer\/bookbuyer'/);
    assert.match(unknown.error, /unknown service 'bookstore\/bookstor'.*did you mean 'bookstore\/bookstore'/);
  }
  const badPort = q.why({ from: 'bookbuyer/bookbuyer', to: 'bookstore/bookstore', port: 80 });
  assert.ok(!badPort.ok && /has no port 80; its ports: 14001\/TCP/.test(badPort.error));
});

test('split: a caller allowed on the root but not on a backend is told how much traffic is denied', () => {
  const spec = bookstoreSpec();
  spec.targets = spec.targets!.filter((t) => t.name !== 'bookstore-v2');
  const { r, q } = reach(spec);
  const root = r.outbound['bookbuyer/bookbuyer'].find((a) => a.service === 'bookstore/bookstore')!;
  assert.equal(root.split!.rules[0]!.allowedWeight, 90);
  assert.equal(root.split!.rules[0]!.backends[1].denied, 'no-grant');
  const a = q.why({ from: 'bookbuyer/bookbuyer', to: 'bookstore/bookstore' });
  assert.ok(a.ok);
  if (a.ok) {
    assert.equal(a.answer.allowed, false);
    assert.equal(a.answer.reason, 'bookbuyer/bookbuyer → bookstore/bookstore: 10% of requests go to bookstore/bookstore-v2, whose identity bookstore/bookstore-v2 does not allow bookbuyer/bookbuyer (the other 90% are allowed)');
    assert.equal(a.answer.split!.map((s) => [s.backend, s.weight, s.allowed]), [['bookstore/bookstore-v1', 90, true], ['bookstore/bookstore-v2', 10, false]]);
  }
});

test('a qualified split root (name.namespace.svc.domain) resolves to the Service in the split namespace', () => {
  const spec = bookstoreSpec();
  spec.splits![0]!.service = 'bookstore.bookstore.svc.cluster.local';
  const { r, q } = reach(spec);
  assert.equal(Object.keys(r.splits), ['bookstore/bookstore']);
  const a = q.why({ from: 'bookbuyer/bookbuyer', to: 'bookstore/bookstore' });
  assert.ok(a.ok && a.answer.split?.length === 2);
});

test('a split with matches splits only matching requests; the others go to the root Service itself', () => {
  const spec = bookstoreSpec();
  spec.groups!.push({ ns: 'bookstore', name: 'canary', matches: [{ name: 'beta', headers: [{ name: 'x-beta', value: 'yes' }] }] });
  spec.splits![0]!.matches = ['canary'];
  spec.splits![0]!.backends = [['bookstore-v2', 100]];
  spec.targets = spec.targets!.filter((t) => t.name !== 'bookstore-v2');
  const { q } = reach(spec);
  const beta = q.why({ from: 'bookbuyer/bookbuyer', to: 'bookstore/bookstore', request: { method: 'GET', path: '/buy-a-book/new', headers: { 'x-beta': 'yes' } } });
  assert.ok(beta.ok && !beta.answer.allowed && beta.answer.split?.[0]?.backend === 'bookstore/bookstore-v2', 'matching requests are split (to v2, which denies)');
  // The root's pods run as bookstore/bookstore (admits the caller) and bookstore/bookstore-v2 (no longer does), and
  // nothing tells their endpoints apart: compile's cluster holds both, so part of the traffic is refused (MESH0630).
  const plain = q.why({ from: 'bookbuyer/bookbuyer', to: 'bookstore/bookstore', request: { method: 'GET', path: '/buy-a-book/new' } });
  assert.ok(plain.ok && !plain.answer.allowed && plain.answer.split === undefined, 'other requests reach the root pods, some of which refuse them');
  if (plain.ok) {
    assert.equal(plain.answer.denial, 'pods-deny-caller');
    assert.match(plain.answer.reason, 'part of this traffic reaches pods running as bookstore/bookstore-v2, which do not admit bookbuyer/bookbuyer (MESH0630)');
    assert.equal(plain.answer.delivery?.code, 'MESH0630');
  }
});

test('a Service whose pods run as several identities: with endpoints told apart by pod, only the admitting pods receive the traffic', () => {
  const spec = bookstoreSpec();
  spec.splits = [];
  spec.targets = spec.targets!.filter((t) => t.name !== 'bookstore-v2');
  const mesh = buildTestMesh(spec);
  mesh.endpoints.push({
    meta: { apiVersion: 'v1', kind: 'Endpoints', namespace: 'bookstore', name: 'bookstore', labels: {}, annotations: {}, origin: { doc: 999, path: [] } },
    serviceName: 'bookstore',
    addresses: [
      { ip: '10.0.0.1', ready: true, podName: 'bookstore-v1-5d8f7c9b4-abcde' },
      { ip: '10.0.0.2', ready: true, podName: 'bookstore-v2-6c7d8e9f5-fghij' },
    ],
    ports: [{ port: 14001, protocol: 'TCP' }],
  });
  const index = new MeshIndex(mesh);
  const q = new ReachQuery(computeReachability(mesh, index, { permissive: false }), index);
  const a = q.why({ from: 'bookbuyer/bookbuyer', to: 'bookstore/bookstore', request: { method: 'GET', path: '/buy-a-book/new' } });
  assert.ok(a.ok && a.answer.allowed, 'allowed');
  if (a.ok) {
    assert.match(a.answer.reason, 'only the pods running as bookstore/bookstore receive this traffic (its cluster holds only their endpoints; the pods running as bookstore/bookstore-v2 do not admit bookbuyer/bookbuyer)');
    assert.equal(a.answer.delivery, undefined);
  }
  assert.equal(q.delivery.servedBy('bookstore/bookstore', 14001, q.reach.outbound['bookbuyer/bookbuyer'][0].grants), { identities: ['bookstore/bookstore'], leftOut: ['bookstore/bookstore-v2'], denying: [] });
  // An address whose pod cannot be told (no targetRef): the endpoints are not known by identity.
  mesh.endpoints[0].addresses.push({ ip: '10.0.0.3', ready: true });
  const index2 = new MeshIndex(mesh);
  const q2 = new ReachQuery(computeReachability(mesh, index2, { permissive: false }), index2);
  const b = q2.why({ from: 'bookbuyer/bookbuyer', to: 'bookstore/bookstore' });
  assert.ok(b.ok && !b.answer.allowed && b.answer.denial === 'pods-deny-caller');
});

test('rule semantics: HTTP-only grant covers every TCP port, TCPRoute ports (by port or targetPort), [] = all, UDPRoute only UDP, omitted matches = all', () => {
  const { r, q } = reach({
    services: [{ ns: 'a', name: 'db', ports: [5432, { port: 9000, targetPort: 'metrics', name: 'm' }, { port: 53, protocol: 'UDP' }, 8080] }],
    workloads: [{ ns: 'a', name: 'db', labels: { app: 'db' }, ports: [{ name: 'metrics', port: 9100 }] }, { ns: 'a', name: 'c', labels: {} }],
    groups: [{ ns: 'a', name: 'g', matches: [{ name: 'x', pathRegex: '/x' }, { name: 'y', pathRegex: '/y' }] }],
    tcp: [{ ns: 'a', name: 'pg', ports: [5432, 9100] }],
    udp: [{ ns: 'a', name: 'dns', ports: [] }],
    targets: [{ ns: 'a', name: 't', dest: 'db', sources: ['c'], rules: [{ kind: 'TCPRoute', name: 'pg' }, { kind: 'UDPRoute', name: 'dns' }, { kind: 'HTTPRouteGroup', name: 'g' }] }],
  });
  const ports = r.outbound['a/c'].map((p) => [p.port, p.grants.map((g) => r.grants[g].protocol)]);
  assert.equal(ports, [[53, ['udp']], [5432, ['tcp', 'http']], [8080, ['http']], [9000, ['tcp', 'http']]]);
  assert.equal(r.services['a/db'].ports[1].targetPort, 9100);
  assert.equal(r.grants[2].http!.map((m) => m.name), ['x', 'y']);
  const y = q.why({ from: 'a/c', to: 'a/db', port: 8080, request: { path: '/y/z' } });
  assert.ok(y.ok && y.answer.allowed);
  const z = q.why({ from: 'a/c', to: 'a/db', port: 8080, request: { path: '/z' } });
  assert.ok(z.ok && !z.answer.allowed);
});

test('permissive mode: nothing enumerated, every identity allowed, split still applies', () => {
  const { r, q } = reach(bookstoreSpec(), true);
  assert.equal(r.grants, []);
  assert.equal(r.outbound, {});
  const a = q.why({ from: 'bookthief/bookthief', to: 'bookstore/bookstore' });
  assert.ok(a.ok && a.answer.allowed && a.answer.split?.length === 2);
});

test('split cycles of any length and self-reference terminate; backends are not re-split', () => {
  for (const n of [1, 2, 3, 7]) {
    const names = Array.from({ length: n }, (_, i) => `s${i}`);
    const { r, q } = reach({
      services: names.map((name) => ({ ns: 'c', name })),
      workloads: [...names.map((name) => ({ ns: 'c', name, labels: { app: name } })), { ns: 'c', name: 'client', labels: {} }],
      tcp: [{ ns: 'c', name: 'all', ports: [] }],
      targets: names.map((name) => ({ ns: 'c', name, dest: name, sources: ['client'], rules: [{ kind: 'TCPRoute', name: 'all' }] })),
      splits: names.map((name, i) => ({ ns: 'c', name, service: name, backends: [[names[(i + 1) % n], 1]] as [string, number][] })),
    });
    assert.equal(Object.keys(r.splits).length, n);
    const a = q.why({ from: 'c/client', to: 'c/s0' });
    assert.ok(a.ok && a.answer.allowed, `cycle of ${n}`);
  }
});

test('a split with 10,000 backends', () => {
  const n = 10_000;
  const services = [{ ns: 'x', name: 'root', selector: { app: 'root' } }, ...Array.from({ length: n }, (_, i) => ({ ns: 'x', name: `b${i}` }))];
  const workloads = [{ ns: 'x', name: 'client', labels: {} }, ...Array.from({ length: n }, (_, i) => ({ ns: 'x', name: `b${i}`, labels: { app: `b${i}` } }))];
  const targets = Array.from({ length: n }, (_, i) => ({ ns: 'x', name: `t${i}`, dest: `b${i}`, sources: i % 2 ? ['client'] : [], rules: [{ kind: 'TCPRoute', name: 'all' }] }));
  const { r, q } = reach({
    services, workloads, targets, tcp: [{ ns: 'x', name: 'all', ports: [] }],
    splits: [{ ns: 'x', name: 'big', service: 'root', backends: Array.from({ length: n }, (_, i) => [`b${i}`, 1] as [string, number]) }],
  });
  const root = r.outbound['x/client'].find((a) => a.service === 'x/root')!;
  assert.equal(root.split!.rules[0]!.totalWeight, n);
  assert.equal(root.split!.rules[0]!.allowedWeight, n / 2);
  const a = q.why({ from: 'x/client', to: 'x/root' });
  assert.ok(a.ok && !a.answer.allowed && a.answer.split!.length === n);
});

test('regexes that backtrack catastrophically in JS answer at once under RE2', () => {
  const { q } = reach({
    services: [{ ns: 'r', name: 'api' }],
    workloads: [{ ns: 'r', name: 'api', labels: { app: 'api' } }, { ns: 'r', name: 'c', labels: {} }],
    groups: [{ ns: 'r', name: 'g', matches: [{ name: 'evil', pathRegex: '/(a+)+$', headers: [{ name: 'x', value: '(x+x+)+y' }] }] }],
    targets: [{ ns: 'r', name: 't', dest: 'api', sources: ['c'], rules: [{ kind: 'HTTPRouteGroup', name: 'g' }] }],
  });
  const a = q.why({ from: 'r/c', to: 'r/api', request: { path: `/${'a'.repeat(50_000)}!`, headers: { x: `${'x'.repeat(50_000)}` } } });
  assert.ok(a.ok && !a.answer.allowed);
  const b = q.why({ from: 'r/c', to: 'r/api', request: { path: `/${'a'.repeat(5000)}`, headers: { x: 'xxy' } } });
  assert.ok(b.ok && b.answer.allowed);
});

test('label selectors with unusual but legal labels', () => {
  const labels = { 'app.kubernetes.io/name': 'x', 'example.com/empty': '', 'a_b-c.d': 'Z-9_z.1', 'k': 'v' };
  const { r } = reach({
    services: [{ ns: 'l', name: 'svc', selector: labels }, { ns: 'l', name: 'nosel', selector: null }, { ns: 'l', name: 'empty', selector: {} }],
    workloads: [{ ns: 'l', name: 'w', labels, sa: null }, { ns: 'l', name: 'other', labels: { ...labels, 'example.com/empty': 'x' } }],
  });
  assert.equal(r.services['l/svc'].identities, ['l/default']);
  assert.equal(r.services['l/svc'].workloads, ['l/Deployment/w']);
  assert.equal(r.services['l/nosel'].identities, []);
  assert.equal(r.services['l/empty'].identities, []);
});

test('grants name their route as a structured reference; a denial says its kind as data, not only in words', () => {
  const { r, q } = reach(bookstoreSpec());
  const mysql = r.grants.find((g) => g.trafficTarget === 'bookwarehouse/mysql')!;
  assert.equal(mysql.route, { kind: 'TCPRoute', namespace: 'bookwarehouse', name: 'mysql' });
  const kindOf = (from: string, to: string, request?: { method: string; path: string }) => {
    const a = q.why({ from, to, request });
    assert.ok(a.ok);
    return a.ok ? [a.answer.denial, a.answer.split?.map((s) => s.denial ?? null)] : [];
  };
  // A request the caller's routes do not admit, on the split backends themselves.
  assert.equal(kindOf('bookbuyer/bookbuyer', 'bookstore/bookstore-v1', { method: 'POST', path: '/a-book/new' }), ['request-not-admitted', undefined]);
  // Nobody lists bookthief: on the root, both backends deny it.
  assert.equal(kindOf('bookthief/bookthief', 'bookstore/bookstore'), ['split-backend-denies', ['not-a-source', 'not-a-source']]);
  assert.equal(kindOf('bookbuyer/bookbuyer', 'bookstore/bookstore'), [undefined, [null, null]]);
});

test('a denied split backend whose identity contains the word "route" is not said to deny "this request" (the wording came from the reason text)', () => {
  const spec = bookstoreSpec();
  // bookstore-v2 runs as the ServiceAccount 'router', which no TrafficTarget names.
  spec.workloads = spec.workloads!.map((w) => (w.name === 'bookstore-v2' ? { ...w, sa: 'router' } : w));
  const { q } = reach(spec);
  const a = q.why({ from: 'bookbuyer/bookbuyer', to: 'bookstore/bookstore' });
  assert.ok(a.ok);
  if (a.ok) {
    assert.equal(a.answer.split![1]!.denial, 'not-a-source');
    assert.equal(a.answer.reason, 'bookbuyer/bookbuyer → bookstore/bookstore: 10% of requests go to bookstore/bookstore-v2, whose identity bookstore/router does not allow bookbuyer/bookbuyer (the other 90% are allowed)');
  }
});

test.run();
