import { test } from 'uvu';
import { checkYaml } from './rules/tester.ts';
import * as assert from 'uvu/assert';
import { errors, modelOf, where } from './helpers/model.ts';

const tcp = (apiVersion: string, name = 'r') => `apiVersion: ${apiVersion}\nkind: TCPRoute\nmetadata:\n  name: ${name}\n`;

test('unknown version of a known group: error at apiVersion naming the accepted versions; the object still exists', () => {
  const m = modelOf('apiVersion: split.smi-spec.io/v1alpha9\nkind: TrafficSplit\nmetadata: {name: s, namespace: shop}\nspec: {service: a, backends: []}\n');
  assert.equal(where(m), ['MESH0102 1:13']);
  assert.is(m.diagnostics[0]!.message, 'TrafficSplit does not exist in split.smi-spec.io/v1alpha9: meshc accepts split.smi-spec.io/v1alpha1, v1alpha2, v1alpha3 or v1alpha4');
  assert.equal(m.mesh.trafficSplits, []);
  assert.equal(m.mesh.rejected.map((r) => r.ref), [{ apiVersion: 'split.smi-spec.io/v1alpha9', kind: 'TrafficSplit', namespace: 'shop', name: 's' }]);
  assert.equal(m.diagnostics[0]!.resource, m.mesh.rejected[0]!.ref);
});

test('unknown version of a Kubernetes group', () => {
  const m = modelOf('apiVersion: apps/v1beta2\nkind: Deployment\nmetadata: {name: d}\n');
  assert.equal(where(m), ['MESH0102 1:13']);
  assert.match(m.diagnostics[0]!.message, 'meshc accepts apps/v1');
});

test('a known kind in the wrong group', () => {
  const noGroup = modelOf('apiVersion: v1alpha1\nkind: HTTPRouteGroup\nmetadata: {name: g}\nmatches: []\n');
  assert.equal(where(noGroup), ['MESH0103 1:13']);
  assert.is(noGroup.diagnostics[0]!.message, 'HTTPRouteGroup is not part of the core API group (apiVersion v1alpha1): it belongs to specs.smi-spec.io (write `apiVersion: specs.smi-spec.io/v1alpha1`)');
  assert.is(noGroup.mesh.rejected[0]!.ref.kind, 'HTTPRouteGroup');

  const swapped = modelOf(tcp('access.smi-spec.io/v1alpha3'));
  assert.match(swapped.diagnostics[0]!.message, 'TCPRoute is not part of access.smi-spec.io: it belongs to specs.smi-spec.io (write `apiVersion: specs.smi-spec.io/v1alpha3`)');

  const deployment = modelOf('apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\n');
  assert.match(deployment.diagnostics[0]!.message, 'write `apiVersion: apps/v1`');
});

test('a typo in an SMI kind or group', () => {
  const kind = modelOf('apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTargt\nmetadata: {name: t}\n');
  assert.equal(where(kind), ['MESH0104 2:7']);
  assert.match(kind.diagnostics[0]!.message, 'did you mean TrafficTarget?');
  const group = modelOf(tcp('spec.smi-spec.io/v1alpha4'));
  assert.equal(where(group), ['MESH0105 1:13']);
  assert.match(group.diagnostics[0]!.message, 'did you mean specs.smi-spec.io?');
});

test('missing apiVersion is an error, not a guess', () => {
  const m = modelOf('kind: TrafficTarget\nmetadata: {name: t}\nspec: {}\n');
  assert.equal(where(m), ['MESH0100 1:7']);
  assert.match(m.diagnostics[0]!.message, 'document has no apiVersion: meshc does not guess the version (TrafficTarget exists in access.smi-spec.io/v1alpha1, v1alpha2, v1alpha3 or v1alpha4 (draft); the latest released is access.smi-spec.io/v1alpha3)');
  assert.is(m.mesh.rejected.length, 1);
  const numeric = modelOf('apiVersion: 1\nkind: Service\nmetadata: {name: s}\n');
  assert.equal(where(numeric), ['MESH0100 1:13']);
  assert.match(numeric.diagnostics[0]!.message, 'apiVersion must be a string, not an integer (1)');
});

