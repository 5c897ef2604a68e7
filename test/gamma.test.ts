/**
 * The Gateway API (GAMMA) front end: HTTPRoute/GRPCRoute read into the
 * canonical model, so check, why, graph, test and compile answer for them as
 * for SMI; export --format gateway-api; and meshc diff proving an exported
 * tree routes exactly as its SMI source.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT, runCli } from './helpers/cli.ts';
import { CORPUS, corpusFiles } from './helpers/corpus.ts';
import { check, loadMesh } from '../src/pipeline/check.ts';
import { defaultConfig } from '../src/config/types.ts';
import { exportGatewayApi } from '../src/export/gateway-api.ts';
import { diffTrees } from '../src/diff/index.ts';
import { splitRootKey } from '../src/reach/compute.ts';
import { sharedReachability } from '../src/rules/reach/shared.ts';

const BOOKSTORE = 'fixtures/bookstore';
const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'meshc-gamma-'));
  dirs.push(d);
  return d;
};

const ROUTE = `# Canary: 90% of bookstore traffic to v1, 10% to v2, as a GAMMA route.
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bookstore-split
  namespace: bookstore
spec:
  parentRefs:
    - group: ""
      kind: Service
      name: bookstore
  rules:
    - backendRefs:
        - name: bookstore-v1
          port: 14001
          weight: 90
        - name: bookstore-v2
          port: 14001
          weight: 10
`;

/** The bookstore with its TrafficSplit replaced by `split`. */
function bookstoreWith(split: string): string {
  const dir = temp();
  cpSync(BOOKSTORE, dir, { recursive: true });
  writeFileSync(join(dir, 'policy/split.yaml'), split);
  return dir;
}

function files(dir: string, out: Record<string, string> = {}, base = dir): Record<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) files(full, out, base);
    else out[relative(base, full)] = readFileSync(full, 'utf8');
  }
  return out;
}

