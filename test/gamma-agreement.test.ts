// Gateway API mesh routes where why and compile disagreed, found by test/fuzz-agreement.test.ts, kept as cases:
// a rule an earlier one shadows takes no request (why once judged the caller's traffic by it), a route on every
// port of a Service that also has a TCP port routes that port's connections only by a rule without matches, and a
// rule without backendRefs is reported in the route's words (MESH1232), not as a TrafficSplit (MESH0404), as is a
// backend compile leaves out of a route rule (MESH0856).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../src/pipeline/check.ts';
import { computeReachability } from '../src/reach/index.ts';
import { ReachQuery } from '../src/reach/query.ts';
import { ROOT } from './helpers/cli.ts';
import { whyCompileAgreement } from './helpers/agreement.ts';
import { meshIR } from '../src/pipeline/compile.ts';
import { DiagnosticSink } from '../src/core/diagnostics.ts';

const APP = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: a, namespace: app}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {serviceAccountName: a, containers: [{name: app, image: example/web:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: s1, namespace: app}
spec:
  selector: {app: web}
  ports: [{name: tcp-data, port: 9000}, {port: 80, appProtocol: http}]
---
apiVersion: v1
kind: Service
metadata: {name: idle, namespace: app}
spec:
  selector: {app: nothing-runs-this}
  ports: [{port: 80, appProtocol: http}]
`;

const route = (rules: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: app}
spec:
  parentRefs: [{group: "", kind: Service, name: s1}]
  rules:
${rules}`;

async function mesh(yaml: string) {
  const checked = await check(['-'], { cwd: ROOT, readStdin: async () => Buffer.from(yaml), permissive: true });
  const query = new ReachQuery(computeReachability(checked.mesh, checked.index, checked.config), checked.index, checked.config.clusterDomain);
  const why = (port: number) => {
    const r = query.why({ from: 'app/a', to: 'app/s1', port });
    assert.ok(r.ok);
    return r.answer;
  };
  return { checked, why, codes: checked.diagnostics.map((d) => d.code) };
}

test('a rule an earlier rule shadows takes no request: why and compile route by the rules before it', async () => {
  // Rule 1 would route nothing (its one backend selects no pod), but rule 0 takes every request first.
  const m = await mesh(`${APP}---${route(`    - matches: [{path: {type: PathPrefix, value: /api}}]
      backendRefs: [{name: s1, port: 80}]
    - backendRefs: [{name: s1, port: 80}]
    - backendRefs: [{name: idle, port: 80}]`)}`);
  assert.ok(m.codes.includes('MESH1230'), 'rule 2 never matches');
  const a = m.why(80);
  assert.is(a.allowed, true, a.reason);
  assert.equal(whyCompileAgreement(m.checked, { permissive: true }).disagreements, []);
});

test('a route on every port: a TCP port is routed only by a rule without matches, by why as by compile', async () => {
  const matched = await mesh(`${APP}---${route(`    - matches: [{path: {type: PathPrefix, value: /api}}]
      backendRefs: [{name: s1, port: 80}]`)}`);
  const tcp = matched.why(9000);
  assert.is(tcp.allowed, false);
  assert.is(tcp.denial, 'no-matching-rule');
  assert.match(tcp.reason, 'port 9000 is TCP and every rule of HTTPRoute app/r matches on HTTP attributes');
  assert.is(matched.why(80).allowed, true);
  const found = whyCompileAgreement(matched.checked, { permissive: true });
  assert.equal(found.disagreements, []);
  assert.is(found.allowed, 1, 'port 80 only');
  const catchAll = await mesh(`${APP}---${route(`    - matches: [{path: {type: PathPrefix, value: /api}}]
      backendRefs: [{name: s1, port: 80}]
    - backendRefs: [{name: s1, port: 80}]`)}`);
  assert.is(catchAll.why(9000).allowed, true, 'the rule without matches takes the connections');
  assert.equal(whyCompileAgreement(catchAll.checked, { permissive: true }), { disagreements: [], edges: 3, allowed: 2 });
});

test('a rule without backendRefs is MESH1232 on the route, not MESH0404 on a TrafficSplit; why says it routes nothing', async () => {
  const m = await mesh(`${APP}---${route(`    - matches: [{headers: [{name: x-canary, value: "true"}]}]
    - backendRefs: [{name: s1, port: 80}]`)}`);
  assert.ok(m.codes.includes('MESH1232'));
  assert.not.ok(m.codes.includes('MESH0404'));
  const a = m.why(80);
  assert.is(a.denial, 'split-routes-nothing');
  assert.match(a.reason, 'app/a → app/s1: the matching rule of HTTPRoute app/r has no backends, so it routes nothing');
  assert.equal(whyCompileAgreement(m.checked, { permissive: true }).disagreements, []);
});

test('compile names a route rule whose backend it leaves out by its route (MESH0856), not as a TrafficSplit', async () => {
  // s1 has pods and endpoint addresses; idle selects no pod, so no client can be sent to it.
  const endpoints = `---
apiVersion: v1
kind: Endpoints
metadata: {name: s1, namespace: app}
subsets: [{addresses: [{ip: 10.1.0.5}], ports: [{port: 80}]}]
`;
  const m = await mesh(`${APP}${endpoints}---${route(`    - backendRefs: [{name: s1, port: 80, weight: 90}, {name: idle, port: 80, weight: 10}]`)}`);
  const sink = new DiagnosticSink();
  meshIR(m.checked, { target: 'grpc' }, sink);
  const dropped = sink.items.filter((d) => d.code === 'MESH0856').map((d) => d.message);
  assert.equal(dropped, ['HTTPRoute app/r: backend app/idle is left out of the routes of 1 proxy node(s): no workload serves it']);
});

test.run();