test('missing kind, and documents that are not Kubernetes objects', () => {
  const m = modelOf('apiVersion: specs.smi-spec.io/v1alpha4\nmetadata: {name: x}\n');
  assert.equal(where(m), ['MESH0101 1:13']);
  assert.match(m.diagnostics[0]!.message, 'HTTPRouteGroup, TCPRoute or UDPRoute');
  const neither = modelOf('replicas: 3\nimage: nginx\n');
  assert.equal(where(neither), ['MESH0100 1:1']);
  assert.match(neither.diagnostics[0]!.message, 'no apiVersion and no kind');
  assert.equal(where(modelOf('apiVersion: v1\nkind: 7\nmetadata: {name: x}\n')), ['MESH0101 2:7']);
});

test('kinds meshc does not read are skipped and counted, once per apiVersion and kind, at the first', () => {
  const text = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}',
    'apiVersion: v1\nkind: Secret\nmetadata: {name: b}',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}',
    'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: d}',
  ].join('\n---\n');
  const m = modelOf(text);
  assert.equal(errors(m), []);
  assert.equal(m.diagnostics.map((d) => [d.code, d.range!.line, d.message]), [
    ['MESH0010', 2, 'skipped 2 document(s) of kind ConfigMap (v1): not used by meshc'],
    ['MESH0010', 6, 'skipped 1 document(s) of kind Secret (v1): not used by meshc'],
    ['MESH0010', 14, 'skipped 1 document(s) of kind Service (serving.knative.dev/v1): not used by meshc'],
  ]);
  assert.equal(m.mesh.services, []);
});

test('meshc.dev documents go to mesh.extra untouched; TrafficMetrics are reported and ignored', () => {
  const m = modelOf('apiVersion: meshc.dev/v1alpha1\nkind: ReachabilityTest\nmetadata: {name: t}\nspec: {anything: [1, 2]}\n---\napiVersion: metrics.smi-spec.io/v1alpha1\nkind: TrafficMetrics\nresource: {name: x}\n');
  assert.equal(m.mesh.extra, [{
    apiVersion: 'meshc.dev/v1alpha1', kind: 'ReachabilityTest',
    value: { apiVersion: 'meshc.dev/v1alpha1', kind: 'ReachabilityTest', metadata: { name: 't' }, spec: { anything: [1, 2] } },
    origin: { doc: 0, path: [] },
  }]);
  assert.equal(m.diagnostics.map((d) => [d.code, d.severity, d.range!.line]), [['MESH0107', 'info', 7]]);
});

test('draft access v1alpha4 is accepted with a warning, silently with config.draft', () => {
  const text = `apiVersion: access.smi-spec.io/v1alpha4
kind: TrafficTarget
metadata: {name: t, namespace: ns}
spec:
  destination: {kind: IdentityBinding, name: api}
  rules: [{kind: TCPRoute, name: all}]
  sources: [{kind: ServiceAccount, name: web}]
`;
  const m = modelOf(text);
  assert.equal(where(m), ['MESH0106 1:13']);
  assert.is(m.diagnostics[0]!.severity, 'warning');
  assert.is(m.mesh.trafficTargets.length, 1);
  assert.is(m.mesh.trafficTargets[0]!.destination.kind, 'IdentityBinding');
  const quiet = modelOf(text, { draft: true });
  assert.equal(quiet.diagnostics, []);
  const released = modelOf(text.replace('v1alpha4', 'v1alpha3'));
  assert.equal(where(released), [], 'v1alpha3 subject kinds are checked by the access rules, not the schema');
});

test('the same kind/namespace/name twice: MESH0012 at the second, naming the first; the first wins', () => {
  const m = modelOf(`${tcp('specs.smi-spec.io/v1alpha3', 'dup')}---\n${tcp('specs.smi-spec.io/v1alpha2', 'dup')}---\n${tcp('specs.smi-spec.io/v1alpha2', 'other')}`);
  assert.equal(where(m), ['MESH0012 9:9']);
  assert.is(m.diagnostics[0]!.message, 'TCPRoute default/dup is defined twice (first at in.yaml:4)');
  assert.equal(m.diagnostics[0]!.related, [{ message: 'first definition', range: { file: 'in.yaml', line: 4, column: 9, endLine: 4, endColumn: 12 } }]);
  assert.equal(m.mesh.tcpRoutes.map((r) => r.meta.apiVersion), ['specs.smi-spec.io/v1alpha3', 'specs.smi-spec.io/v1alpha2']);
  // Different namespaces and different kinds are different objects.
  const ok = modelOf(`${tcp('specs.smi-spec.io/v1alpha3', 'x')}---\n${tcp('specs.smi-spec.io/v1alpha3', 'x')}  namespace: other\n---\napiVersion: v1\nkind: Service\nmetadata: {name: x}\n`);
  assert.equal(ok.diagnostics, []);
});

