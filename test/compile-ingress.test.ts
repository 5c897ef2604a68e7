/**
 * IngressBackend in the IR and the compiled output (test/compile-fixtures/ingress; goldens in test/golden/ingress):
 * what the IR builder decides per proxy (source ranges, TLS, principals, routes), the feature flag, sources
 * whose addresses are unknown, chains Envoy could not tell apart, the gRPC target and the summary line.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, runCli } from './helpers/cli.ts';
import { compileTo, diagnosticLines, tempDir } from './helpers/compile.ts';
import { check } from '../src/pipeline/check.ts';
import { meshIR, type CompileOptions } from '../src/pipeline/compile.ts';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import type { IngressIR } from '../src/envoy/translate/ir.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;
const FIXTURE = 'test/compile-fixtures/ingress';

async function irOf(paths: string[], options: Partial<CompileOptions> = {}) {
  const checked = await check(paths.map((p) => resolve(ROOT, p)), { cwd: ROOT, ...options });
  const sink = new DiagnosticSink();
  const ir = meshIR(checked, options, sink);
  const ingress = new Map(ir.nodes.map((n) => [n.id, n.ingress]));
  return { ir, ingress, codes: sink.items.map((d) => `${d.code} ${d.message}`) };
}

/** A copy of the fixture with `extra` YAML added (and `edit` applied to ingress.yaml). */
function variant(dir: string, extra: string, edit: (text: string) => string = (t) => t): string {
  const src = join(dir, 'ingress');
  cpSync(join(ROOT, FIXTURE), src, { recursive: true });
  writeFileSync(join(src, 'ingress.yaml'), edit(readFileSync(join(src, 'ingress.yaml'), 'utf8')));
  if (extra) writeFileSync(join(src, 'extra.yaml'), extra);
  return src;
}

test('IR: each backend\'s proxy gets one ingress entry for its target port, nobody else', async () => {
  const { ingress } = await irOf([FIXTURE]);
  assert.equal([...ingress].filter(([, v]) => v).map(([k, v]) => `${k}: ${v!.map((i) => `${i.targetPort}/${i.protocol}`)}`), [
    'web/deployment/admin: 8443/https', 'web/deployment/api: 8080/http', 'web/deployment/reports: 9443/https',
  ]);
});

test('IR: plain HTTP admits the source Service\'s ready endpoints (/32) and the IPRange (normalised), any principal, every route', async () => {
  const api = (await irOf([FIXTURE])).ingress.get('web/deployment/api')![0]!;
  assert.equal(api, {
    from: 'web/api-plain', service: 'web/api', targetPort: 8080, protocol: 'http',
    sourceRanges: ['10.0.5.10/32', '10.0.5.11/32', '192.168.0.0/16'], principals: 'any', routes: 'all',
  } satisfies IngressIR);
});

test('IR: TLS with client validation checks the AuthenticatedPrincipal, matches the SNI hosts, routes the named HTTPRouteGroup', async () => {
  const admin = (await irOf([FIXTURE])).ingress.get('web/deployment/admin')![0]!;
  assert.equal(admin.tls, { serverNames: ['admin.example.com'], validateClient: true });
  assert.equal(admin.sourceRanges, []);
  assert.equal(admin.principals, ['ingress-nginx.ingress-nginx.cluster.local']);
  assert.equal((admin.routes as { name: string }[]).map((r) => r.name), ['web/admin-console/console', 'web/admin-console/login']);
  const reports = (await irOf([FIXTURE])).ingress.get('web/deployment/reports')![0]!;
  assert.equal(reports.tls, { serverNames: [], validateClient: false });
  assert.equal(reports.principals, 'any', 'skipClientCertValidation: no identity to check');
});

test('IR: permissive mode drops the mesh RBAC, not the IngressBackend\'s sources or principals', async () => {
  const { ir, ingress } = await irOf([FIXTURE], { permissive: true });
  assert.ok(ir.nodes.every((n) => n.inbound.every((p) => p.policies.length === 0)));
  assert.equal(ingress.get('web/deployment/admin')![0]!.principals, ['ingress-nginx.ingress-nginx.cluster.local']);
  assert.equal(ingress.get('web/deployment/api')![0]!.sourceRanges, ['10.0.5.10/32', '10.0.5.11/32', '192.168.0.0/16']);
});

