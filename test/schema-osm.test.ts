/**
 * OSM kinds (config.openservicemesh.io MeshConfig v1alpha1–v1alpha3,
 * policy.openservicemesh.io/v1alpha1 Egress, IngressBackend,
 * UpstreamTrafficSetting, Retry): every kind and version is read into the
 * model (no MESH0010 skip), its schema errors and value checks are reported
 * at the exact field.
 */
import { applySuppressions } from '../src/report/suppress.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../src/pipeline/check.ts';
import { KINDS } from '../src/schema/kinds.ts';
import type { Diagnostic } from '../src/core/types.ts';
import { dedent } from './rules/tester.ts';

async function run(yaml: string) {
  return check(['-'], { readStdin: async () => Buffer.from(dedent(yaml)), skipRules: true });
}
const at = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.range?.line}:${d.range?.column}`);

const EXAMPLES: Record<string, string> = {
  MeshConfig: `
    spec:
      traffic: {enablePermissiveTrafficPolicyMode: true, enableEgress: true}
      sidecar: {logLevel: debug}
      observability:
        tracing: {enable: true, address: jaeger.osm-system.svc.cluster.local, port: 9411, endpoint: /api/v2/spans}
      featureFlags: {enableRetryPolicy: true}`,
  Egress: `
    spec:
      sources: [{kind: ServiceAccount, name: web, namespace: shop}]
      hosts: [httpbin.org]
      ipAddresses: [203.0.113.0/24]
      ports: [{number: 80, protocol: http}]`,
  IngressBackend: `
    spec:
      backends: [{name: api, port: {number: 8080, protocol: https}, tls: {skipClientCertValidation: false, sniHosts: [api.example.com]}}]
      sources: [{kind: AuthenticatedPrincipal, name: ingress.ingress-nginx.cluster.local}, {kind: IPRange, name: 10.0.0.0/16}]`,
  UpstreamTrafficSetting: `
    spec:
      host: api.shop.svc.cluster.local
      connectionSettings: {tcp: {maxConnections: 10, connectTimeout: 1500ms}, http: {maxRequestsPerConnection: 5}}
      rateLimit: {local: {tcp: {connections: 5, unit: second}, http: {requests: 10, unit: minute, responseStatusCode: 503}}}
      httpRoutes: [{path: /buy, rateLimit: {local: {requests: 1, unit: hour}}}]`,
  Retry: `
    spec:
      source: {kind: ServiceAccount, name: web, namespace: shop}
      destinations: [{kind: Service, name: api, namespace: shop}]
      retryPolicy: {retryOn: "5xx,reset", perTryTimeout: 1s, numRetries: 0, retryBackoffBaseInterval: 1m30s}`,
};
const COLLECTION = { MeshConfig: 'meshConfigs', Egress: 'egresses', IngressBackend: 'ingressBackends', UpstreamTrafficSetting: 'upstreamTrafficSettings', Retry: 'retries' } as const;

for (const info of KINDS.filter((k) => k.family === 'osm')) {
  for (const version of info.versions) {
    test(`${info.kind} ${info.group}/${version}: read into the model, unknown fields at their key`, async () => {
      const head = `
        apiVersion: ${info.group}/${version}
        kind: ${info.kind}
        metadata: {name: x, namespace: osm-system}`;
      const ok = await run(head + EXAMPLES[info.kind]!.replace(/\n    /g, '\n        '));
      const expected = info.draftVersions.includes(version) ? ['MESH1101 1:13'] : [];
      assert.equal(at(ok.diagnostics), expected, ok.diagnostics.map((d) => d.message).join('\n'));
      assert.is(ok.mesh[COLLECTION[info.kind as keyof typeof COLLECTION]].length, 1);
      const bad = await run(`${head}\n        spec:\n          hots: [x]\n`);
      assert.equal(at(bad.diagnostics.filter((d) => d.code === 'MESH0109')), ['MESH0109 5:3']);
    });
  }
}

test('MeshConfig v1alpha1 has no TLS settings (they came with v1alpha2)', async () => {
  const r = await run(`
    apiVersion: config.openservicemesh.io/v1alpha1
    kind: MeshConfig
    metadata: {name: osm-mesh-config, namespace: osm-system}
    spec:
      sidecar:
        tlsMinProtocolVersion: TLSv1_2
  `);
  assert.equal(at(r.diagnostics.filter((d) => d.severity === 'error')), ['MESH0109 6:5']);
});

test('CRD enums: log level, TLS versions, rate-limit units, status codes', async () => {
  const r = await run(`
    apiVersion: config.openservicemesh.io/v1alpha2
    kind: MeshConfig
    metadata: {name: osm-mesh-config, namespace: osm-system}
    spec:
      sidecar: {logLevel: verbose, tlsMinProtocolVersion: TLSv1.2}
    ---
    apiVersion: policy.openservicemesh.io/v1alpha1
    kind: UpstreamTrafficSetting
    metadata: {name: api, namespace: shop}
    spec:
      host: api.shop.svc.cluster.local
      rateLimit: {local: {http: {requests: 0, unit: day, responseStatusCode: 200}}}
  `);
  assert.equal(at(r.diagnostics.filter((d) => d.severity === 'error')), ['MESH0112 5:23', 'MESH0112 5:55', 'MESH0112 12:40', 'MESH0112 12:49', 'MESH0112 12:74']);
});

test('value checks: CIDR, Go durations, uint32 retries, protocols, retryOn, incomplete rate limits', async () => {
  const r = await run(`
    apiVersion: policy.openservicemesh.io/v1alpha1
    kind: Egress
    metadata: {name: e, namespace: shop}
    spec:
      sources: [{kind: ServiceAccount, name: web, namespace: shop}]
      ipAddresses: [10.0.0.0/8, 300.1.1.1/32, 10.0.0.1, "fd00::/8"]
      ports: [{number: 5432, protocol: TCP}]
    ---
    apiVersion: policy.openservicemesh.io/v1alpha1
    kind: Retry
    metadata: {name: r, namespace: shop}
    spec:
      source: {kind: ServiceAccount, name: web, namespace: shop}
      destinations: [{kind: Service, name: api, namespace: shop}]
      retryPolicy: {retryOn: "5xx, gateway-eror", perTryTimeout: "1", numRetries: -3, retryBackoffBaseInterval: 1us}
    ---
    apiVersion: policy.openservicemesh.io/v1alpha1
    kind: IngressBackend
    metadata: {name: i, namespace: shop}
    spec:
      backends: [{name: api, port: {number: 8080, protocol: tcp}}]
      sources: [{kind: IPRange, name: 10.0.0.0/33}]
    ---
    apiVersion: policy.openservicemesh.io/v1alpha1
    kind: UpstreamTrafficSetting
    metadata: {name: u, namespace: shop}
    spec:
      host: api.shop.svc.cluster.local
      connectionSettings: {tcp: {connectTimeout: 5 seconds}}
      rateLimit: {local: {tcp: {burst: 3}}}
  `);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(at(errors), [
    'MESH1102 6:29', 'MESH1102 6:43', 'MESH1102 6:53', 'MESH1105 7:36',
    'MESH1107 15:26', 'MESH1104 15:62', 'MESH1103 15:79', 'MESH1104 15:109',
    'MESH1106 21:57', 'MESH1102 22:35', 'MESH1104 29:46', 'MESH1108 30:23',
  ]);
  const text = errors.map((d) => d.message).join('\n');
  for (const part of ['300 is no IPv4 address octet', 'the prefix length is missing', 'IPv4 blocks only', 'write "tcp"', '"gateway-eror" is no Envoy retry condition',
    'numRetries is -3', 'Envoy requires a base interval of at least 1ms', 'has no connections and unit', 'not a Go duration']) {
    assert.ok(text.includes(part), `${part}\n---\n${text}`);
  }
  // Rejected objects stay out of the model but exist for references.
  assert.equal([r.mesh.egresses.length, r.mesh.retries.length, r.mesh.ingressBackends.length, r.mesh.upstreamTrafficSettings.length], [0, 0, 0, 0]);
  assert.equal(r.mesh.rejected.map((x) => x.ref.kind), ['Egress', 'Retry', 'IngressBackend', 'UpstreamTrafficSetting']);
});

test('the shop example holds one of each OSM kind, modelled, with no finding above info', async () => {
  const r = await check(['fixtures/shop']);
  assert.equal([r.mesh.meshConfigs.length, r.mesh.egresses.length, r.mesh.ingressBackends.length, r.mesh.upstreamTrafficSettings.length, r.mesh.retries.length], [1, 3, 1, 2, 1]);
  // As `meshc check fixtures/shop` reports them: the example's annotated suppression (mysql, MESH0632) applied.
  const kept = applySuppressions(r.diagnostics, { suppress: [], inline: true, loaded: r }).kept;
  assert.equal(kept.filter((d) => d.severity !== 'info').map((d) => `${d.code} ${d.message}`), []);
  assert.not.ok(r.diagnostics.some((d) => d.code === 'MESH0010'));
});

test.run();