test('an HTTPRoute 90/10 answers like the TrafficSplit: check, why (with the route\'s lines), graph, test', () => {
  const dir = bookstoreWith(ROUTE);
  const check = runCli(['check', '--format', 'json', dir]);
  assert.is(check.code, 0, check.stderr);
  assert.equal((JSON.parse(check.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code), ['MESH0305', 'MESH0305']);
  const why = runCli(['why', '--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore:14001', '--format', 'json', dir]);
  assert.is(why.code, 0, why.stderr);
  const answer = JSON.parse(why.stdout) as { allowed: boolean; via: { kind: string; line: number }[]; split: { backend: string; weight: number; allowed: boolean }[] };
  assert.is(answer.allowed, true);
  assert.equal(answer.via.map((v) => [v.kind, v.line]), [['Service', 13], ['HTTPRoute', 11]], 'the split step points at the parentRef name');
  assert.equal(answer.split.map((s) => [s.backend, s.weight, s.allowed]), [['bookstore/bookstore-v1', 90, true], ['bookstore/bookstore-v2', 10, true]]);
  const text = runCli(['why', '--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore:14001', dir]).stdout;
  assert.match(text, /policy\/split\.yaml:14 {2}HTTPRoute bookstore\/bookstore-split {2}backend bookstore\/bookstore-v1, weight 90/);
  const graph = JSON.parse(runCli(['graph', '--format', 'json', dir]).stdout) as { edges: { kind: string; from: string; to: string; percent?: number; via: string[] }[] };
  assert.equal(graph.edges.filter((e) => e.kind === 'split').map((e) => [e.to, e.percent, e.via]), [
    ['service:bookstore/bookstore-v1', 90, ['bookstore/bookstore-split']], ['service:bookstore/bookstore-v2', 10, ['bookstore/bookstore-split']],
  ]);
  const tests = runCli(['test', dir]);
  assert.is(tests.code, 0, tests.stdout + tests.stderr);
});

test('compile: the HTTPRoute tree compiles to the same xDS as the TrafficSplit tree, byte for byte', () => {
  const smiOut = join(temp(), 'out');
  const gammaOut = join(temp(), 'out');
  assert.is(runCli(['compile', BOOKSTORE, '--out', smiOut]).code, 0);
  const r = runCli(['compile', bookstoreWith(ROUTE), '--out', gammaOut]);
  assert.is(r.code, 0, r.stderr);
  const a = files(smiOut);
  const b = files(gammaOut);
  assert.equal(Object.keys(b), Object.keys(a));
  for (const k of Object.keys(a)) assert.is(b[k], a[k], k);
});

test('v1beta1 HTTPRoute; GRPCRoute with a method match and a catch-all rule back to the parent: a split with matches', async () => {
  const dir = temp();
  writeFileSync(join(dir, 'mesh.yaml'), `apiVersion: v1
kind: Service
metadata: {name: echo, namespace: demo}
spec: {selector: {app: echo}, ports: [{name: grpc, port: 50051, appProtocol: grpc}]}
---
apiVersion: v1
kind: Service
metadata: {name: echo-v2, namespace: demo}
spec: {selector: {app: echo, version: v2}, ports: [{name: grpc, port: 50051, appProtocol: grpc}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: echo-canary, namespace: demo}
spec:
  parentRefs: [{group: "", kind: Service, name: echo}]
  rules:
    - matches:
        - method: {service: grpc.testing.EchoTestService, method: Echo}
          headers: [{name: X-Canary, value: "yes"}]
      backendRefs: [{name: echo-v2, port: 50051}]
    - backendRefs: [{name: echo, port: 50051}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: demo}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-v2, namespace: demo}
spec: {selector: {app: web, v: "2"}, ports: [{port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: HTTPRoute
metadata: {name: web-canary, namespace: demo}
spec:
  parentRefs: [{group: "", kind: Service, name: web}]
  rules:
    - matches: [{path: {type: PathPrefix, value: /api/}, method: GET}, {path: {type: Exact, value: /v2.json}}]
      backendRefs: [{name: web-v2, port: 80}]
    - matches: [{path: {value: /}}]
      backendRefs: [{name: web, port: 80}]
`);
  const loaded = await loadMesh([dir]);
  assert.equal(loaded.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message), []);
  const splits = loaded.mesh.trafficSplits.map((s) => [s.meta.kind, s.service, s.backends, s.matches.map((m) => m.name)]);
  assert.equal(splits, [
    ['GRPCRoute', 'echo', [{ service: 'echo-v2', weight: 1 }], ['echo-canary.rule-0']],
    ['HTTPRoute', 'web', [{ service: 'web-v2', weight: 1 }], ['web-canary.rule-0']],
  ]);
  const groups = loaded.mesh.httpRouteGroups.map((g) => [g.meta.name, g.matches.map((m) => [m.pathRegex, m.methods, m.headers])]);
  assert.equal(groups, [
    ['echo-canary.rule-0', [['/grpc\\.testing\\.EchoTestService/Echo$', undefined, [{ name: 'x-canary', value: 'yes' }]]]],
    ['web-canary.rule-0', [['/api(/.*)?$', ['GET'], []], ['/v2\\.json$', undefined, []]]],
  ]);
  // Positions of the lowered objects are the route's fields.
  const at = (o: { meta: { origin: never } }, path: (string | number)[]) => loaded.sources.locate(o.meta.origin, path).line;
  assert.is(at(loaded.mesh.trafficSplits[0]! as never, ['spec', 'backends', 0, 'service']), 20);
  assert.is(at(loaded.mesh.httpRouteGroups[1]! as never, ['spec', 'matches', 1, 'pathRegex']), 39);
});