test('IR: a named HTTPRouteGroup that is missing admits nothing, never everything', async () => {
  const tmp = tempDir();
  try {
    const src = variant(tmp.dir, '', (t) => t.replace('name: admin-console}', 'name: admin-consol}'));
    const { ingress } = await irOf([src]);
    assert.equal(ingress.get('web/deployment/admin')![0]!.routes, []);
  } finally { tmp.cleanup(); }
});

test('envoy: chains beside the mesh chain, TLS contexts, RBAC, per-port route configurations', async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    const r = await compileTo([FIXTURE], out);
    assert.equal(r.status, 'written', diagnosticLines(r).join('\n'));
    const listeners = (node: string) => JSON.parse(readFileSync(join(out, 'nodes', node, 'listeners.json'), 'utf8')).resources as J[];
    const chains = (node: string) => listeners(node).find((l) => l.name === 'inbound-listener')!.filter_chains as J[];
    assert.equal(chains('web_deployment_api').map((c) => c.name), ['inbound_8080_http', 'ingress_web/api_8080_http']);
    const plain = chains('web_deployment_api')[1]!;
    assert.equal(plain.filter_chain_match, {
      destination_port: 8080, transport_protocol: 'raw_buffer',
      source_prefix_ranges: [{ address_prefix: '10.0.5.10', prefix_len: 32 }, { address_prefix: '10.0.5.11', prefix_len: 32 }, { address_prefix: '192.168.0.0', prefix_len: 16 }],
    });
    assert.is(plain.transport_socket, undefined);
    const admin = chains('web_deployment_admin')[1]!;
    assert.equal(admin.filter_chain_match, { destination_port: 8443, server_names: ['admin.example.com'], transport_protocol: 'tls' });
    const tls = admin.transport_socket.typed_config;
    assert.is(tls.require_client_certificate, true);
    assert.is(tls.common_tls_context.validation_context_sds_secret_config.name, 'root-cert');
    const hcm = admin.filters[0].typed_config;
    assert.equal(hcm.http_filters.map((f: J) => f.name), ['envoy.filters.http.rbac', 'envoy.filters.http.router']);
    assert.equal(hcm.http_filters[0].typed_config.rules.policies['web/admin-mtls'].principals, [{ authenticated: { principal_name: { exact: 'ingress-nginx.ingress-nginx.cluster.local' } } }]);
    assert.is(hcm.rds.route_config_name, 'rds-ingress.8443');
    const skip = chains('web_deployment_reports')[1]!.transport_socket.typed_config;
    assert.is(skip.require_client_certificate, false);
    assert.is(skip.common_tls_context.validation_context_sds_secret_config, undefined);
    const routes = JSON.parse(readFileSync(join(out, 'nodes', 'web_deployment_api', 'routes.json'), 'utf8')).resources as J[];
    assert.equal(routes.find((x) => x.name === 'rds-ingress.8080')!.virtual_hosts, [{
      name: 'ingress_virtual-host|web/api_from_api-plain', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'local|8080', timeout: '0s' } }],
    }]);
    // The mesh client gets nothing of it.
    assert.not.ok(listeners('web_deployment_web').some((l) => l.name === 'inbound-listener'), 'web serves nothing: no inbound listener');
  } finally { tmp.cleanup(); }
});

const meshConfig = (flag: boolean) => `apiVersion: config.openservicemesh.io/v1alpha2
kind: MeshConfig
metadata: {name: osm-mesh-config, namespace: osm-system}
spec:
  featureFlags: {enableIngressBackendPolicy: ${flag}}
---
apiVersion: v1
kind: Namespace
metadata: {name: osm-system}
`;

test('MeshConfig: enableIngressBackendPolicy off compiles no ingress (MESH1112); on compiles it', async () => {
  const tmp = tempDir();
  try {
    const off = await irOf([variant(join(tmp.dir), meshConfig(false))]);
    assert.ok([...off.ingress.values()].every((v) => v === undefined));
    const offCheck = await check([join(tmp.dir, 'ingress')], { cwd: ROOT });
    assert.ok(offCheck.diagnostics.some((d) => d.code === 'MESH1112'));
    const tmp2 = tempDir();
    try {
      const on = await irOf([variant(tmp2.dir, meshConfig(true))]);
      assert.is([...on.ingress.values()].filter(Boolean).length, 3);
    } finally { tmp2.cleanup(); }
  } finally { tmp.cleanup(); }
});

