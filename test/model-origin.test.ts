/** Canonical paths locate the exact source field whatever the source version and layout. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Origin, Path } from '../src/core/types.ts';
import { modelOf, type Modelled } from './helpers/model.ts';

const pos = (m: Modelled, origin: Origin, path: Path, key = false) => {
  const r = m.sources.locate(origin, path, { key });
  return `${r.line}:${r.column}`;
};

const V1ALPHA1 = `apiVersion: access.smi-spec.io/v1alpha1
kind: TrafficTarget
metadata:
  name: path-specific
  namespace: default
destination:
  kind: ServiceAccount
  name: service-a
  namespace: default
  port: 8080
specs:
- kind: HTTPRouteGroup
  name: the-routes
  matches:
  - metrics
sources:
- kind: ServiceAccount
  name: prometheus
`;

test('v1alpha1 TrafficTarget: canonical spec.rules/destination/sources hit the flat fields', () => {
  const m = modelOf(V1ALPHA1);
  assert.equal(m.diagnostics, []);
  const tt = m.mesh.trafficTargets[0]!;
  assert.is(pos(m, tt.meta.origin, ['spec', 'rules', 0, 'name']), '13:9');
  assert.is(pos(m, tt.meta.origin, ['spec', 'rules', 0, 'matches', 0]), '15:5');
  assert.is(pos(m, tt.meta.origin, ['spec', 'destination', 'name']), '8:9');
  assert.is(pos(m, tt.meta.origin, ['spec', 'sources', 0, 'name'], true), '18:3');
  assert.is(pos(m, tt.meta.origin, ['spec', 'sources', 0, 'namespace']), '17:3', 'an omitted namespace falls back to its subject');
  assert.is(pos(m, tt.meta.origin, ['metadata', 'name']), '4:9');
});

test('destination.port becomes a synthesised TCPRoute whose positions are the port field', () => {
  const m = modelOf(V1ALPHA1);
  const tt = m.mesh.trafficTargets[0]!;
  const route = m.mesh.tcpRoutes[0]!;
  assert.equal(tt.rules.at(-1), { kind: 'TCPRoute', name: route.meta.name });
  assert.is(pos(m, tt.meta.origin, ['spec', 'rules', 1]), '10:9');
  assert.is(pos(m, tt.meta.origin, ['spec', 'rules', 1, 'name']), '10:9');
  assert.is(pos(m, route.meta.origin, []), '10:9');
  assert.is(pos(m, route.meta.origin, ['spec', 'matches', 'ports', 0]), '10:9');
  assert.is(pos(m, route.meta.origin, ['metadata', 'name']), '10:9');

  const v2 = modelOf(`apiVersion: access.smi-spec.io/v1alpha2
kind: TrafficTarget
metadata: {name: t}
spec:
  destination: {kind: ServiceAccount, name: a, port: 9090}
  rules: [{kind: HTTPRouteGroup, name: g}]
`);
  const t2 = v2.mesh.trafficTargets[0]!;
  assert.is(pos(v2, t2.meta.origin, ['spec', 'rules', 1, 'name']), '5:54');
  assert.is(pos(v2, t2.meta.origin, ['spec', 'rules', 0, 'name']), '6:40');
});

test('v1alpha2 flat HTTPRouteGroup, list-form and mixed-case headers', () => {
  const m = modelOf(`apiVersion: specs.smi-spec.io/v1alpha2
kind: HTTPRouteGroup
metadata: {name: g}
matches:
- name: first
  headers:
  - "user-agent": ".*Android.*"
  - "Cookie": "^(?:.*; )?insiders=yes(?:;.*)?$"
- name: second
  headers:
    X-Debug: "1"
    accept: json
`);
  assert.equal(m.diagnostics, []);
  const g = m.mesh.httpRouteGroups[0]!;
  assert.equal(g.matches.map((x) => x.headers.map((h) => h.name)), [['user-agent', 'cookie'], ['x-debug', 'accept']]);
  assert.is(pos(m, g.meta.origin, ['spec', 'matches', 0, 'name']), '5:9');
  assert.is(pos(m, g.meta.origin, ['spec', 'matches', 1]), '9:3');
  assert.is(pos(m, g.meta.origin, ['spec', 'matches', 0, 'headers', 'user-agent']), '7:19');
  assert.is(pos(m, g.meta.origin, ['spec', 'matches', 0, 'headers', 'cookie']), '8:15');
  assert.is(pos(m, g.meta.origin, ['spec', 'matches', 0, 'headers', 'cookie'], true), '8:5');
  assert.is(pos(m, g.meta.origin, ['spec', 'matches', 1, 'headers', 'x-debug'], true), '11:5');
  assert.is(pos(m, g.meta.origin, ['spec', 'matches', 1, 'headers', 'accept']), '12:13');
});

test('TrafficSplit weights, List members and Endpoints subsets', () => {
  const m = modelOf(`apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: svc}
- apiVersion: split.smi-spec.io/v1alpha1
  kind: TrafficSplit
  metadata: {name: s}
  spec:
    service: root
    backends:
    - service: a
      weight: 1
    - service: b
      weight: 500m
- apiVersion: v1
  kind: Endpoints
  metadata: {name: svc}
  subsets:
  - addresses: [{ip: 10.0.0.1}]
    notReadyAddresses: [{ip: 10.0.0.2}]
    ports: [{port: 80}]
`);
  assert.equal(m.diagnostics, []);
  const split = m.mesh.trafficSplits[0]!;
  assert.equal(split.meta.origin, { doc: 0, path: ['items', 1] });
  assert.equal(m.mesh.services[0]!.meta.origin, { doc: 0, path: ['items', 0] });
  assert.is(pos(m, split.meta.origin, ['spec', 'backends', 1, 'weight']), '16:15');
  assert.is(pos(m, split.meta.origin, ['metadata', 'name']), '9:20');
  const ep = m.mesh.endpoints[0]!;
  assert.is(pos(m, ep.meta.origin, ['addresses', 0, 'ip']), '21:22');
  assert.is(pos(m, ep.meta.origin, ['addresses', 1, 'ip']), '22:30');
  assert.is(pos(m, ep.meta.origin, ['ports', 0, 'port']), '23:20');
});

test('EndpointSlice addresses', () => {
  const m = modelOf(`apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc12
  labels: {kubernetes.io/service-name: web}
addressType: IPv4
endpoints:
- addresses: [10.0.0.1]
- addresses: [10.0.0.2, 10.0.0.3]
ports: [{port: 8080}]
`);
  const ep = m.mesh.endpoints[0]!;
  assert.is(pos(m, ep.meta.origin, ['addresses', 2]), '9:25');
});

test.run();
