/**
 * Hostile inputs through YAML and the real model builder: split cycles of
 * any length, a split with 10,000 backends, regexes that backtrack
 * catastrophically in JavaScript, unusual but legal labels.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, loadMesh } from '../../src/pipeline/check.ts';
import { computeReachability } from '../../src/reach/index.ts';
import { ReachQuery } from '../../src/reach/query.ts';
import { runCli } from '../helpers/cli.ts';

async function fromYaml(yaml: string) {
  const loaded = await loadMesh(['-'], { readStdin: async () => Buffer.from(yaml) });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.map((d) => `${d.code} ${d.message}`), [], 'the input loads');
  const reach = computeReachability(loaded.mesh, loaded.index, loaded.config);
  return { loaded, reach, query: new ReachQuery(reach, loaded.index) };
}

const svc = (ns: string, name: string, labels: Record<string, string>, port = 80) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: ${JSON.stringify(labels)}\n  ports: [{port: ${port}}]\n`;
const deploy = (ns: string, name: string, labels: Record<string, string>, sa: string | null) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {matchLabels: ${JSON.stringify(labels)}}\n  template:\n    metadata: {labels: ${JSON.stringify(labels)}}\n    spec:\n${sa ? `      serviceAccountName: ${sa}\n` : ''}      containers: [{name: c, image: i}]\n`;
const allTcp = (ns: string) => `apiVersion: specs.smi-spec.io/v1alpha4\nkind: TCPRoute\nmetadata: {name: all, namespace: ${ns}}\nspec:\n  matches: {ports: []}\n`;
const target = (ns: string, name: string, dest: string, sources: string[], rule = 'kind: TCPRoute, name: all') =>
  `apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  destination: {kind: ServiceAccount, name: ${dest}, namespace: ${ns}}\n  rules: [{${rule}}]\n  sources: [${sources.map((s) => `{kind: ServiceAccount, name: ${s}, namespace: ${ns}}`).join(', ')}]\n`;
const split = (ns: string, name: string, root: string, backends: [string, number][]) =>
  `apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  service: ${root}\n  backends:\n${backends.map(([b, w]) => `    - {service: ${b}, weight: ${w}}`).join('\n')}\n`;

test('split cycles of length 1, 2, 3 and 50: reachability, why, lint and graph terminate', async () => {
  for (const n of [1, 2, 3, 50]) {
    const names = Array.from({ length: n }, (_, i) => `s${i}`);
    const docs = [allTcp('c'), deploy('c', 'client', { app: 'client' }, 'client')];
    names.forEach((name, i) => {
      docs.push(svc('c', name, { app: name }), deploy('c', name, { app: name }, name), target('c', name, name, ['client']));
      docs.push(split('c', name, name, [[names[(i + 1) % n]!, 1]]));
    });
    const yaml = docs.join('---\n');
    const { reach, query } = await fromYaml(yaml);
    assert.is(Object.keys(reach.splits).length, n);
    const a = query.why({ from: 'c/client', to: 'c/s0' });
    assert.ok(a.ok && a.answer.allowed && a.answer.split!.length === 1, `cycle of ${n}`);
    const checked = await check(['-'], { readStdin: async () => Buffer.from(yaml) });
    if (n > 1) assert.ok(checked.diagnostics.some((d) => d.code === 'MESH0412'), 'the split rules report the cycle');
  }
});

test('a split with 10,000 backends: computed, answered and linted; half the traffic denied', async () => {
  const n = 10_000;
  const docs = [allTcp('x'), deploy('x', 'client', { app: 'client' }, 'client'), svc('x', 'root', { tier: 'backend' })];
  const backends: [string, number][] = [];
  for (let i = 0; i < n; i++) {
    docs.push(svc('x', `b${i}`, { app: `b${i}` }), deploy('x', `b${i}`, { app: `b${i}`, tier: 'backend' }, `b${i}`));
    if (i % 2 === 0) docs.push(target('x', `t${i}`, `b${i}`, ['client']));
    backends.push([`b${i}`, 1]);
  }
  docs.push(split('x', 'big', 'root', backends));
  const yaml = docs.join('---\n');
  const { reach, query } = await fromYaml(yaml);
  const root = reach.outbound['x/client']!.find((p) => p.service === 'x/root')!;
  assert.is(root.split!.rules[0]!.totalWeight, n);
  assert.is(root.split!.rules[0]!.allowedWeight, n / 2);
  const a = query.why({ from: 'x/client', to: 'x/root' });
  assert.ok(a.ok && !a.answer.allowed);
  if (a.ok) assert.is(a.answer.reason, 'x/client → x/root: 50% of requests go to 5000 backends (x/b1, x/b3, x/b5 and 4997 more) that do not admit x/client (the other 50% are allowed)');
  const checked = await check(['-'], { readStdin: async () => Buffer.from(yaml) });
  const findings = checked.diagnostics.filter((d) => d.code === 'MESH0606');
  assert.is(findings.length, n / 2);
  assert.is(findings[0]!.message, 'x/client → x/root: 0.01% of requests go to x/b1, whose identity does not allow x/client');
});

test('regexes that backtrack catastrophically in JavaScript: linear under RE2, through why on the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-redos-'));
  try {
    const group = `apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: g, namespace: r}\nspec:\n  matches:\n    - name: evil\n      pathRegex: "/(a+)+$"\n      headers: {x-evil: "(x+x+)+y"}\n`;
    writeFileSync(join(dir, 'mesh.yaml'), [svc('r', 'api', { app: 'api' }), deploy('r', 'api', { app: 'api' }, 'api'), deploy('r', 'c', { app: 'c' }, 'c'), group,
      target('r', 't', 'api', ['c'], 'kind: HTTPRouteGroup, name: g')].join('---\n'));
    const path = `/${'a'.repeat(30_000)}!`;
    const r = runCli(['why', '--from', 'r/c', '--to', 'r/api', '--path', path, '--header', `x-evil=${'x'.repeat(30_000)}`, '--format', 'json', dir]);
    assert.is(r.code, 0, r.stderr.slice(0, 500));
    assert.is(JSON.parse(r.stdout).allowed, false);
    const ok = runCli(['why', '--from', 'r/c', '--to', 'r/api', '--path', `/${'a'.repeat(30_000)}`, '--header', 'x-evil=xxxy', '--format', 'json', dir]);
    assert.is(JSON.parse(ok.stdout).allowed, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('regexes nesting 20,000 groups (valid RE2): check, why and test answer instead of overflowing the stack; shallow ones are still analysed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-deep-regex-'));
  try {
    const n = 20_000;
    const deep = `/${'(?:b|'.repeat(n)}books${')'.repeat(n)}`;
    const deepQ = `/${'('.repeat(n)}a\\\\?q${')'.repeat(n)}`;
    const group = `apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: g, namespace: r}\nspec:\n  matches:\n`
      + `    - name: deep\n      pathRegex: "${deep}"\n      methods: [GET]\n`
      + `    - name: deep-q\n      pathRegex: "${deepQ}"\n      methods: [GET]\n`
      + `    - name: shallow\n      pathRegex: "/shallow"\n      methods: [GET]\n`;
    const tests = `apiVersion: meshc.dev/v1alpha1\nkind: ReachabilityTest\nmetadata: {name: deep, namespace: r}\nspec:\n  cases:\n    - {from: c, to: api, request: {method: GET, path: /books/1}, expect: allow}\n    - {from: c, to: api, request: {method: GET, path: /nope}, expect: deny}\n`;
    writeFileSync(join(dir, 'mesh.yaml'), [svc('r', 'api', { app: 'api' }), deploy('r', 'api', { app: 'api' }, 'api'), deploy('r', 'c', { app: 'c' }, 'c'), group,
      target('r', 't', 'api', ['c'], 'kind: HTTPRouteGroup, name: g, matches: [deep, deep-q, shallow]'), tests].join('---\n'));
    const c = runCli(['check', '--format', 'json', dir]);
    assert.is(c.code, 0, c.stderr.slice(0, 500));
    const found = (JSON.parse(c.stdout) as { diagnostics: { code: string; message: string }[] }).diagnostics.map((d) => `${d.code} ${d.message.slice(0, 30)}`);
    // Only the shallow pattern is judged (MESH0305); the deep ones are not guessed at (no MESH0305, no MESH0311).
    assert.equal(found, ['MESH0305 pathRegex "/shallow" admits di']);
    const w = runCli(['why', '--from', 'r/c', '--to', 'r/api', '--method', 'GET', '--path', '/books/1', '--format', 'json', dir]);
    assert.is(w.code, 0, w.stderr.slice(0, 500));
    assert.is(JSON.parse(w.stdout).allowed, true);
    const t = runCli(['test', dir]);
    assert.is(t.code, 0, t.stderr.slice(0, 500));
    assert.match(t.stderr, '2 passed, 0 failed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unusual but legal labels: prefixed keys, empty values, dots, dashes, underscores, long names', async () => {
  const labels = { 'app.kubernetes.io/name': 'shop', 'example.com/empty': '', 'a_b-c.d': 'Z-9_z.1', [`${'k'.repeat(63)}`]: 'v'.repeat(63) };
  const yaml = [
    svc('l', 'shop', labels), deploy('l', 'shop', labels, null),
    deploy('l', 'near-miss', { ...labels, 'example.com/empty': 'x' }, 'other'),
    deploy('l', 'client', { app: 'client' }, 'client'), allTcp('l'), target('l', 't', 'default', ['client']),
  ].join('---\n');
  const { reach, query } = await fromYaml(yaml);
  assert.equal(reach.services['l/shop']!.identities, ['l/default']);
  assert.equal(reach.services['l/shop']!.workloads, ['l/Deployment/shop']);
  const a = query.why({ from: 'l/client', to: 'l/shop' });
  assert.ok(a.ok && a.answer.allowed);
});

test.run();
