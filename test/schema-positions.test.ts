/** Schema findings point at the exact field (line and column) in every layout. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { modelOf } from './helpers/model.ts';

const at = (text: string) => modelOf(text).diagnostics.map((d) => `${d.code} ${d.range!.line}:${d.range!.column} ${d.message}`);

test('v1alpha1 flat TrafficTarget', () => {
  assert.equal(at(`apiVersion: access.smi-spec.io/v1alpha1
kind: TrafficTarget
metadata:
  name: t
destination:
  kind: ServiceAccount
  name: api
  port: "8080"
specs:
- kind: HTTPRouteGroup
  name: routes
  matches: [metrics]
  colour: red
sources:
- kind: ServiceAccount
  namespace: web
`), [
    'MESH0111 8:9 destination.port must be an integer, not a string ("8080"); meshc converts nothing, write the number without quotes',
    'MESH0109 13:3 unknown field `colour` in specs[0]: TrafficTarget access.smi-spec.io/v1alpha1 has no such field, an API server would silently drop it',
    'MESH0110 15:3 missing required field `name` in sources[0] (TrafficTarget access.smi-spec.io/v1alpha1)',
  ]);
});

test('a v1alpha1 TrafficTarget written in the v1alpha2 layout, and the other way round', () => {
  assert.equal(at(`apiVersion: access.smi-spec.io/v1alpha1
kind: TrafficTarget
metadata: {name: t}
spec:
  destination: {kind: ServiceAccount, name: api}
`), [
    'MESH0131 4:1 `spec` is the layout of access.smi-spec.io/v1alpha2 and later: TrafficTarget access.smi-spec.io/v1alpha1 keeps `destination`, `specs` and `sources` at the top level; change apiVersion to access.smi-spec.io/v1alpha3 (ports then move to a TCPRoute) or move the fields up',
  ]);
  assert.equal(at(`apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: t}
destination: {kind: ServiceAccount, name: api}
specs: [{kind: TCPRoute, name: all}]
sources: [{kind: ServiceAccount, name: web}]
`), [
    'MESH0130 4:1 TrafficTarget access.smi-spec.io/v1alpha3 has `destination`, `specs`, `sources` at the top level, the access.smi-spec.io/v1alpha1 layout: since v1alpha2 they belong under `spec` (`specs` is called `rules` there), and an API server would silently drop them',
  ]);
});

test('v1alpha2 flat HTTPRouteGroup', () => {
  assert.equal(at(`apiVersion: specs.smi-spec.io/v1alpha2
kind: HTTPRouteGroup
metadata:
  name: g
matches:
- name: m
  methods: [get]
  headers:
    user-agent: 7
  pathRgx: x
- pathRegex: /x
`), [
    'MESH0109 10:3 unknown field `pathRgx` in matches[0]: HTTPRouteGroup specs.smi-spec.io/v1alpha2 has no such field, an API server would silently drop it; did you mean `pathRegex`?',
    'MESH0112 7:13 matches[0].methods[0] is "get": expected *, GET, HEAD, PUT, POST, DELETE, CONNECT, OPTIONS, TRACE or PATCH; did you mean GET?',
    'MESH0111 9:17 matches[0].headers.user-agent must be a string, not an integer (7); header values are regular expressions, quote it: "7"',
    'MESH0110 11:3 missing required field `name` in matches[1] (HTTPRouteGroup specs.smi-spec.io/v1alpha2)',
  ]);
});

test('v1alpha1 HTTPRouteGroup has no headers; spec.matches under v1alpha2 is a layout mismatch', () => {
  assert.equal(at(`apiVersion: specs.smi-spec.io/v1alpha1
kind: HTTPRouteGroup
metadata: {name: g}
matches:
- name: m
  headers: {user-agent: x}
`), ['MESH0109 6:3 unknown field `headers` in matches[0]: HTTPRouteGroup specs.smi-spec.io/v1alpha1 has no such field, an API server would silently drop it; header matches arrived in specs.smi-spec.io/v1alpha2']);
  const mismatch = at(`apiVersion: specs.smi-spec.io/v1alpha2
kind: HTTPRouteGroup
metadata: {name: g}
spec:
  matches: [{name: m}]
`);
  assert.equal(mismatch.length, 1);
  assert.match(mismatch[0]!, /^MESH0132 4:1 `spec.matches` is the layout of specs.smi-spec.io\/v1alpha3 and later/);
});

test('top-level matches under specs v1alpha3+ (the conformance suite mistake)', () => {
  assert.equal(at(`apiVersion: specs.smi-spec.io/v1alpha3
kind: HTTPRouteGroup
metadata: {name: g}
matches:
- name: m
`), [
    'MESH0108 4:1 top-level `matches` is the specs.smi-spec.io/v1alpha1/v1alpha2 layout: in HTTPRouteGroup specs.smi-spec.io/v1alpha3 it belongs under `spec.matches`; an API server would silently drop it and leave the group without routes',
  ]);
});

test('list-form headers: items with several keys, wrong value types, duplicates', () => {
  assert.equal(at(`apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g}
spec:
  matches:
  - name: m
    headers:
    - user-agent: ".*Android.*"
      cookie: "x"
    - x-debug: 1
    - {}
`), [
    'MESH0116 8:7 header list item spec.matches[0].headers[0] has 2 headers (`user-agent`, `cookie`): write one header per list item, or use the map form',
    'MESH0111 10:16 spec.matches[0].headers[1].x-debug must be a string, not an integer (1); header values are regular expressions, quote it: "1"',
    'MESH0116 11:7 header list item spec.matches[0].headers[2] has no header: write one header per list item, as `- user-agent: ".*Android.*"`',
  ]);
  assert.equal(at(`apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g}
spec:
  matches:
  - name: m
    headers:
    - user-agent: a
    - User-Agent: b
  - name: n
    headers: {Cookie: a, cookie: b}
`), [
    'MESH0117 9:7 header "User-Agent" is matched twice in spec.matches[0] (header names are case-insensitive)',
    'MESH0117 11:26 header "cookie" is matched twice in spec.matches[1] (header names are case-insensitive)',
  ]);
  assert.equal(at(`apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g}
spec:
  matches:
  - name: m
    headers: ".*"
`), ['MESH0111 7:14 spec.matches[0].headers must be a map of header name to regular expression, or a list of single-key maps, not a string (".*")']);
});

test('members of a List', () => {
  assert.equal(at(`apiVersion: v1
kind: List
items:
- apiVersion: specs.smi-spec.io/v1alpha4
  kind: TCPRoute
  metadata: {name: a}
  spec:
    matches:
      ports: [80, "443", 70000]
- apiVersion: split.smi-spec.io/v1alpha4
  kind: TrafficSplit
  metadata: {name: s}
  spec:
    service: root
    backends:
    - service: a
      weight: -1
    - {service: b}
`), [
    'MESH0111 9:19 spec.matches.ports[1] must be an integer, not a string ("443"); meshc converts nothing, write the number without quotes',
    'MESH0112 9:26 spec.matches.ports[2] is 70000: ports are 1–65535',
    'MESH0112 17:15 spec.backends[0].weight is -1: weights must not be negative',
    'MESH0110 18:7 missing required field `weight` in spec.backends[1] (TrafficSplit split.smi-spec.io/v1alpha4)',
  ]);
});

test('missing fields point at the key of their parent object', () => {
  assert.equal(at(`apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: t}
spec:
  destination:
    kind: ServiceAccount
  rules: []
`), [
    'MESH0110 4:1 missing required field `sources` in spec (TrafficTarget access.smi-spec.io/v1alpha3)',
    'MESH0110 5:3 missing required field `name` in spec.destination (TrafficTarget access.smi-spec.io/v1alpha3)',
  ]);
  assert.equal(at('apiVersion: v1\nkind: Service\nmetadata: {}\n'), ['MESH0110 3:1 missing required field `name` in metadata (Kubernetes ObjectMeta)']);
  assert.equal(at('apiVersion: v1\nkind: Service\n'), ['MESH0110 1:1 missing required field `metadata` at the top level (Service v1)']);
});

test('fields of other versions get a reason', () => {
  const split = at(`apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: {name: s}
spec:
  service: root
  backends: [{service: a, weight: 1}]
  matches: [{kind: HTTPRouteGroup, name: g}]
`);
  assert.equal(split, ['MESH0109 7:3 unknown field `matches` in spec: TrafficSplit split.smi-spec.io/v1alpha2 has no such field, an API server would silently drop it; TrafficSplit matches arrived in split.smi-spec.io/v1alpha3']);
  const tcp = at(`apiVersion: specs.smi-spec.io/v1alpha3
kind: TCPRoute
metadata: {name: r}
spec:
  matches: {ports: [80]}
`);
  assert.match(tcp[0]!, 'MESH0109 5:3 unknown field `matches` in spec');
  assert.match(tcp[0]!, 'ports arrived in specs.smi-spec.io/v1alpha4');
  const draft = at(`apiVersion: access.smi-spec.io/v1alpha4
kind: TrafficTarget
metadata: {name: t}
spec:
  destination: {kind: ServiceAccount, group: access.smi-spec.io, name: a}
  rules: [{kind: UDPRoute, name: u}]
  sources: [{kind: Group, name: b}]
`);
  assert.equal(draft.slice(1), [
    'MESH0109 5:39 unknown field `group` in spec.destination: TrafficTarget access.smi-spec.io/v1alpha4 has no such field, an API server would silently drop it; the draft v1alpha4 prose writes `group`, but no CRD defines it',
    'MESH0112 7:20 spec.sources[0].kind is "Group": expected ServiceAccount or IdentityBinding',
  ]);
  const udp = at(`apiVersion: access.smi-spec.io/v1alpha2
kind: TrafficTarget
metadata: {name: t}
spec:
  destination: {kind: ServiceAccount, name: a}
  rules: [{kind: UDPRoute, name: u}]
`);
  assert.equal(udp, ['MESH0112 6:18 spec.rules[0].kind is "UDPRoute": expected HTTPRouteGroup or TCPRoute; UDPRoute rules arrived in access.smi-spec.io/v1alpha3']);
});

test.run();
