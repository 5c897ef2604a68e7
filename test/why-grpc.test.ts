// `why --target grpc` on Gateway API routes with query-parameter matches: compile --target grpc leaves such a
// route out (gRPC calls have no query string, MESH1214), so the rule takes no call from a proxyless gRPC client,
// while a sidecar's proxy routes by it. Checked against compile's IR for both targets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../src/pipeline/check.ts';
import { computeReachability } from '../src/reach/index.ts';
import { ReachQuery } from '../src/reach/query.ts';
import type { Target } from '../src/envoy/translate/ir.ts';
import type { HttpRequest } from '../src/reach/request.ts';
import { ROOT } from './helpers/cli.ts';
import { whyCompileAgreement } from './helpers/agreement.ts';

/** A Service of the web pods and its Endpoints (gRPC clients need addresses). */
const served = (name: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: app}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080, appProtocol: http}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: ${name}, namespace: app}
subsets:
  - addresses: [{ip: 10.0.0.5}]
    ports: [{port: 8080}]
---
`;

/** Pods of app/a behind s1 and s2, and idle, which no pod serves. */
const APP = `apiVersion: v1
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
    spec: {serviceAccountName: a, containers: [{name: app, image: example/web:1, ports: [{containerPort: 8080}]}]}
---
${served('s1')}${served('s2')}apiVersion: v1
kind: Service
metadata: {name: idle, namespace: app}
spec:
  selector: {app: nothing-runs-this}
  ports: [{port: 80, appProtocol: http}]
---
`;

const route = (rules: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: app}
spec:
  parentRefs: [{group: "", kind: Service, name: s1}]
  rules:
${rules}`;

async function ask(rules: string) {
  const checked = await check(['-'], { cwd: ROOT, readStdin: async () => Buffer.from(APP + route(rules)), permissive: true });
  const reach = computeReachability(checked.mesh, checked.index, checked.config);
  const why = (target: Target, request?: HttpRequest) => {
    const r = new ReachQuery(reach, checked.index, checked.config.clusterDomain, target).why({ from: 'app/a', to: 'app/s1', port: 80, request });
    assert.ok(r.ok);
    return r.answer;
  };
  for (const target of ['envoy', 'grpc'] as const) {
    assert.equal(whyCompileAgreement(checked, { permissive: true, target }).disagreements, [], target);
  }
  return why;
}

const QUERY_RULE = `    - matches: [{queryParams: [{name: debug, value: "1"}]}]
      backendRefs: [{name: idle, port: 80}]
`;

test('a rule matching on query parameters takes no call from a gRPC client: its traffic is judged by the other rules', async () => {
  const why = await ask(`${QUERY_RULE}    - backendRefs: [{name: s2, port: 80}]
`);
  const envoy = why('envoy');
  assert.equal([envoy.allowed, envoy.denial, envoy.rule], [false, 'split-routes-nothing', 0], envoy.reason);
  const grpc = why('grpc');
  assert.equal([grpc.allowed, grpc.rule], [true, 1], grpc.reason);
  // A request with the query string: the sidecar routes it by rule 0 (to no pod), the gRPC client by rule 1.
  const request = { method: 'POST', path: '/x?debug=1' };
  assert.is(why('envoy', request).allowed, false);
  assert.equal([why('grpc', request).allowed, why('grpc', request).rule], [true, 1]);
});

test('when every rule matches on query parameters, a gRPC client gets no route at all', async () => {
  const why = await ask(`${QUERY_RULE}    - matches: [{queryParams: [{name: trace, value: "on"}]}]
      backendRefs: [{name: s2, port: 80}]
`);
  const grpc = why('grpc');
  assert.equal([grpc.allowed, grpc.denial], [false, 'no-matching-rule']);
  assert.match(grpc.reason, 'every rule of HTTPRoute app/r matches on query parameters, which gRPC calls do not carry, so compile gives proxyless gRPC clients no route to it (MESH1214)');
});

test('a split-shaped route whose one matching rule is on query parameters sends a gRPC client\'s calls to the Service\'s own pods', async () => {
  const why = await ask(`${QUERY_RULE}    - backendRefs: [{name: s1, port: 80}]
`);
  assert.is(why('envoy').allowed, false, 'a sidecar: the matching rule routes to no pod');
  const grpc = why('grpc');
  assert.equal([grpc.allowed, grpc.split], [true, undefined], grpc.reason);
});

test.run();