test('a Service source whose addresses are unknown (a Deployment\'s pods) drops its IngressBackend only (check says MESH1181)', async () => {
  const tmp = tempDir();
  try {
    const src = variant(tmp.dir, '', (t) => t.replace('name: 192.168.10.7/16}', 'name: 192.168.10.7/16}\n    - {kind: Service, name: admin, namespace: web}'));
    const { ingress } = await irOf([src]);
    assert.is(ingress.get('web/deployment/api'), undefined);
    assert.ok(ingress.get('web/deployment/admin'));
    const checked = await check([src], { cwd: ROOT });
    assert.ok(checked.diagnostics.some((d) => d.code === 'MESH1181' && d.message.includes('IngressBackend web/api-plain out')));
  } finally { tmp.cleanup(); }
});

test('MESH1183: an https chain without SNI or source ranges, and a second IngressBackend on the same pod port, are left out', async () => {
  const tmp = tempDir();
  try {
    const second = `apiVersion: v1
kind: Service
metadata: {name: api-alt, namespace: web}
spec:
  selector: {app: api}
  ports: [{name: http, port: 8000, targetPort: 8080}]
---
apiVersion: policy.openservicemesh.io/v1alpha1
kind: IngressBackend
metadata: {name: api-alt, namespace: web}
spec:
  backends: [{name: api-alt, port: {number: 8080, protocol: http}}]
  sources: [{kind: IPRange, name: 10.9.0.0/16}]
`;
    const src = variant(tmp.dir, second, (t) => t.replace('tls: {skipClientCertValidation: false, sniHosts: [admin.example.com]}', 'tls: {skipClientCertValidation: false}'));
    const { ingress, codes } = await irOf([src]);
    assert.is(ingress.get('web/deployment/admin'), undefined);
    assert.equal(ingress.get('web/deployment/api')!.map((i) => i.from), ['web/api-alt'], 'the first by namespace/name wins');
    const mine = codes.filter((c) => c.startsWith('MESH1183'));
    assert.is(mine.length, 2, mine.join('\n'));
    assert.ok(mine.some((c) => c.includes('IngressBackend web/admin-mtls backend web/admin:8443') && c.includes('give tls.sniHosts')));
    assert.ok(mine.some((c) => c.includes('IngressBackend web/api-plain') && c.includes('already has the ingress chain of IngressBackend web/api-alt')));
  } finally { tmp.cleanup(); }
});

test('--target grpc: no ingress, one MESH1184 info per IngressBackend, the output is written', async () => {
  const { ingress, codes } = await irOf([FIXTURE], { target: 'grpc' });
  assert.ok([...ingress.values()].every((v) => v === undefined));
  assert.equal(codes.filter((c) => c.startsWith('MESH1184')).map((c) => c.split(' ')[2]), ['web/admin-mtls', 'web/api-plain', 'web/reports-tls']);
  const tmp = tempDir();
  try {
    const r = await compileTo([FIXTURE], join(tmp.dir, 'out'), { target: 'grpc' });
    assert.equal(r.status, 'written', diagnosticLines(r).join('\n'));
  } finally { tmp.cleanup(); }
});

test('CLI: the summary line counts the ingress chains; none, no line', () => {
  const tmp = tempDir();
  try {
    const r = runCli(['compile', FIXTURE, '--out', join(tmp.dir, 'out')]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /\nmeshc compile: ingress: 3 IngressBackend chain\(s\) on 3 proxy\(ies\), from 3 IngressBackend\(s\)\n/);
    const plain = runCli(['compile', 'fixtures/bookstore', '--out', join(tmp.dir, 'out2')]);
    assert.is(plain.code, 0, plain.stderr);
    assert.not.match(plain.stderr, /ingress:/);
  } finally { tmp.cleanup(); }
});

test.run();
