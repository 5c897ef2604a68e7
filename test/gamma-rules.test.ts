/**
 * Gateway API mesh routes beyond one split: several rules with different backends (in Gateway API precedence
 * order, no catch-all: unmatched requests get 404), several routes merged on one Service, backends in other
 * namespaces with a ReferenceGrant, and a parentRef port on a multi-port Service; through the model,
 * reachability, why, test, graph, compile and diff. The fixture is fixtures/gamma-rules (its compile golden is
 * test/golden/gamma-rules).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import { loadMesh } from '../src/pipeline/check.ts';
import { sharedReachability } from '../src/rules/reach/shared.ts';

const FIXTURE = 'fixtures/gamma-rules';
const dirs: string[] = [];
const copy = () => {
  const d = mkdtempSync(join(tmpdir(), 'meshc-grules-'));
  dirs.push(d);
  cpSync(FIXTURE, d, { recursive: true });
  return d;
};
const edit = (dir: string, file: string, from: string, to: string) => {
  const text = readFileSync(join(dir, file), 'utf8');
  assert.ok(text.includes(from), `${file} contains ${from}`);
  writeFileSync(join(dir, file), text.replace(from, to));
};

interface Why { allowed: boolean; reason: string; denial?: string; split?: { backend: string; weight: number; allowed: boolean }[]; routing?: { split: string; matches: { name: string }[]; policy?: { request?: string } } }
const why = (dir: string, to: string, ...request: string[]): Why => {
  const r = runCli(['why', '--from', 'shop/productpage', '--to', to, '--format', 'json', ...request, dir]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return JSON.parse(r.stdout) as Why;
};

test('model and reachability: the rules of two routes merged in precedence order, a rule table without catch-all, a port-scoped route', async () => {
  const loaded = await loadMesh([FIXTURE]);
  assert.equal(loaded.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message), []);
  const reach = sharedReachability(loaded.mesh, loaded.index, loaded.config);
  const reviews = reach.splits['shop/reviews']!;
  assert.is(reviews.unmatched, 'none');
  // POST /admin (Exact, newer route) > PathPrefix /v2 > a header match > the catch-all: not the rule order of the files.
  assert.equal(reviews.rules.map((r) => [r.split, r.matchIndex, r.backends.map((b) => `${b.service}=${b.weight}`)]), [
    ['shop/reviews-admin.rule-0', 0, ['shop/reviews-v2=1']],
    ['shop/reviews-routes.rule-0', 0, ['shop/reviews-v2=1']],
    ['shop/reviews-routes.rule-1', 0, ['shop/reviews-v1=50', 'canary/reviews-canary=50']],
    ['shop/reviews-routes.rule-2', undefined, ['shop/reviews-v1=1']],
  ]);
  // Same path: the rule with a header match ranks first although it is written second.
  assert.equal(reach.splits['shop/ratings']!.rules.map((r) => r.split), ['shop/ratings.rule-1', 'shop/ratings.rule-0']);
  assert.is(reach.splits['shop/details']!.port, 9080);
  const pa = reach.outbound['shop/productpage']!;
  assert.ok(pa.find((p) => p.service === 'shop/details' && p.port === 9080)!.split, 'port 9080 is routed');
  assert.is(pa.find((p) => p.service === 'shop/details' && p.port === 9090)!.split, undefined, 'port 9090 goes to the pods');
  const canary = pa.find((p) => p.service === 'shop/reviews')!.split!.rules[2]!;
  assert.equal(canary.backends.map((b) => [b.service, b.allowed]), [['shop/reviews-v1', true], ['canary/reviews-canary', true]]);
});

test('precedence: Exact > longest PathPrefix > method > more headers > RegularExpression > no condition; ties by route age then name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-grules-'));
  dirs.push(dir);
  const svc = (n: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${n}, namespace: x}\nspec: {selector: {app: ${n}}, ports: [{port: 80}]}\n---\n`;
  const route = (name: string, created: string | undefined, rules: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: x${created ? `, creationTimestamp: "${created}"` : ''}}
spec:
  parentRefs: [{group: "", kind: Service, name: web}]
  rules:
${rules}---
`;
  const to = (b: string) => `      backendRefs: [{name: ${b}, port: 80}]\n`;
  writeFileSync(join(dir, 'mesh.yaml'), ['web', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(svc).join('') + route('zeta', '2026-01-01T00:00:00Z', [
    '    - backendRefs: [{name: a, port: 80}]\n',
    `    - matches: [{path: {type: RegularExpression, value: "/api/.*"}}]\n${to('b')}`,
    `    - matches: [{path: {type: PathPrefix, value: /api}}]\n${to('c')}`,
    `    - matches: [{path: {type: PathPrefix, value: /api/v2}}]\n${to('d')}`,
    `    - matches: [{path: {type: PathPrefix, value: /api}, method: GET}]\n${to('e')}`,
    `    - matches: [{path: {type: Exact, value: /api}}]\n${to('f')}`,
  ].join('')) + route('alpha', undefined, `    - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x, value: "1"}]}]\n${to('g')}    - matches: [{path: {type: PathPrefix, value: /api/v2}}]\n${to('h')}`));
  const loaded = await loadMesh([dir]);
  const reach = sharedReachability(loaded.mesh, loaded.index, loaded.config);
  assert.equal(reach.splits['x/web']!.rules.map((r) => r.backends[0]!.service), [
    'x/f', // Exact
    'x/d', // the longest prefix: the older route's (zeta has a creationTimestamp); alpha's same match to x/h never matches
    'x/e', 'x/g', 'x/c', // /api: with a method, with a header, plain
    'x/b', // RegularExpression
    'x/a', // no condition
  ]);
  // alpha's /api/v2 rule has the same match as zeta's, which is older: it never matches, and routes nothing.
  assert.equal(loaded.diagnostics.filter((d) => d.code === 'MESH1230').map((d) => d.message), [
    'rule 1 of HTTPRoute x/alpha (match 0) never matches a request to Service x/web: rule 3 of HTTPRoute x/zeta comes first in Gateway API precedence and matches every request it would',
  ]);
});

test('why answers per rule; a request no rule matches gets 404 (no-matching-rule); meshc test passes on the fixture', () => {
  const v2 = why(FIXTURE, 'shop/reviews', '--method', 'GET', '--path', '/v2/1');
  assert.is(v2.allowed, true);
  assert.match(v2.reason, 'HTTPRoute shop/reviews-routes rule 0 (match 0) sends this request to 1 backend(s)');
  assert.is(v2.routing!.split, 'shop/reviews-routes.rule-0', 'JSON routing is the rule that answered');
  const admin = why(FIXTURE, 'shop/reviews', '--method', 'POST', '--path', '/admin');
  assert.match(admin.reason, 'HTTPRoute shop/reviews-admin rule 0');
  // GET /admin misses the POST rule and falls to the catch-all.
  assert.equal(why(FIXTURE, 'shop/reviews', '--method', 'GET', '--path', '/admin').split!.map((s) => s.backend), ['shop/reviews-v1']);
  const canary = why(FIXTURE, 'shop/reviews', '--path', '/x', '--header', 'x-canary=true');
  assert.equal(canary.split!.map((s) => [s.backend, s.weight]), [['shop/reviews-v1', 50], ['canary/reviews-canary', 50]]);
  const none = why(FIXTURE, 'shop/ratings', '--path', '/healthz');
  assert.is(none.allowed, false);
  assert.is(none.denial, 'no-matching-rule');
  assert.match(none.reason, 'no rule of HTTPRoute shop/ratings matches any method /healthz, so it gets 404');
  const beta = why(FIXTURE, 'shop/ratings', '--path', '/ratings/7', '--header', 'x-beta=1');
  assert.equal(beta.split!.map((s) => s.backend), ['shop/ratings-v2']);
  assert.equal(beta.routing!.policy?.request, '2s', 'the rule\'s own timeout');
  const tests = runCli(['test', FIXTURE]);
  assert.is(tests.code, 0, tests.stdout + tests.stderr);
  assert.match(tests.stdout + tests.stderr, '4 passed, 0 failed');
});

test('a backend of one rule that denies the caller: why names the rule, MESH0606 points at that rule\'s backendRef', () => {
  const dir = copy();
  // The canary's TrafficTarget now protects another identity: nobody is admitted to the canary.
  edit(dir, 'policy/access.yaml', 'destination: {kind: ServiceAccount, name: reviews-canary, namespace: canary}', 'destination: {kind: ServiceAccount, name: nobody, namespace: canary}');
  const a = why(dir, 'shop/reviews', '--path', '/x', '--header', 'x-canary=true');
  assert.is(a.allowed, false);
  assert.match(a.reason, '50% of requests go to canary/reviews-canary');
  // Other rules are unaffected.
  assert.is(why(dir, 'shop/reviews', '--path', '/x').allowed, true);
  // Without a request the first rule that denies explains the answer.
  assert.match(why(dir, 'shop/reviews').reason, 'canary/reviews-canary');
  const check = JSON.parse(runCli(['check', '--format', 'json', dir]).stdout) as { diagnostics: { code: string; file: string; line: number }[] };
  const d = check.diagnostics.filter((x) => x.code === 'MESH0606');
  assert.equal(d.map((x) => [x.file.endsWith('routes/reviews.yaml'), x.line]), [[true, 25]]);
});

test('graph: split edges per rule backend, each via its lowered rule', () => {
  const graph = JSON.parse(runCli(['graph', '--format', 'json', FIXTURE]).stdout) as { edges: { kind: string; from: string; to: string; percent?: number; via: string[] }[] };
  const split = graph.edges.filter((e) => e.kind === 'split' && e.from === 'service:shop/reviews').map((e) => [e.to, e.percent, e.via]);
  assert.equal(split, [
    ['service:canary/reviews-canary', 50, ['shop/reviews-routes.rule-1']],
    ['service:shop/reviews-v1', 100, ['shop/reviews-routes.rule-1', 'shop/reviews-routes.rule-2']],
    ['service:shop/reviews-v2', 100, ['shop/reviews-admin.rule-0', 'shop/reviews-routes.rule-0']],
  ]);
});

test('diff: a weight change in one rule and a removed rule show as split changes of that rule', () => {
  const head = copy();
  edit(head, 'routes/ratings.yaml', 'weight: 80', 'weight: 50');
  edit(head, 'routes/ratings.yaml', 'weight: 20', 'weight: 50');
  const r = runCli(['diff', '--format', 'json', FIXTURE, head]);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { gained: unknown[]; lost: unknown[]; splits: { service: string; before: { service: string; percent: number }[]; after: { service: string; percent: number }[] }[] };
  assert.equal(out.splits.map((s) => [s.service, s.before.map((b) => b.percent), s.after.map((b) => b.percent)]), [
    ['shop/ratings shop/ratings.rule-0 match 0', [80, 20], [50, 50]],
  ]);
  assert.equal([out.gained, out.lost], [[], []]);

  const removed = copy();
  edit(removed, 'routes/reviews.yaml', `    - matches:
        - headers: [{name: x-canary, value: "true"}]
      backendRefs:
        - {name: reviews-v1, port: 9080, weight: 50}
        - {name: reviews-canary, namespace: canary, port: 9080, weight: 50}
`, '');
  const d = JSON.parse(runCli(['diff', '--format', 'json', FIXTURE, removed]).stdout) as { splits: { service: string; before: unknown; after: unknown }[] };
  // The catch-all is now rule 1 of the route: the canary rule disappears, and the catch-all moves.
  assert.ok(d.splits.some((s) => s.service === 'shop/reviews shop/reviews-routes.rule-1 match 0' && s.after === null), JSON.stringify(d.splits));
});

test('export --format gateway-api keeps Gateway API input as written: meshc diff finds no change', () => {
  const out = mkdtempSync(join(tmpdir(), 'meshc-grules-'));
  dirs.push(out);
  const e = runCli(['export', '--format', 'gateway-api', FIXTURE, '-o', join(out, 'mesh.yaml')]);
  assert.is(e.code, 0, e.stderr);
  const text = readFileSync(join(out, 'mesh.yaml'), 'utf8');
  assert.equal((text.match(/^kind: HTTPRoute$/gm) ?? []).length, 4, 'the four routes, none rebuilt from a lowered rule');
  assert.not.match(text, /\.rule-\d/);
  const d = runCli(['diff', '--fail-on', 'any', FIXTURE, out]);
  assert.is(d.code, 0, d.stdout + d.stderr);
});

test('export (SMI) and import (DSL) keep the Gateway API routes as written, never as one TrafficSplit per lowered rule: the result checks clean and meshc diff finds no change', () => {
  const out = mkdtempSync(join(tmpdir(), 'meshc-grules-'));
  dirs.push(out);
  const e = runCli(['export', FIXTURE, '-o', join(out, 'mesh.yaml')]);
  assert.is(e.code, 0, e.stderr);
  const text = readFileSync(join(out, 'mesh.yaml'), 'utf8');
  assert.equal((text.match(/^kind: (HTTPRoute|GRPCRoute|ReferenceGrant)$/gm) ?? []).length, (readdirSync(join(FIXTURE, 'routes')).map((f) => readFileSync(join(FIXTURE, 'routes', f), 'utf8')).join('\n').match(/^kind: (HTTPRoute|GRPCRoute|ReferenceGrant)$/gm) ?? []).length);
  assert.not.match(text, /^kind: TrafficSplit$/m);
  assert.not.match(text, /\.rule-\d/);
  const ts = join(out, 'mesh.ts');
  const i = runCli(['import', FIXTURE, '--out', ts]);
  assert.is(i.code, 0, i.stderr);
  assert.not.match(readFileSync(ts, 'utf8'), /trafficSplits|\.rule-\d/);
  for (const head of [join(out, 'mesh.yaml'), ts]) {
    const c = runCli(['check', head]);
    assert.is(c.code, 0, `${head}: ${c.stdout}`);
    const d = runCli(['diff', '--fail-on', 'any', FIXTURE, head]);
    assert.is(d.code, 0, `${head}: ${d.stdout}${d.stderr}`);
  }
});

test('bad input: weights 0 in one rule of several is MESH1203 at that rule; the route is left out', async () => {
  const dir = copy();
  edit(dir, 'routes/ratings.yaml', '{name: ratings-v2, port: 9080}\n      timeouts', '{name: ratings-v2, port: 9080, weight: 0}\n      timeouts');
  const r = runCli(['check', '--format', 'json', dir]);
  assert.is(r.code, 1);
  const d = (JSON.parse(r.stdout) as { diagnostics: { code: string; file: string; line: number }[] }).diagnostics;
  assert.equal(d.map((x) => [x.code, x.file.endsWith('routes/ratings.yaml'), x.line]), [['MESH1203', true, 23]]);
  assert.is(why(dir, 'shop/ratings', '--path', '/healthz').denial, undefined, 'no route left: plain Service traffic');
});

test('still not modelled, each with its reason (MESH1205): consumer routes, routes on one Service for different ports', async () => {
  const dir = copy();
  writeFileSync(join(dir, 'routes/consumer.yaml'), `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reviews-for-canary, namespace: canary}
spec:
  parentRefs: [{group: "", kind: Service, name: reviews, namespace: shop}]
  rules: [{backendRefs: [{name: reviews-canary, port: 9080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: details-admin, namespace: shop}
spec:
  parentRefs: [{group: "", kind: Service, name: details, port: 9090}]
  rules: [{backendRefs: [{name: details-v2, port: 9090}]}]
`);
  const loaded = await loadMesh([dir]);
  const msgs = loaded.diagnostics.filter((d) => d.code === 'MESH1205').map((d) => d.message);
  assert.equal(msgs.length, 2, msgs.join('\n'));
  assert.match(msgs[0]!, 'consumer routes (a parent Service in another namespace applies only to clients in canary');
  assert.match(msgs[1]!, 'routes on Service shop/details that apply to different ports (9080 and 9090)');
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
