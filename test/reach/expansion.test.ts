/**
 * The grant expansion of reach/compute.ts: one outbound and one inbound entry per (service, port number), lists
 * sorted by service key then port whatever order the input lists them in, grant ids in grant order, ports of one
 * number (TCP and UDP 53) merged into one entry.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MeshIndex } from '../../src/model/index-lookup.ts';
import { computeReachability } from '../../src/reach/index.ts';
import { buildTestMesh, type MeshSpec } from './model.ts';

const spec = (): MeshSpec => ({
  services: [
    // Declared before a/api, ports out of order, 53 twice (UDP first, then TCP).
    { ns: 'a', name: 'dns', ports: [9000, { port: 53, protocol: 'UDP' }, { port: 53, name: 'tcp-dns' }, 80] },
    { ns: 'a', name: 'api', selector: { app: 'dns' }, ports: [8080] },
  ],
  workloads: [{ ns: 'a', name: 'dns', labels: { app: 'dns' } }, { ns: 'a', name: 'c', labels: {} }, { ns: 'a', name: 'd', labels: {} }],
  groups: [{ ns: 'a', name: 'g', matches: [{ name: 'x', pathRegex: '/x', methods: ['GET'] }, { name: 'y', pathRegex: '/y' }] }],
  tcp: [{ ns: 'a', name: 'all', ports: [] }],
  udp: [{ ns: 'a', name: 'u', ports: [] }],
  targets: [
    { ns: 'a', name: 't-udp', dest: 'dns', sources: ['c'], rules: [{ kind: 'UDPRoute', name: 'u' }] },
    { ns: 'a', name: 't-tcp', dest: 'dns', sources: ['c', 'd', 'c'], rules: [{ kind: 'TCPRoute', name: 'all' }] },
    { ns: 'a', name: 't-http-1', dest: 'dns', sources: ['d'], rules: [{ kind: 'HTTPRouteGroup', name: 'g' }] },
    { ns: 'a', name: 't-http-2', dest: 'dns', sources: ['d'], rules: [{ kind: 'HTTPRouteGroup', name: 'g', matches: ['y'] }] },
  ],
});

test('one entry per (service, port number), sorted by service then port, grants in grant order', () => {
  const mesh = buildTestMesh(spec());
  const r = computeReachability(mesh, new MeshIndex(mesh), { permissive: false });
  const out = (id: string) => r.outbound[id]!.map((pa) => [pa.service, pa.port, pa.grants]);
  assert.equal(out('a/c'), [['a/api', 8080, [1]], ['a/dns', 53, [0, 1]], ['a/dns', 80, [1]], ['a/dns', 9000, [1]]]);
  // tcp-dns is plain TCP: HTTP grants (2, 3) cover the HTTP ports only.
  assert.equal(out('a/d'), [['a/api', 8080, [1, 2, 3]], ['a/dns', 53, [1]], ['a/dns', 80, [1, 2, 3]], ['a/dns', 9000, [1, 2, 3]]]);
  // Inbound: the first port of the number that a grant covers gives targetPort and protocol (UDP 53 here).
  assert.equal(r.inbound['a/dns']!.map((ip) => [ip.service, ip.port, ip.protocol, ip.grants]), [
    ['a/api', 8080, 'TCP', [1, 2, 3]], ['a/dns', 53, 'UDP', [0, 1]], ['a/dns', 80, 'TCP', [1, 2, 3]], ['a/dns', 9000, 'TCP', [1, 2, 3]],
  ]);
  assert.equal(Object.keys(r.services), ['a/api', 'a/dns']);
  assert.equal(r.servicesByIdentity, { 'a/dns': ['a/api', 'a/dns'] });
});

test('grants naming one HTTPRouteGroup admit its matches as written, each grant its own list', () => {
  const mesh = buildTestMesh(spec());
  const r = computeReachability(mesh, new MeshIndex(mesh), { permissive: false });
  assert.equal(r.grants[2]!.http, [
    { group: 'a/g', index: 0, name: 'x', headers: [], pathRegex: '/x', methods: ['GET'] },
    { group: 'a/g', index: 1, name: 'y', headers: [], pathRegex: '/y' },
  ]);
  assert.equal(r.grants[3]!.http, [{ group: 'a/g', index: 1, name: 'y', headers: [], pathRegex: '/y' }]);
  assert.is.not(r.grants[2]!.http, r.grants[3]!.http);
  // Field order of a grant (JSON output): id … route, then protocol, ports, http.
  assert.equal(Object.keys(r.grants[2]!), ['id', 'trafficTarget', 'rule', 'destination', 'sources', 'route', 'protocol', 'ports', 'http']);
  assert.equal(JSON.parse(JSON.stringify(r)), r, 'plain, serialisable data');
});

test('the same model gives the same reachability, byte for byte, computed again', () => {
  const mesh = buildTestMesh(spec());
  const a = JSON.stringify(computeReachability(mesh, new MeshIndex(mesh), { permissive: false }));
  const b = JSON.stringify(computeReachability(mesh, new MeshIndex(mesh), { permissive: false }));
  assert.is(a, b);
});

test.run();