test('metadata: standard ObjectMeta fields only, names are RFC 1123, label values are strings', () => {
  const m = modelOf(`apiVersion: v1
kind: ServiceAccount
metadata:
  name: Web_1
  label: {app: web}
  annotations: {replicas: 3}
  creationTimestamp: null
  uid: 1234-abcd
`);
  assert.equal(m.diagnostics.map((d) => `${d.code} ${d.range!.line}:${d.range!.column} ${d.message}`), [
    'MESH0109 5:3 unknown field `label` in metadata: Kubernetes ObjectMeta has no such field, an API server would silently drop it; did you mean `labels`?',
    'MESH0113 4:9 metadata.name "Web_1" is not a valid ServiceAccount name (it has uppercase letters): it must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters',
    'MESH0111 6:27 metadata.annotations.replicas must be a string, not an integer (3); Kubernetes annotation values are strings, quote it: "3"',
  ]);
  assert.equal(m.mesh.serviceAccounts, []);
});

test('__proto__ and constructor keys are unknown fields and pollute nothing', () => {
  const m = modelOf(`apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g}
spec:
  __proto__: {polluted: true}
  constructor: {prototype: {polluted: true}}
  matches:
  - name: m
    __proto__: {polluted: true}
    headers:
      __proto__: ".*"
`);
  assert.equal(where(m), ['MESH0109 5:3', 'MESH0109 6:3', 'MESH0109 9:5']);
  assert.match(m.diagnostics[0]!.message, 'unknown field `__proto__` in spec');
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  assert.is(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  const headersOnly = modelOf(`apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g, labels: {__proto__: x}}
spec:
  matches:
  - name: m
    headers: {__proto__: ".*", constructor: "x"}
`);
  assert.equal(headersOnly.diagnostics, []);
  const group = headersOnly.mesh.httpRouteGroups[0]!;
  assert.equal(group.matches[0]!.headers, [{ name: '__proto__', value: '.*' }, { name: 'constructor', value: 'x' }]);
  assert.equal(Object.keys(group.meta.labels), ['__proto__']);
  assert.is(Object.getPrototypeOf(group.meta.labels), Object.prototype);
});

test('check: metadata.name is validated per kind as the API server does (Service: DNS-1035 label; Namespace: DNS-1123 label; others: subdomain)', async () => {
  const named = (apiVersion: string, kind: string, name: string, extra = '') => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${extra}`;
  const found = await checkYaml([
    named('v1', 'Service', 'reviews.shop', '  namespace: shop\n  lables: {app: reviews}\n'),
    named('v1', 'Service', '9reviews', '  namespace: shop\n'),
    named('v1', 'Namespace', 'shop.prod'),
    // Subdomains are fine for a ServiceAccount and a Deployment, and so is a label-shaped Service name.
    named('v1', 'ServiceAccount', 'reviews.shop', '  namespace: shop\n'),
    named('apps/v1', 'Deployment', 'reviews.v1', '  namespace: shop\nspec: {selector: {matchLabels: {app: r}}, template: {metadata: {labels: {app: r}}, spec: {serviceAccountName: reviews.shop, containers: []}}}\n'),
    named('v1', 'Service', 'reviews-v1', '  namespace: shop\nspec: {selector: {app: r}, ports: [{port: 80}]}\n'),
  ].join('---\n'));
  assert.equal(found.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.range?.line}:${d.range?.column} ${d.message}`), [
    'MESH0113 4:9 metadata.name "reviews.shop" is not a valid Service name ("." is not allowed): it must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters',
    'MESH0109 6:3 unknown field `lables` in metadata: Kubernetes ObjectMeta has no such field, an API server would silently drop it; did you mean `labels`?',
    'MESH0113 11:9 metadata.name "9reviews" is not a valid Service name (it starts with a digit): it must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters',
    'MESH0113 17:9 metadata.name "shop.prod" is not a valid Namespace name ("." is not allowed): it must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
  ]);
});

test.run();