test('bad input: a schema error in an HTTPRoute at its position; MESH1204 carries the TrafficSplit\'s location; a ReferenceGrant lifts MESH1202', () => {
  const dir = temp();
  writeFileSync(join(dir, 'route.yaml'), ROUTE.replace('    - backendRefs:', '    - backendRef:'));
  const r = runCli(['check', '--format', 'json', dir]);
  assert.is(r.code, 1);
  const d = (JSON.parse(r.stdout) as { diagnostics: { code: string; line: number; column: number }[] }).diagnostics;
  assert.equal(d.map((x) => [x.code, x.line, x.column]), [['MESH0109', 13, 7]]);

  const file = 'fixtures/bad/MESH1204-gamma-route-and-split-same-service.yaml';
  assert.match(runCli(['check', file]).stdout, `${file}:13:13: error MESH1204 HTTPRoute shop/reviews-route and TrafficSplit shop/reviews-split (at ${file}:25) both route Service shop/reviews`);
  const sarif = JSON.parse(runCli(['check', '--format', 'sarif', file]).stdout) as { runs: { results: { ruleId: string; relatedLocations?: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
  const result = sarif.runs[0]!.results.find((x) => x.ruleId === 'MESH1204')!;
  assert.equal(result.relatedLocations!.map((x) => x.physicalLocation.region.startLine), [25]);

  const granted = join(temp(), 'granted.yaml');
  writeFileSync(granted, `${readFileSync('fixtures/bad/MESH1202-gamma-backend-namespace-not-granted.yaml', 'utf8')}---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: shop-routes, namespace: canary}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
  to: [{group: "", kind: Service}]
`);
  const g = runCli(['check', '--format', 'json', granted]);
  // Granted, the backend in another namespace is routed: nothing left to report.
  assert.equal((JSON.parse(g.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((x) => x.code), []);
});

test('a route with two parentRefs to one Service scope (a sectionName naming its only port, and none) is attached once: its rules are not merged with themselves', async () => {
  const dir = temp();
  writeFileSync(join(dir, 'mesh.yaml'), `apiVersion: v1
kind: Service
metadata: {name: backend, namespace: demo}
spec: {ports: [{name: http, port: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: demo}
spec:
  parentRefs:
    - {group: "", kind: Service, name: backend}
    - {group: "", kind: Service, name: backend, sectionName: http}
  rules:
    - matches: [{path: {type: PathPrefix, value: /a}}]
      backendRefs: [{name: backend, port: 8080}]
`);
  const loaded = await loadMesh([dir], { cwd: dir });
  assert.equal(loaded.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code), [], 'no MESH1230 naming the rule as its own shadow');
  assert.equal(sharedReachability(loaded.mesh, loaded.index, loaded.config).splits['demo/backend']!.rules.map((r) => r.split), ['demo/r.backend.rule-0']);
});

test('export --format gateway-api: the bookstore\'s split as an HTTPRoute; meshc diff between the two trees shows no reachability change', () => {
  const out = temp();
  const r = runCli(['export', '--format', 'gateway-api', BOOKSTORE, '-o', join(out, 'mesh.yaml')]);
  assert.is(r.code, 0, r.stderr);
  const text = readFileSync(join(out, 'mesh.yaml'), 'utf8');
  assert.not.match(text, 'kind: TrafficSplit');
  assert.match(text, 'kind: HTTPRoute\nmetadata:\n  name: bookstore-split\n  namespace: bookstore\nspec:\n  parentRefs:\n    - group: ""\n      kind: Service\n      name: bookstore\n  rules:\n    - backendRefs:\n        - name: bookstore-v1\n          port: 14001\n          weight: 90\n');
  assert.match(text, 'kind: TrafficTarget');
  const d = runCli(['diff', '--format', 'json', '--fail-on', 'any', BOOKSTORE, out]);
  assert.is(d.code, 0, d.stdout);
  const diff = JSON.parse(d.stdout) as { gained: unknown[]; lost: unknown[]; splits: unknown[] };
  assert.equal([diff.gained, diff.lost, diff.splits], [[], [], []]);
  // A split whose root Service is not in the input: written without port, with MESH1310.
  const lone = temp();
  writeFileSync(join(lone, 'split.yaml'), readFileSync('fixtures/bookstore/policy/split.yaml', 'utf8'));
  const w = runCli(['export', '--format', 'gateway-api', lone]);
  assert.match(w.stderr, 'MESH1310');
  assert.not.match(w.stdout, 'port:');
  // A root written as an FQDN (OSM resolves bookstore.bookstore.svc.cluster.local to the Service bookstore): the
  // parentRef names the Service itself, with its port; a name with dots would attach the route to nothing.
  const fqdn = temp();
  cpSync(BOOKSTORE, fqdn, { recursive: true });
  const split = join(fqdn, 'policy', 'split.yaml');
  writeFileSync(split, readFileSync(split, 'utf8').replace('service: bookstore\n', 'service: bookstore.bookstore.svc.cluster.local\n'));
  const f = runCli(['export', '--format', 'gateway-api', fqdn]);
  assert.is(f.code, 0, f.stderr);
  assert.not.match(f.stderr, 'MESH1310');
  assert.match(f.stdout, 'kind: Service\n      name: bookstore\n  rules:\n    - backendRefs:\n        - name: bookstore-v1\n          port: 14001\n');
});

/** Services (one port, 80) for every root and backend the splits of `path` name that the file does not declare. */
async function servicesFor(path: string): Promise<string> {
  const { mesh } = await loadMesh([path], { cwd: ROOT });
  const declared = new Set(mesh.services.map((s) => `${s.meta.namespace}/${s.meta.name}`));
  const names = new Set<string>();
  for (const s of mesh.trafficSplits) {
    names.add(splitRootKey(s));
    for (const b of s.backends) names.add(`${b.namespace ?? s.meta.namespace}/${b.service}`);
  }
  return [...names].filter((k) => !declared.has(k)).sort().map((k) => {
    const [namespace, name] = k.split('/');
    return `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {ports: [{name: http, port: 80}]}\n`;
  }).join('---\n');
}

test('export --format gateway-api on the corpus: every file that exports routes exactly as its SMI source (meshc diff finds nothing)', async () => {
  const config = defaultConfig();
  let compared = 0;
  let withSplits = 0;
  let completed = 0;
  for (const file of corpusFiles()) {
    if (!/kind:\s*TrafficSplit/.test(readFileSync(join(CORPUS, file), 'utf8'))) continue;
    // The source as a tree: the file, and the Services its splits name when it does not declare them. A route's backendRefs
    // need the Service port, which an SMI split does not say: without the Service, the export writes them without one
    // (MESH1310), an API server rejects that route, and so does check (MESH0133).
    const source = temp();
    cpSync(join(CORPUS, file), join(source, 'source.yaml'));
    const alone = await exportGatewayApi([source], config, ROOT);
    if (alone.text === undefined) continue; // inputs with errors are not exported (meshc check reports them)
    if (alone.diagnostics.some((d) => d.code === 'MESH1310')) {
      const portless = temp();
      writeFileSync(join(portless, 'exported.yaml'), alone.text);
      const checked = await check([portless], { cwd: portless });
      assert.ok(checked.diagnostics.some((d) => d.code === 'MESH0133' && /Must have port for Service reference/.test(d.message)), `${file}: check refuses what the export warned about`);
      writeFileSync(join(source, 'services.yaml'), await servicesFor(join(source, 'source.yaml')));
      completed++;
    }
    const exported = await exportGatewayApi([source], config, ROOT);
    assert.ok(exported.text !== undefined, file);
    assert.equal(exported.diagnostics.filter((d) => d.code === 'MESH1310'), [], `${file}: every root Service has one port now`);
    const dir = temp();
    writeFileSync(join(dir, 'exported.yaml'), exported.text!);
    const { diff, incomplete } = await diffTrees([source], [dir]);
    assert.equal(incomplete, [], file);
    assert.equal({ gained: diff.gained, lost: diff.lost, splits: diff.splits }, { gained: [], lost: [], splits: [] }, file);
    compared++;
    if (/kind: HTTPRoute/.test(exported.text!)) withSplits++;
  }
  assert.ok(compared >= 10 && withSplits >= 10, `compared ${compared} corpus files, ${withSplits} with routes (${completed} with Services added)`);
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
