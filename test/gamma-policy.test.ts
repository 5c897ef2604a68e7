/**
 * Gateway API (GAMMA) route policy: queryParams matches, timeouts (GEP-1742), header filters and request mirrors,
 * through the model (HTTPMatch.queryParams, TrafficSplit.policies), `why`, compile (Envoy and gRPC targets) and
 * the checks of bad input. The compiled shapes are in the goldens test/golden/gamma-filters and gamma-grpc.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import { loadMesh } from '../src/pipeline/check.ts';
import { fractionIR } from '../src/envoy/translate/ir-builder/route-policy.ts';

const FIXTURE = 'test/compile-fixtures/gamma-filters';
const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'meshc-gamma-policy-'));
  dirs.push(d);
  return d;
};
type Diag = { code: string; line: number; column: number; message: string };
const diagnostics = (stdout: string) => (JSON.parse(stdout) as { diagnostics: Diag[] }).diagnostics;

test('model: query matches on the lowered group, the rule policies on the split; SMI objects carry neither', async () => {
  const loaded = await loadMesh([FIXTURE]);
  assert.equal(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const group = loaded.mesh.httpRouteGroups.find((g) => g.meta.name === 'web-canary.rule-0')!;
  assert.equal(group.matches[0]!.queryParams, [{ name: 'version', type: 'Exact', value: '2' }, { name: 'tenant', type: 'RegularExpression', value: '[a-z]+' }]);
  const web = loaded.mesh.trafficSplits.find((s) => s.meta.name === 'web-canary')!;
  assert.equal(web.policies, {
    split: {
      rule: 0, request: { text: '10s', nanos: 10e9 }, backendRequest: { text: '2s', nanos: 2e9 },
      requestHeaders: { set: [{ name: 'x-canary', value: 'true' }], add: [{ name: 'x-route', value: 'canary' }], remove: ['x-debug'] },
      responseHeaders: { set: [{ name: 'x-served-by', value: 'web-v2' }], add: [], remove: [] },
      mirrors: [{ service: 'shop/web-shadow', port: 80, fraction: { numerator: 25, denominator: 100 }, filter: 2 }],
    },
    root: { rule: 1, request: { text: '0s', nanos: 0 }, responseHeaders: { set: [], add: [], remove: ['server'] } },
  });
  const api = loaded.mesh.trafficSplits.find((s) => s.meta.name === 'api-split')!;
  assert.equal(api.policies, { split: { rule: 0, backendRequest: { text: '500ms', nanos: 5e8 }, mirrors: [{ service: 'shop/web-shadow', port: 80, fraction: { numerator: 1, denominator: 3 }, filter: 0 }] } });
  // The model stays plain data.
  assert.equal(JSON.parse(JSON.stringify(web.policies)), web.policies);
  const smi = await loadMesh(['fixtures/bookstore']);
  assert.ok(smi.mesh.trafficSplits.every((s) => s.policies === undefined));
  assert.ok(smi.mesh.httpRouteGroups.every((g) => g.matches.every((m) => m.queryParams === undefined)));
});

test('why: a request with the query splits (steps list the match with its query, the timeouts, headers and mirror); without it, it goes to the root', () => {
  const ask = (path: string) => runCli(['why', '--from', 'shop/client', '--to', 'shop/web:80', '--path', path, '--format', 'json', FIXTURE]);
  const hit = ask('/api/orders?tenant=acme&version=2');
  assert.is(hit.code, 0, hit.stderr);
  const a = JSON.parse(hit.stdout) as { allowed: boolean; split?: { backend: string }[]; routing: { matches: { queryParams: unknown }[]; policy: Record<string, unknown> } };
  assert.is(a.allowed, true);
  assert.equal(a.split!.map((s) => s.backend), ['shop/web-v2']);
  assert.equal(a.routing.matches[0]!.queryParams, [{ name: 'version', type: 'Exact', value: '2' }, { name: 'tenant', type: 'RegularExpression', value: '[a-z]+' }]);
  assert.equal([a.routing.policy.request, a.routing.policy.backendRequest, a.routing.policy.mirrors], ['10s', '2s', [{ service: 'shop/web-shadow', filter: 2, port: 80, fraction: { numerator: 25, denominator: 100 } }]]);
  const text = runCli(['why', '--from', 'shop/client', '--to', 'shop/web:80', '--path', '/api/orders?tenant=acme&version=2', FIXTURE]).stdout;
  const file = `${FIXTURE}/mesh.yaml`;
  assert.match(text, `${file}:166  HTTPRoute shop/web-canary.rule-0  splits requests matching path ^/api(/.*)?$, query version = "2", query tenant matching "[a-z]+"`);
  assert.match(text, `${file}:170  HTTPRoute shop/web-canary  timeouts: request 10s, backendRequest 2s`);
  assert.match(text, 'request headers: set x-canary: "true", add x-route: "canary", remove x-debug');
  assert.match(text, `${file}:180  HTTPRoute shop/web-canary  mirrors 25% of requests to shop/web-shadow:80 (answers discarded)`);
  for (const path of ['/api/orders?tenant=acme&version=3', '/api/orders?version=2', '/api/orders?version=2&tenant=ACME']) {
    const miss = JSON.parse(ask(path).stdout) as { split?: unknown; via: { kind: string; name: string }[] };
    assert.is(miss.split, undefined, path);
    assert.equal(miss.via[0]!.name, 'web', path);
  }
  // Without a request: the split's step lists what it splits.
  assert.match(runCli(['why', '--from', 'shop/client', '--to', 'shop/web:80', FIXTURE]).stdout, 'splits requests matching path ^/api(/.*)?$, query version = "2"');
});

test('RBAC: a TrafficTarget cannot name the group lowered from a route (GAMMA routes do not authorize): MESH0207, nothing admitted', () => {
  const dir = temp();
  writeFileSync(join(dir, 'mesh.yaml'), `${readFileSync(join(FIXTURE, 'mesh.yaml'), 'utf8')}---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: shadow-by-route, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: shadow, namespace: shop}
  rules: [{kind: HTTPRouteGroup, name: web-canary.rule-0}]
  sources: [{kind: ServiceAccount, name: other, namespace: shop}]
`);
  const r = runCli(['check', '--format', 'json', dir]);
  assert.is(r.code, 1);
  const d = diagnostics(r.stdout).find((x) => x.code === 'MESH0207')!;
  assert.match(d.message, 'HTTPRouteGroup "web-canary.rule-0" not found in namespace shop (it is the matches of HTTPRoute shop/web-canary, lowered by meshc: Gateway API routes do not authorize');
  const why = JSON.parse(runCli(['why', '--from', 'shop/other', '--to', 'shop/web-shadow:80', '--format', 'json', dir]).stdout) as { allowed: boolean };
  assert.is(why.allowed, false);
});

test('bad input: backendRequest > request, a mirror to a missing Service, Host and an invalid header name: each at its field; "0s" request admits any backendRequest', () => {
  const base = readFileSync(join(FIXTURE, 'mesh.yaml'), 'utf8');
  const bad = base.replace('timeouts: {request: 10s, backendRequest: 2s}', 'timeouts: {request: 1s, backendRequest: 2s}')
    .replace('backendRef: {name: web-shadow, port: 80}\n            percent: 25', 'backendRef: {name: web-shadw, port: 80}\n            percent: 25')
    .replace('add: [{name: x-route, value: canary}]', 'add: [{name: host, value: canary}]');
  const dir = temp();
  writeFileSync(join(dir, 'mesh.yaml'), bad);
  const r = runCli(['check', '--format', 'json', dir]);
  assert.is(r.code, 1);
  const got = diagnostics(r.stdout).filter((d) => d.code.startsWith('MESH12')).map((d) => [d.code, d.line, d.message]);
  assert.equal(got, [
    ['MESH1210', 170, 'rule 0: timeouts.backendRequest 2s is longer than timeouts.request 1s: a try can never outlast the whole request'],
    ['MESH1212', 175, 'rule 0: RequestHeaderModifier cannot change header host: Envoy refuses to modify the Host header and pseudo-headers'],
    ['MESH1211', 182, 'rule 0: RequestMirror sends copies to Service shop/web-shadw:80, which is not in the input; did you mean "web-shadow"?'],
  ]);
  // The compiled route leaves the refused entries out: Envoy accepts what meshc writes (compile validates it).
  const zero = temp();
  writeFileSync(join(zero, 'mesh.yaml'), base.replace('timeouts: {request: 10s, backendRequest: 2s}', 'timeouts: {request: 0s, backendRequest: 2s}'));
  assert.equal(diagnostics(runCli(['check', '--format', 'json', zero]).stdout).filter((d) => d.code.startsWith('MESH12')), []);
  // An invalid RE2 query value is MESH0303 at the value (Envoy would refuse the route).
  const rx = temp();
  writeFileSync(join(rx, 'mesh.yaml'), base.replace('value: "[a-z]+"', 'value: "[a-z+"'));
  const x = diagnostics(runCli(['check', '--format', 'json', rx]).stdout).filter((d) => d.code === 'MESH0303');
  assert.equal(x.map((d) => [d.line, d.column, d.message.slice(0, 48)]), [[169, 62, 'query parameter "tenant" value "[a-z+" is not a ']]);
  const name = temp();
  writeFileSync(join(name, 'mesh.yaml'), base.replace('add: [{name: x-route, value: canary}]', 'add: [{name: "x route", value: canary}]'));
  const n = diagnostics(runCli(['check', '--format', 'json', name]).stdout);
  assert.equal(n.map((d) => [d.code, d.line, d.column]).filter(([c]) => c !== 'MESH0213'), [['MESH0112', 175, 26]]);
});

test('compile --target grpc: a route with a query match is left out (gRPC calls have no query string), with MESH1214', () => {
  const dir = temp();
  writeFileSync(join(dir, 'route.yaml'), `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: echo-query, namespace: demo}
spec:
  parentRefs: [{group: "", kind: Service, name: echo}]
  rules:
    - matches: [{queryParams: [{name: canary, value: "1"}]}]
      timeouts: {request: 3s}
      backendRefs: [{name: echo-b, port: 50051}]
    - backendRefs: [{name: echo, port: 50051}]
`);
  const endpoints = join(dir, 'echo-endpoints.yaml');
  writeFileSync(endpoints, 'apiVersion: v1\nkind: Endpoints\nmetadata: {name: echo, namespace: demo}\nsubsets:\n  - addresses: [{ip: 127.0.0.1}]\n    ports: [{name: grpc, port: 50061}]\n');
  const out = join(temp(), 'out');
  const r = runCli(['compile', '--target', 'grpc', '--format', 'json', '--review-json', 'test/compile-fixtures/grpc-split/mesh.yaml', dir, '--out', out]);
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, 'do not honour query-parameter matches');
  const routes = JSON.parse(readFileSync(join(out, 'nodes/demo_deployment_client/routes.json'), 'utf8')) as { resources: { virtual_hosts: { routes: { name?: string; match: unknown }[] }[] }[] };
  const echo = routes.resources.flatMap((rc) => rc.virtual_hosts).find((v) => v.routes.some((x) => JSON.stringify(x).includes('demo/echo|50051')))!;
  assert.equal(echo.routes.map((x) => x.match), [{ prefix: '/' }]);
});

test('mirror share → Envoy FractionalPercent: exact in the smallest denominator that holds it, else in millionths', () => {
  assert.equal(fractionIR({ numerator: 25, denominator: 100 }), { numerator: 25, denominator: 'HUNDRED' });
  assert.equal(fractionIR({ numerator: 1, denominator: 4 }), { numerator: 25, denominator: 'HUNDRED' });
  assert.equal(fractionIR({ numerator: 1, denominator: 1000 }), { numerator: 10, denominator: 'TEN_THOUSAND' });
  assert.equal(fractionIR({ numerator: 3, denominator: 64 }), { numerator: 46875, denominator: 'MILLION' });
  assert.equal(fractionIR({ numerator: 1, denominator: 3 }), { numerator: 333333, denominator: 'MILLION' });
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
