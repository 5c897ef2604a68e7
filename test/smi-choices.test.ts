/**
 * The 23 open points of SMI (smi.md section 4), each proved end to end through
 * the built CLI on small manifests written here: what `check` reports (code,
 * line, column), what `why` answers and what `compile` emits. The choices are
 * documented in docs/smi-choices.md; test names start with the point number.
 *
 * Where two stages disagree today, the disagreeing half is left out with a
 * comment "NOT ASSERTED" (reported to the lead); the rest is asserted.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';

// ---------------------------------------------------------------- harness

const TMP = mkdtempSync(join(tmpdir(), 'meshc-smi-choices-'));
test.after(() => rmSync(TMP, { recursive: true, force: true }));

interface Diag { code: string; severity: string; message: string; file: string | null; line: number | null; column: number | null }
interface WhyResult { allowed: boolean; reason: string; via: { kind: string; name: string }[]; split?: { backend: string; weight: number; allowed: boolean; allows?: unknown }[] }
/** The verdict per backend, without the requests each allows (test/why.test.ts covers those). */
const verdicts = (split: WhyResult['split']) => split?.map(({ allows: _allows, ...v }) => v);

/** Writes the files into a fresh directory named after the case; returns it. */
function mesh(name: string, files: Record<string, string>): string {
  const dir = join(TMP, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

/** `meshc check . --format json` inside dir: file names in findings are relative to it. */
function check(dir: string, ...flags: string[]): { code: number; diags: Diag[] } {
  const r = runCli(['check', '.', '--format', 'json', ...flags], { cwd: dir });
  assert.ok(r.stdout.startsWith('{'), `check printed no JSON (exit ${r.code}): ${r.stderr}`);
  return { code: r.code, diags: (JSON.parse(r.stdout) as { diagnostics: Diag[] }).diagnostics };
}

/** `meshc why … --format json` inside dir; meshc always answers with exit 0. */
function why(dir: string, ...args: string[]): WhyResult {
  const r = runCli(['why', ...args, '--format', 'json', '.'], { cwd: dir });
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as WhyResult;
}
const fromWebToApi = (dir: string, ...args: string[]) => why(dir, '--from', 'shop/web', '--to', 'shop/api:8080', ...args);

interface Compiled { code: number; diags: Diag[]; written: boolean; stderr: string; json(node: string, kind: 'routes' | 'listeners' | 'clusters'): unknown }

/** `meshc compile . --out <dir>.out --format json` inside dir. */
function compile(dir: string, ...flags: string[]): Compiled {
  const out = `${dir}.out`;
  rmSync(out, { recursive: true, force: true });
  const r = runCli(['compile', '.', '--out', out, '--format', 'json', '--review-json', ...flags], { cwd: dir });
  const diags = r.stdout.startsWith('{') ? (JSON.parse(r.stdout) as { diagnostics: Diag[] }).diagnostics : [];
  return {
    code: r.code, diags, stderr: r.stderr, written: existsSync(join(out, 'manifest.json')),
    json: (node, kind) => JSON.parse(readFileSync(join(out, 'nodes', node, `${kind}.json`), 'utf8')),
  };
}

interface Route { name?: string; match: Record<string, unknown> & { headers?: { name: string; string_match?: { safe_regex?: { regex: string } } }[] }; route: { cluster?: string; weighted_clusters?: { clusters: { name: string; weight: number }[]; total_weight?: number } } }

/** The routes of one virtual host in a node's routes.json. */
function vhostRoutes(c: Compiled, node: string, vhost: string): Route[] {
  const doc = c.json(node, 'routes') as { resources: { virtual_hosts?: { name: string; routes?: Route[] }[] }[] };
  const vh = doc.resources.flatMap((r) => r.virtual_hosts ?? []).find((v) => v.name === vhost);
  assert.ok(vh, `no virtual host ${vhost} in ${node}`);
  return vh.routes ?? [];
}

/** Every value under key `key`, anywhere in a JSON tree. */
function findAll(tree: unknown, key: string): unknown[] {
  const out: unknown[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === key) out.push(x);
        walk(x);
      }
    }
  };
  walk(tree);
  return out;
}

/** 1-based line and column of the first occurrence of needle in text. */
function pos(text: string, needle: string, nth = 0): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `"${needle}" not in the manifest`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const show = (ds: Diag[]) => ds.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`).join('\n') || '(no findings)';

/** The one finding with this code (optionally in file at line[:column]); fails listing all findings otherwise. */
function finding(ds: Diag[], code: string, at?: { file: string; line: number; column?: number }): Diag {
  const hits = ds.filter((d) => d.code === code && (!at || (d.file === at.file && d.line === at.line && (at.column === undefined || d.column === at.column))));
  assert.is(hits.length, 1, `expected one ${code}${at ? ` at ${at.file}:${at.line}:${at.column ?? ''}` : ''}, got:\n${show(ds)}`);
  return hits[0]!;
}
const codes = (ds: Diag[]) => ds.map((d) => d.code).sort();
const noFinding = (ds: Diag[], code: string) => assert.not.ok(ds.some((d) => d.code === code), `unexpected ${code}:\n${show(ds)}`);

// ---------------------------------------------------------------- manifests

const WORKLOAD = (name: string, account: string, labels: string, port?: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {${labels}}}
  template:
    metadata: {labels: {${labels}}}
    spec:
      serviceAccountName: ${account}
      containers: [{name: app, image: app:1${port ? `, ports: [{containerPort: ${port}}]` : ''}}]
`;
const ACCOUNT = (name: string) => `apiVersion: v1
kind: ServiceAccount
metadata: {name: ${name}, namespace: shop}
`;
const SERVICE = (name: string, selector: string | null, ports = '[{name: http, port: 8080}]') => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
${selector === null ? '' : `  selector: {${selector}}\n`}  ports: ${ports}
`;
const docs = (...d: string[]) => d.join('---\n');

/** A client (web) and a server (api, Service port 8080 named http) in namespace shop; no policy. */
const APPS = docs(ACCOUNT('web'), ACCOUNT('api'), WORKLOAD('web', 'web', 'app: web'), WORKLOAD('api', 'api', 'app: api', 8080), SERVICE('api', 'app: api'));

/** HTTPRouteGroup shop/routes; `matches` are list items indented by four spaces. */
const ROUTES = (matches: string) => `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: routes, namespace: shop}
spec:
  matches:
${matches}`;

/** TrafficTarget shop/api: destination api, source web, the given rules (flow YAML). */
const TARGET = (rules: string, name = 'api') => `apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: ${name}, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules: ${rules}
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
`;

const ALL_PORTS = `apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: all, namespace: shop}
spec: {matches: {ports: []}}
`;

/**
 * A canary: root Service api (selecting both versions), backends api-v1 and
 * api-v2; web may reach identity api on every port. Options change the v2
 * backend: the identity it runs as, its Service ports, the root's selector.
 */
function splitApps(o: { v2Account?: string; v2Ports?: string; rootSelector?: boolean } = {}): string {
  const v2Account = o.v2Account ?? 'api';
  return docs(
    ACCOUNT('web'), ACCOUNT('api'), ...(v2Account !== 'api' ? [ACCOUNT(v2Account)] : []),
    WORKLOAD('web', 'web', 'app: web'),
    WORKLOAD('api-v1', 'api', 'app: api, version: v1', 8080),
    WORKLOAD('api-v2', v2Account, 'app: api, version: v2', 8080),
    SERVICE('api', o.rootSelector === false ? null : 'app: api'),
    SERVICE('api-v1', 'app: api, version: v1'),
    SERVICE('api-v2', 'app: api, version: v2', o.v2Ports),
    ALL_PORTS,
    TARGET('[{kind: TCPRoute, name: all}]'),
  );
}

const SPLIT = (backends: string, o: { name?: string; root?: string; version?: string; extra?: string } = {}) => `apiVersion: split.smi-spec.io/${o.version ?? 'v1alpha4'}
kind: TrafficSplit
metadata: {name: ${o.name ?? 'canary'}, namespace: shop}
spec:
  service: ${o.root ?? 'api'}
${o.extra ?? ''}  backends:
${backends}`;
const BACKENDS_90_10 = '    - {service: api-v1, weight: 90}\n    - {service: api-v2, weight: 10}\n';

const WEB = 'shop_deployment_web';
const API = 'shop_deployment_api';
const ROOT_VHOST = 'shop/api|8080';
const INBOUND_VHOST = 'inbound|8080';

// ---------------------------------------------------------------- 1–8: HTTPRouteGroup and TrafficTarget

test('smi#1 pathRegex anchoring: why anchors at the start only, check flags regexes whose readings differ', () => {
  const policy = docs(ROUTES(`    - {name: api, pathRegex: /api, methods: [GET]}
    - {name: either, pathRegex: "/a|/b", methods: [PUT]}
    - {name: open, pathRegex: "/open/.*", methods: [GET]}
    - {name: exact, pathRegex: "/exact$", methods: [GET]}
`), TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [api, either, open, exact]}]'));
  const dir = mesh('p1-why', { 'apps.yaml': APPS, 'policy.yaml': policy });

  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  // Info, not warning: the regex is fine, only the two readings differ.
  const info = finding(c.diags, 'MESH0305', { file: 'policy.yaml', ...pos(policy, '/api,') });
  assert.is(info.severity, 'info');
  assert.match(info.message, 'end it with ".*" or "$"');
  finding(c.diags, 'MESH0305', { file: 'policy.yaml', ...pos(policy, '"/a|/b"') });
  assert.is(c.diags.filter((d) => d.code === 'MESH0305').length, 2, 'regexes ending in .* or $ are not reported');

  // Start-anchored: a longer path is admitted, a path with a prefix is not.
  assert.is(fromWebToApi(dir, '--method', 'GET', '--path', '/api/books').allowed, true);
  assert.is(fromWebToApi(dir, '--method', 'GET', '--path', '/api').allowed, true);
  assert.is(fromWebToApi(dir, '--method', 'GET', '--path', '/x/api').allowed, false);
  // The anchor covers the whole alternation: ^(?:/a|/b), not ^/a|/b.
  assert.is(fromWebToApi(dir, '--method', 'PUT', '--path', '/b/x').allowed, true);
  const alt = fromWebToApi(dir, '--method', 'PUT', '--path', '/x/b');
  assert.is(alt.allowed, false);
  assert.match(alt.reason, 'path /x/b does not match ^(?:/a|/b)', 'the anchor is shown over the whole alternation');
  // `$` pins the end.
  assert.is(fromWebToApi(dir, '--method', 'GET', '--path', '/exact/more').allowed, false);
  const denied = fromWebToApi(dir, '--method', 'GET', '--path', '/x/api');
  assert.match(denied.reason, 'path /x/api does not match ^/api');
});

test('smi#1 pathRegex anchoring: compile emits the start-anchored reading as Envoy safe_regex (?:RE).* in routes and RBAC', () => {
  const policy = docs(ROUTES(`    - {name: api, pathRegex: /api, methods: [GET]}
    - {name: exact, pathRegex: "/exact$", methods: [GET]}
`), TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [api, exact]}]'));
  const dir = mesh('p1-compile', { 'apps.yaml': APPS, 'policy.yaml': policy });
  const c = compile(dir);
  assert.is(c.code, 0, c.stderr);
  const routes = vhostRoutes(c, API, INBOUND_VHOST);
  assert.equal(routes.map((r) => r.match.safe_regex).sort(), [{ regex: '(?:/api).*' }, { regex: '(?:/exact$).*' }]);
  // RBAC permissions use the same regex on url_path, so routing and access agree.
  const urlPaths = findAll(c.json(API, 'listeners'), 'url_path').map((u) => findAll(u, 'regex')[0]).sort();
  assert.equal(urlPaths, ['(?:/api).*', '(?:/exact$).*']);
});

test('smi#2 query string: never part of the path, in why and in the compiled path matchers', () => {
  const policy = docs(ROUTES('    - {name: exact, pathRegex: "/api$", methods: [GET]}\n'), TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [exact]}]'));
  const dir = mesh('p2', { 'apps.yaml': APPS, 'policy.yaml': policy });
  assert.is(fromWebToApi(dir, '--method', 'GET', '--path', '/api?page=2').allowed, true);
  assert.is(fromWebToApi(dir, '--method', 'GET', '--path', '/api#top').allowed, true);
  assert.is(fromWebToApi(dir, '--method', 'GET', '--path', '/api/x?page=2').allowed, false);
  const c = compile(dir);
  assert.is(c.code, 0, c.stderr);
  // A route path matcher (query excluded by Envoy), never a `:path` header matcher (which would include it).
  const [route] = vhostRoutes(c, API, INBOUND_VHOST);
  assert.equal(route!.match.safe_regex, { regex: '(?:/api$).*' });
  assert.not.ok((route!.match.headers ?? []).some((h) => h.name === ':path'));
  assert.is(findAll(c.json(API, 'listeners'), 'url_path').length, 1, 'RBAC matches url_path (path without query)');

  // A pathRegex that can only match across a literal "?" never admits anything: check warns (MESH0311), why agrees.
  const query = docs(ROUTES('    - {name: search, pathRegex: "/search\\\\?q=.*", methods: [GET]}\n'), TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [search]}]'));
  const qdir = mesh('p2-query', { 'apps.yaml': APPS, 'policy.yaml': query });
  const q = check(qdir);
  const w = finding(q.diags, 'MESH0311', { file: 'policy.yaml', ...pos(query, '"/search') });
  assert.is(w.severity, 'warning');
  assert.match(w.message, 'pathRegex "/search\\\\?q=.*" of match "search" requires a literal "?", but the path never contains the query string, so it can never match: match the path alone (for example "/search")');
  assert.is(fromWebToApi(qdir, '--method', 'GET', '--path', '/search?q=shoes').allowed, false);
});

test('smi#3 regex flavour: RE2 everywhere — invalid RE2 is an error, RE2-only syntax is accepted, no backtracking', () => {
  const bad = ROUTES(`    - {name: look, pathRegex: "/a(?=b)"}
    - {name: backref, pathRegex: "/x/.*", headers: {x-id: "(a)\\\\1"}}
`);
  const badDir = mesh('p3-bad', { 'apps.yaml': APPS, 'policy.yaml': bad });
  const c = check(badDir);
  assert.is(c.code, 1);
  const look = finding(c.diags, 'MESH0303', { file: 'policy.yaml', ...pos(bad, '"/a(?=b)"') });
  assert.match(look.message, 'invalid perl operator: (?=');
  assert.match(finding(c.diags, 'MESH0303', { file: 'policy.yaml', line: pos(bad, 'x-id').line }).message, 'header "x-id"');
  const refused = compile(badDir);
  assert.is(refused.code, 1);
  assert.is(refused.written, false, 'nothing is compiled from an invalid regex');

  const good = docs(ROUTES(`    - {name: named, pathRegex: "/items/(?P<id>[0-9]+)$", methods: [GET]}
    - {name: letters, pathRegex: "/[[:alpha:]]+/\\\\pL+$", methods: [PUT]}
    - {name: slow, pathRegex: "/(a+)+$", methods: [POST]}
`), TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [named, letters, slow]}]'));
  const dir = mesh('p3-good', { 'apps.yaml': APPS, 'policy.yaml': good });
  const ok = check(dir);
  assert.is(ok.code, 0, show(ok.diags));
  noFinding(ok.diags, 'MESH0303');
  assert.is(fromWebToApi(dir, '--method', 'GET', '--path', '/items/42').allowed, true);
  assert.is(fromWebToApi(dir, '--method', 'PUT', '--path', '/abc/déf').allowed, true);
  // Catastrophic for a backtracking engine; RE2 answers in linear time (a hang would hit runCli's timeout).
  assert.is(fromWebToApi(dir, '--method', 'POST', '--path', `/${'a'.repeat(5000)}!`).allowed, false);
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  const regexes = vhostRoutes(compiled, API, INBOUND_VHOST).map((r) => (r.match.safe_regex as { regex: string }).regex).sort();
  assert.equal(regexes, ['(?:/(a+)+$).*', '(?:/[[:alpha:]]+/\\pL+$).*', '(?:/items/(?P<id>[0-9]+)$).*']);
});

test('smi#4 methods: "*" is every method; lists are de-duplicated and compiled to one :method regex', () => {
  const policy = docs(ROUTES(`    - {name: star, pathRegex: "/star/.*", methods: [GET, "*"]}
    - {name: two, pathRegex: "/two/.*", methods: [HEAD, GET, GET]}
    - {name: empty, pathRegex: "/empty/.*", methods: []}
`), TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [star, two, empty]}]'));
  const dir = mesh('p4', { 'apps.yaml': APPS, 'policy.yaml': policy });
  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  assert.match(finding(c.diags, 'MESH0308', { file: 'policy.yaml', line: pos(policy, 'name: star').line }).message, '"*" already allows every method');
  assert.match(finding(c.diags, 'MESH0330', { file: 'policy.yaml', line: pos(policy, 'name: two').line }).message, 'list GET more than once');
  const empty = finding(c.diags, 'MESH0309', { file: 'policy.yaml', line: pos(policy, 'name: empty').line });
  assert.is(empty.severity, 'warning');

  assert.is(fromWebToApi(dir, '--method', 'DELETE', '--path', '/star/x').allowed, true);
  assert.is(fromWebToApi(dir, '--method', 'HEAD', '--path', '/two/x').allowed, true);
  assert.is(fromWebToApi(dir, '--method', 'POST', '--path', '/two/x').allowed, false);
  // `methods: []` is every method, as MESH0309 says: why and compile agree (below).
  const patch = fromWebToApi(dir, '--method', 'PATCH', '--path', '/empty/x');
  assert.is(patch.allowed, true, patch.reason);
  assert.match(patch.reason, 'match empty');

  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  const byPath = new Map(vhostRoutes(compiled, API, INBOUND_VHOST).map((r) => [(r.match.safe_regex as { regex: string }).regex, r]));
  const methodOf = (path: string) => byPath.get(path)!.match.headers?.find((h) => h.name === ':method')?.string_match?.safe_regex?.regex;
  assert.is(methodOf('(?:/two/.*).*'), 'GET|HEAD', 'sorted, de-duplicated, one route');
  assert.is(methodOf('(?:/star/.*).*'), undefined, '"*" = no method condition');
  assert.is(methodOf('(?:/empty/.*).*'), undefined, '[] = no method condition');
  // The RBAC permission of the empty list has no :method condition either (the same PATCH passes).
  const rbacMethods = findAll(compiled.json(API, 'listeners'), 'header').filter((h) => (h as { name: string }).name === ':method');
  assert.equal(rbacMethods.map((h) => findAll(h, 'regex')[0]), ['GET|HEAD'], 'only the two-method match restricts methods');
});

test('smi#5 header-only matches: valid (warning MESH0306), they admit any path and method with the headers', () => {
  const policy = docs(ROUTES(`    - name: android
      headers: {user-agent: ".*Android.*"}
`), TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [android]}]'));
  const dir = mesh('p5', { 'apps.yaml': APPS, 'policy.yaml': policy });
  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  const w = finding(c.diags, 'MESH0306', { file: 'policy.yaml', line: pos(policy, 'name: android').line });
  assert.is(w.severity, 'warning');
  assert.is(fromWebToApi(dir, '--method', 'DELETE', '--path', '/any/where', '--header', 'user-agent=Mozilla (Android 14)').allowed, true);
  assert.is(fromWebToApi(dir, '--method', 'DELETE', '--path', '/any/where').allowed, false);
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  const [route] = vhostRoutes(compiled, API, INBOUND_VHOST);
  assert.is(route!.match.prefix, '/');
  assert.equal(route!.match.headers, [{ name: 'user-agent', string_match: { safe_regex: { regex: '.*Android.*' } } }]);
});

test('smi#6 HTTP without a TCPRoute: an HTTPRouteGroup rule alone admits HTTP, a TCPRoute alone admits HTTP too', () => {
  const httpOnly = mesh('p6-http', {
    'apps.yaml': APPS,
    'policy.yaml': docs(ROUTES('    - {name: read, pathRegex: "/read/.*", methods: [GET]}\n'), TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [read]}]')),
  });
  assert.is(check(httpOnly).code, 0);
  assert.is(fromWebToApi(httpOnly, '--method', 'GET', '--path', '/read/1').allowed, true);
  assert.is(fromWebToApi(httpOnly, '--method', 'POST', '--path', '/read/1').allowed, false);

  const tcpOnly = mesh('p6-tcp', { 'apps.yaml': APPS, 'policy.yaml': docs(ALL_PORTS, TARGET('[{kind: TCPRoute, name: all}]')) });
  const c = check(tcpOnly);
  assert.equal(c.diags, [], show(c.diags));
  const r = fromWebToApi(tcpOnly, '--method', 'POST', '--path', '/anything');
  assert.is(r.allowed, true);
  assert.match(r.reason, 'through TCPRoute shop/all (all ports)');
  const compiled = compile(tcpOnly);
  assert.is(compiled.code, 0, compiled.stderr);
  const policies = findAll(compiled.json(API, 'listeners'), 'policies')[0] as Record<string, { permissions: unknown[] }>;
  assert.equal(Object.values(policies).map((p) => p.permissions), [[{ any: true }]], 'a TCPRoute rule admits every request');
  assert.equal(vhostRoutes(compiled, API, INBOUND_VHOST).map((x) => x.match), [{ prefix: '/' }]);
});

test('smi#6 an HTTPRouteGroup rule on a port compiled as plain TCP admits nothing: check says so at the rule, why and compile agree', () => {
  const apps = APPS.replace('ports: [{name: http, port: 8080}]', 'ports: [{name: tcp-raw, port: 8080}]');
  const policy = docs(ROUTES('    - {name: read, pathRegex: "/read/.*", methods: [GET]}\n'), TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [read]}]'));
  const dir = mesh('p6-tcp-port', { 'apps.yaml': apps, 'policy.yaml': policy });
  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  const w = finding(c.diags, 'MESH0607', { file: 'policy.yaml', ...pos(policy, '{kind: HTTPRouteGroup') });
  assert.is(w.severity, 'warning');
  assert.match(w.message, 'can never apply to port 8080 of Service shop/api, which is plain TCP by its name tcp-raw: name it http-… (or grpc-…) or set appProtocol: http, or grant it with a TCPRoute');
  noFinding(c.diags, 'MESH0603');
  const denied = fromWebToApi(dir, '--method', 'GET', '--path', '/read/1');
  assert.is(denied.allowed, false);
  assert.match(denied.reason, 'cannot apply to port 8080 of shop/api, which is plain TCP by its name tcp-raw');
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  assert.match(compiled.stderr, '0 allowed edge(s)');
  noFinding(compiled.diags, 'MESH0859');
  assert.not.ok(findAll(compiled.json(WEB, 'clusters'), 'name').includes('shop/api|8080'), 'web gets no route to api');
  assert.equal(findAll(compiled.json(API, 'listeners'), 'principal_name'), [], 'api admits nobody on 8080');

  // Declared as HTTP (appProtocol wins over the name), the same rule applies everywhere.
  const http = mesh('p6-tcp-port-app', { 'apps.yaml': apps.replace('{name: tcp-raw, port: 8080}', '{name: tcp-raw, port: 8080, appProtocol: http}'), 'policy.yaml': policy });
  noFinding(check(http).diags, 'MESH0607');
  assert.is(fromWebToApi(http, '--method', 'GET', '--path', '/read/1').allowed, true);
  const ok = compile(http);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, '1 allowed edge(s)');
  assert.equal(vhostRoutes(ok, API, INBOUND_VHOST).map((r) => r.name), ['shop/routes/read']);
});

test('smi#7 header semantics: full-match RE2 values, AND-ed, case-insensitive names, host = :authority', () => {
  const policy = docs(ROUTES(`    - name: beta
      pathRegex: "/b/.*"
      headers:
        User-Agent: ".*Android.*"
        x-beta: "yes|true"
    - name: hosted
      pathRegex: "/h/.*"
      headers: {host: "api\\\\.example\\\\.com"}
    - name: listed
      pathRegex: "/l/.*"
      headers:
        - x-env: prod
        - x-team: "blue|green"
`), TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [beta, hosted, listed]}]'));
  const dir = mesh('p7', { 'apps.yaml': APPS, 'policy.yaml': policy });
  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  assert.match(finding(c.diags, 'MESH0310', { file: 'policy.yaml', ...pos(policy, 'host:') }).message, ':authority');

  const ask = (path: string, ...headers: string[]) => fromWebToApi(dir, '--path', path, ...headers.flatMap((h) => ['--header', h])).allowed;
  assert.is(ask('/b/1', 'user-agent=Mozilla Android 14', 'x-beta=yes'), true);
  assert.is(ask('/b/1', 'USER-AGENT=Android', 'X-Beta=true'), true, 'names are case-insensitive');
  assert.is(ask('/b/1', 'user-agent=Android', 'x-beta=yess'), false, 'values match in full');
  assert.is(ask('/b/1', 'user-agent=Android'), false, 'headers are AND-ed: a missing one fails the match');
  assert.is(ask('/h/1', 'host=api.example.com'), true);
  assert.is(ask('/h/1', ':authority=api.example.com'), true);
  assert.is(ask('/l/1', 'x-env=prod', 'x-team=green'), true, 'the list form means the same as the map form');

  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  const headersOf = (name: string) => vhostRoutes(compiled, API, INBOUND_VHOST).find((r) => r.name === `shop/routes/${name}`)!.match.headers;
  assert.equal(headersOf('beta'), [
    { name: 'user-agent', string_match: { safe_regex: { regex: '.*Android.*' } } },
    { name: 'x-beta', string_match: { safe_regex: { regex: 'yes|true' } } },
  ]);
  assert.equal(headersOf('hosted'), [{ name: ':authority', string_match: { safe_regex: { regex: 'api\\.example\\.com' } } }]);
  assert.equal(headersOf('listed')!.map((h) => h.name), ['x-env', 'x-team']);
});

test('smi#7 header semantics: several headers in one list item, or one name twice in any case, are errors', () => {
  const multi = ROUTES(`    - name: multi
      pathRegex: "/c/.*"
      headers:
        - {x-a: "1", x-b: "2"}
`);
  const c1 = check(mesh('p7-multi', { 'apps.yaml': APPS, 'policy.yaml': multi }));
  assert.match(finding(c1.diags, 'MESH0116', { file: 'policy.yaml', line: pos(multi, '{x-a').line }).message, 'write one header per list item');
  const dup = ROUTES(`    - name: dup
      pathRegex: "/d/.*"
      headers:
        X-Env: prod
        x-env: dev
`);
  const c2 = check(mesh('p7-dup', { 'apps.yaml': APPS, 'policy.yaml': dup }));
  assert.match(finding(c2.diags, 'MESH0117', { file: 'policy.yaml', line: pos(dup, 'x-env: dev').line }).message, 'case-insensitive');
});

test('smi#8 rule without matches: every match of the group (as the spec says), with portability warning MESH0213', () => {
  const policy = docs(ROUTES(`    - {name: read, pathRegex: "/read/.*", methods: [GET]}
    - {name: write, pathRegex: "/write/.*", methods: [POST]}
`), TARGET('[{kind: HTTPRouteGroup, name: routes}]'));
  const dir = mesh('p8', { 'apps.yaml': APPS, 'policy.yaml': policy });
  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  const w = finding(c.diags, 'MESH0213', { file: 'policy.yaml', line: pos(policy, 'rules:').line });
  assert.is(w.severity, 'warning');
  assert.match(w.message, 'OSM grants none');
  assert.is(fromWebToApi(dir, '--method', 'GET', '--path', '/read/1').allowed, true);
  assert.is(fromWebToApi(dir, '--method', 'POST', '--path', '/write/1').allowed, true);
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  assert.equal(vhostRoutes(compiled, API, INBOUND_VHOST).map((r) => r.name).sort(), ['shop/routes/read', 'shop/routes/write']);
});

test('smi#8 rule with matches: [] is the same as omitted: check, why and compile all grant every match', () => {
  const policy = docs(ROUTES(`    - {name: read, pathRegex: "/read/.*", methods: [GET]}
    - {name: write, pathRegex: "/write/.*", methods: [POST]}
`), TARGET('[{kind: HTTPRouteGroup, name: routes, matches: []}]'));
  const dir = mesh('p8-empty', { 'apps.yaml': APPS, 'policy.yaml': policy });
  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  assert.match(finding(c.diags, 'MESH0213', { file: 'policy.yaml', ...pos(policy, 'matches: []') }).message, 'the SMI spec grants every match of the group');
  assert.equal(codes(c.diags), ['MESH0213'], 'no MESH0601: web may reach api');
  const read = fromWebToApi(dir, '--method', 'GET', '--path', '/read/1');
  assert.is(read.allowed, true, read.reason);
  assert.match(read.reason, 'match read');
  assert.is(fromWebToApi(dir, '--method', 'POST', '--path', '/write/1').allowed, true);
  assert.is(fromWebToApi(dir, '--method', 'POST', '--path', '/read/1').allowed, false);
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  assert.match(compiled.stderr, '1 allowed edge(s)');
  assert.equal(vhostRoutes(compiled, API, INBOUND_VHOST).map((r) => r.name).sort(), ['shop/routes/read', 'shop/routes/write']);
  assert.equal(vhostRoutes(compiled, WEB, ROOT_VHOST)[0]!.route.cluster, 'shop/api|8080');
});

// ---------------------------------------------------------------- 9–15: TrafficSplit

test('smi#9 weights: relative whole numbers — 1000/500 compiles to the exact 2:1 ratio, sum ≠ 100 is no finding', () => {
  const dir = mesh('p9-ratio', { 'apps.yaml': splitApps(), 'split.yaml': SPLIT('    - {service: api-v1, weight: 1000}\n    - {service: api-v2, weight: 500}\n') });
  const c = check(dir);
  assert.equal(c.diags, [], show(c.diags));
  const w = fromWebToApi(dir);
  assert.is(w.allowed, true);
  assert.equal(verdicts(w.split), [{ backend: 'shop/api-v1', weight: 1000, allowed: true }, { backend: 'shop/api-v2', weight: 500, allowed: true }]);
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  const [route] = vhostRoutes(compiled, WEB, ROOT_VHOST);
  assert.equal(route!.route.weighted_clusters, { clusters: [{ name: 'shop/api-v1|8080', weight: 2 }, { name: 'shop/api-v2|8080', weight: 1 }] });
});

test('smi#9 weights: v1alpha1 Quantities are exact milli-units — {1, 500m} is 2:1, not {1, 500}', () => {
  const dir = mesh('p9-quantity', { 'apps.yaml': splitApps(), 'split.yaml': SPLIT('    - {service: api-v1, weight: 1}\n    - {service: api-v2, weight: 500m}\n', { version: 'v1alpha1' }) });
  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  assert.equal(fromWebToApi(dir).split!.map((b) => b.weight), [1000, 500]);
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  assert.equal(vhostRoutes(compiled, WEB, ROOT_VHOST)[0]!.route.weighted_clusters!.clusters.map((x) => x.weight), [2, 1]);
});

test('smi#9 weights: all zero, negative, fractional and over 2^32−1 are errors; compile writes nothing', () => {
  const zero = SPLIT('    - {service: api-v1, weight: 0}\n    - {service: api-v2, weight: 0}\n');
  const zeroDir = mesh('p9-zero', { 'apps.yaml': splitApps(), 'split.yaml': zero });
  const z = check(zeroDir);
  assert.is(z.code, 1);
  assert.match(finding(z.diags, 'MESH0409', { file: 'split.yaml', line: pos(zero, 'backends:').line }).message, 'no traffic to api can flow');
  const answer = fromWebToApi(zeroDir);
  assert.is(answer.allowed, false);
  assert.match(answer.reason, 'weight 0');
  const refused = compile(zeroDir);
  assert.is(refused.code, 1);
  assert.is(refused.written, false);

  const bad = SPLIT('    - {service: api-v1, weight: -200}\n    - {service: api-v2, weight: 1.5}\n');
  const b = check(mesh('p9-bad', { 'apps.yaml': splitApps(), 'split.yaml': bad }));
  assert.match(finding(b.diags, 'MESH0112', { file: 'split.yaml', ...pos(bad, '-200') }).message, 'must not be negative');
  assert.match(finding(b.diags, 'MESH0111', { file: 'split.yaml', ...pos(bad, '1.5') }).message, 'must be an integer');

  const big = SPLIT('    - {service: api-v1, weight: 4294967295}\n    - {service: api-v2, weight: 1}\n');
  const o = check(mesh('p9-big', { 'apps.yaml': splitApps(), 'split.yaml': big }));
  assert.match(finding(o.diags, 'MESH0410').message, 'sum to 4294967296');
  // Judged as compile writes it, after dividing by the greatest common divisor.
  const halves = SPLIT('    - {service: api-v1, weight: 4294967294}\n    - {service: api-v2, weight: 4294967294}\n    - {service: api, weight: 4}\n');
  const h = check(mesh('p9-big-reduced', { 'apps.yaml': splitApps(), 'split.yaml': halves }));
  assert.match(finding(h.diags, 'MESH0410').message, 'weights sum to 8589934592, 4294967296 after dividing them by their greatest common divisor 2, more than 4294967295');
});

test('smi#9 weights: the sum is judged after dividing by the GCD, as compile does — 3000000000/3000000000 is a 1:1 split', () => {
  const dir = mesh('p9-gcd', { 'apps.yaml': splitApps(), 'split.yaml': SPLIT('    - {service: api-v1, weight: 3000000000}\n    - {service: api-v2, weight: 3000000000}\n') });
  const c = check(dir);
  assert.equal(c.diags, [], show(c.diags));
  assert.equal(verdicts(fromWebToApi(dir).split), [{ backend: 'shop/api-v1', weight: 3000000000, allowed: true }, { backend: 'shop/api-v2', weight: 3000000000, allowed: true }]);
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  assert.equal(vhostRoutes(compiled, WEB, ROOT_VHOST)[0]!.route.weighted_clusters, { clusters: [{ name: 'shop/api-v1|8080', weight: 1 }, { name: 'shop/api-v2|8080', weight: 1 }] });
});

test('smi#9 weights: a backend with weight 0 gets nothing and is left out of the compiled route', () => {
  const dir = mesh('p9-one-zero', { 'apps.yaml': splitApps(), 'split.yaml': SPLIT('    - {service: api-v1, weight: 100}\n    - {service: api-v2, weight: 0}\n') });
  assert.equal(check(dir).diags, []);
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  const [route] = vhostRoutes(compiled, WEB, ROOT_VHOST);
  const targets = route!.route.weighted_clusters?.clusters.map((x) => x.name) ?? [route!.route.cluster];
  assert.equal(targets, ['shop/api-v1|8080']);
});

test('smi#10 several splits for one root: error MESH0413 on every later split; why and compile both use the first', () => {
  // Input order is the sorted file order, whatever the order on the command line.
  const first = SPLIT('    - {service: api-v1, weight: 1}\n', { name: 'zz-first' });
  const second = SPLIT('    - {service: api-v2, weight: 1}\n', { name: 'aa-second' });
  const dir = mesh('p10', { 'apps.yaml': splitApps(), 'a-split.yaml': first, 'b-split.yaml': second });
  const c = check(dir);
  assert.is(c.code, 1);
  const e = finding(c.diags, 'MESH0413', { file: 'b-split.yaml', ...pos(second, 'api\n') });
  assert.match(e.message, 'already the root of TrafficSplit shop/zz-first');
  const argvOrder = runCli(['check', 'b-split.yaml', 'a-split.yaml', 'apps.yaml', '--format', 'json'], { cwd: dir });
  assert.equal((JSON.parse(argvOrder.stdout) as { diagnostics: Diag[] }).diagnostics.map((d) => `${d.code} ${d.file}`), ['MESH0413 b-split.yaml']);

  const w = fromWebToApi(dir);
  assert.match(w.reason, 'TrafficSplit shop/zz-first');
  assert.equal(w.split!.map((b) => b.backend), ['shop/api-v1']);
  // Compile refuses the error; suppressed, it routes by the same (first) split.
  assert.is(compile(dir).code, 1);
  const compiled = compile(dir, '--suppress', 'MESH0413');
  assert.is(compiled.code, 0, compiled.stderr);
  const [route] = vhostRoutes(compiled, WEB, ROOT_VHOST);
  assert.is(route!.route.cluster ?? route!.route.weighted_clusters!.clusters[0]!.name, 'shop/api-v1|8080');
});

test('smi#11 split matches: matching requests (any group, OR-ed) are split, the rest reach the root\'s own pods', () => {
  const groups = `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: beta, namespace: shop}
spec:
  matches:
    - {name: beta-header, pathRegex: ".*", headers: {x-beta: "yes"}}
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: admin, namespace: shop}
spec:
  matches:
    - {name: admin, pathRegex: "/admin/.*"}
`;
  const split = SPLIT('    - {service: api-v2, weight: 100}\n', {
    extra: '  matches:\n    - {kind: HTTPRouteGroup, name: beta}\n    - {kind: HTTPRouteGroup, name: admin}\n',
  });
  const dir = mesh('p11', { 'apps.yaml': splitApps(), 'groups.yaml': groups, 'split.yaml': split });
  const c = check(dir);
  assert.equal(c.diags, [], show(c.diags));
  const plain = fromWebToApi(dir, '--path', '/x');
  assert.is(plain.allowed, true);
  assert.is(plain.split, undefined, 'a request matching no group is not split');
  assert.equal(fromWebToApi(dir, '--path', '/x', '--header', 'x-beta=yes').split!.map((b) => b.backend), ['shop/api-v2']);
  assert.equal(fromWebToApi(dir, '--path', '/admin/users').split!.map((b) => b.backend), ['shop/api-v2']);

  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  const routes = vhostRoutes(compiled, WEB, ROOT_VHOST);
  assert.equal(routes.map((r) => [r.name ?? '(fallback)', r.route.cluster]), [
    ['shop/beta/beta-header', 'shop/api-v2|8080'],
    ['shop/admin/admin', 'shop/api-v2|8080'],
    ['(fallback)', 'shop/api|8080'],
  ]);
  assert.equal(routes[2]!.match, { prefix: '/' });
});

test('smi#12 root service: a Service name in the split\'s namespace; qualified names resolve with a warning', () => {
  const fqdn = SPLIT(BACKENDS_90_10, { root: 'api.shop.svc.cluster.local' });
  const dir = mesh('p12-fqdn', { 'apps.yaml': splitApps(), 'split.yaml': fqdn });
  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  const w = finding(c.diags, 'MESH0402', { file: 'split.yaml', ...pos(fqdn, 'api.shop.svc') });
  assert.is(w.severity, 'warning');
  assert.match(w.message, 'write the Service name "api"');
  assert.equal(fromWebToApi(dir).split!.map((b) => `${b.backend} ${b.weight}`), ['shop/api-v1 90', 'shop/api-v2 10']);
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  assert.equal(vhostRoutes(compiled, WEB, ROOT_VHOST)[0]!.route.weighted_clusters!.clusters.map((x) => x.weight), [9, 1]);

  const foreign = SPLIT(BACKENDS_90_10, { root: 'api.other' });
  const otherNs = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n';
  const f = check(mesh('p12-foreign', { 'apps.yaml': docs(splitApps(), otherNs), 'split.yaml': foreign }));
  assert.match(finding(f.diags, 'MESH0401', { file: 'split.yaml', ...pos(foreign, 'api.other') }).message, 'points into namespace other, but a split and its root share a namespace');
  // A dotted name that is no name.namespace of this input is an external name: not supported, and said so.
  const external = SPLIT(BACKENDS_90_10, { root: 'website.com' });
  const e = check(mesh('p12-external', { 'apps.yaml': splitApps(), 'split.yaml': external }));
  const ext = finding(e.diags, 'MESH0401', { file: 'split.yaml', ...pos(external, 'website.com') }).message;
  assert.match(ext, 'root service "website.com" is not a Service in namespace shop: a root is a Service of the split\'s namespace, written as its name (or website.shop[.svc[.cluster.local]]), and external names are not supported');
  assert.not.match(ext, 'points into namespace com,');
  const dns = SPLIT(BACKENDS_90_10, { root: 'api.example.org' });
  assert.match(finding(check(mesh('p12-dns', { 'apps.yaml': splitApps(), 'split.yaml': dns })).diags, 'MESH0401').message, 'external names are not supported');
  const typo = SPLIT(BACKENDS_90_10, { root: 'apii' });
  const t = check(mesh('p12-typo', { 'apps.yaml': splitApps(), 'split.yaml': typo }));
  assert.match(finding(t.diags, 'MESH0401').message, 'did you mean "api"?');
});

test('smi#13 root selector: a root without selector is split all the same, with warning MESH0403 (OSM would not route it)', () => {
  const split = SPLIT(BACKENDS_90_10);
  const dir = mesh('p13', { 'apps.yaml': splitApps({ rootSelector: false }), 'split.yaml': split });
  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  const w = finding(c.diags, 'MESH0403', { file: 'split.yaml', ...pos(split, 'api\n') });
  assert.match(w.message, 'OSM never offers it to clients');
  assert.is(fromWebToApi(dir).allowed, true);
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  assert.equal(vhostRoutes(compiled, WEB, ROOT_VHOST)[0]!.route.weighted_clusters!.clusters.map((x) => x.name), ['shop/api-v1|8080', 'shop/api-v2|8080']);
});

test('smi#14 self-reference and nesting: root as its own backend is a warning, nested splits and cycles are errors', () => {
  const self = SPLIT('    - {service: api, weight: 90}\n    - {service: api-v2, weight: 10}\n');
  const selfDir = mesh('p14-self', { 'apps.yaml': splitApps(), 'split.yaml': self });
  const s = check(selfDir);
  assert.is(s.code, 0, show(s.diags));
  assert.is(finding(s.diags, 'MESH0407', { file: 'split.yaml', ...pos(self, 'api, weight') }).severity, 'warning');
  assert.equal(fromWebToApi(selfDir).split!.map((b) => b.backend), ['shop/api', 'shop/api-v2']);
  const compiled = compile(selfDir);
  assert.is(compiled.code, 0, compiled.stderr);
  // The root's own share goes to the root Service's endpoints, not back into the split.
  assert.equal(vhostRoutes(compiled, WEB, ROOT_VHOST)[0]!.route.weighted_clusters!.clusters, [
    { name: 'shop/api|8080', weight: 9 }, { name: 'shop/api-v2|8080', weight: 1 },
  ]);

  const nested = docs(SPLIT(BACKENDS_90_10), SPLIT('    - {service: api-v1, weight: 1}\n', { name: 'v2-to-v1', root: 'api-v2' }), SPLIT('    - {service: api-v2, weight: 1}\n', { name: 'v1-to-v2', root: 'api-v1' }));
  const nestedDir = mesh('p14-nested', { 'apps.yaml': splitApps(), 'split.yaml': nested });
  const n = check(nestedDir);
  assert.is(n.code, 1);
  assert.match(finding(n.diags, 'MESH0411', { file: 'split.yaml', ...pos(nested, 'api-v1, weight: 90') }).message, 'splits are not hierarchical');
  assert.match(finding(n.diags, 'MESH0412').message, 'TrafficSplits form a cycle');
  // Backends are never split again, so a cycle cannot loop: why and compile stop at the first level.
  assert.equal(fromWebToApi(nestedDir).split!.map((b) => b.backend), ['shop/api-v1', 'shop/api-v2']);
  const c = compile(nestedDir, '--suppress', 'MESH0411', '--suppress', 'MESH0412');
  assert.is(c.code, 0, c.stderr);
  assert.equal(vhostRoutes(c, WEB, ROOT_VHOST)[0]!.route.weighted_clusters!.clusters.map((x) => x.name), ['shop/api-v1|8080', 'shop/api-v2|8080']);
});

test('smi#15 ports: a backend without a root port is an error (MESH0414); why, test and compile all exclude it from that port', () => {
  const split = SPLIT(BACKENDS_90_10);
  const cases = `apiVersion: meshc.dev/v1alpha1
kind: ReachabilityTest
metadata: {name: canary, namespace: shop}
spec:
  cases:
    - {from: web, to: api:8080, expect: allow}
`;
  const dir = mesh('p15', { 'apps.yaml': splitApps({ v2Ports: '[{name: http, port: 9090, targetPort: 8080}]' }), 'split.yaml': split, 'tests.yaml': cases });
  const c = check(dir);
  assert.is(c.code, 1);
  assert.match(finding(c.diags, 'MESH0414', { file: 'split.yaml', ...pos(split, 'api-v2') }).message, 'has no port 8080 of root Service api');
  const compiled = compile(dir, '--suppress', 'MESH0414');
  assert.is(compiled.code, 0, compiled.stderr);
  assert.match(finding(compiled.diags, 'MESH0856').message, 'it has no port 8080');
  const [route] = vhostRoutes(compiled, WEB, ROOT_VHOST);
  assert.is(route!.route.cluster, 'shop/api-v1|8080', 'the remaining backend takes all of that port\'s traffic');
  // why and meshc test say the same: the backend is excluded, the other one takes every request.
  const answer = fromWebToApi(dir);
  assert.is(answer.allowed, true, answer.reason);
  assert.match(answer.reason, 'shop/api-v2 (it has no port 8080/TCP) is excluded and gets no traffic, so the shares are over the other backends');
  assert.not.match(answer.reason, 'does not allow');
  assert.equal(verdicts(answer.split), [{ backend: 'shop/api-v1', weight: 90, allowed: true }, { backend: 'shop/api-v2', weight: 10, allowed: false, denial: 'excluded-backend', excluded: true }]);
  const t = runCli(['test', '.', '--format', 'json'], { cwd: dir });
  assert.is(t.code, 0, t.stdout + t.stderr);
  assert.match(t.stderr, '1 passed, 0 failed');
});

test('smi#15+19 shares: out of the backends that take traffic; a backend denying the caller keeps its weight in why, check and compile', () => {
  const apps = docs(splitApps({ v2Account: 'api-v2' }), ACCOUNT('api-v3'), WORKLOAD('api-v3', 'api-v3', 'app: api, version: v3', 8080),
    SERVICE('api-v3', 'app: api, version: v3', '[{name: http, port: 9090, targetPort: 8080}]'));
  const split = SPLIT('    - {service: api-v1, weight: 60}\n    - {service: api-v2, weight: 30}\n    - {service: api-v3, weight: 10}\n');
  const dir = mesh('p15-19', { 'apps.yaml': apps, 'split.yaml': split });
  const c = check(dir, '--suppress', 'MESH0414');
  assert.match(finding(c.diags, 'MESH0606').message, 'shop/web → shop/api: 33.3% of requests go to shop/api-v2, whose identity does not allow shop/web');
  const answer = fromWebToApi(dir);
  assert.is(answer.allowed, false);
  assert.match(answer.reason, 'shop/web → shop/api: 33.3% of requests go to shop/api-v2, whose identity shop/api-v2 does not allow shop/web (the other 66.7% are allowed); shop/api-v3 (it has no port 8080/TCP) is excluded');
  const compiled = compile(dir, '--suppress', 'MESH0414');
  assert.is(compiled.code, 0, compiled.stderr);
  // 60:30 = 2:1, the same 33.3% as why; api-v3 gets nothing.
  assert.equal(vhostRoutes(compiled, WEB, ROOT_VHOST)[0]!.route.weighted_clusters!.clusters, [
    { name: 'shop/api-v1|8080', weight: 2 }, { name: 'shop/api-v2|8080', weight: 1 },
  ]);
});

// ---------------------------------------------------------------- 16–23: access and the remaining corners

test('smi#16 TrafficTarget namespaces: omitted = the TrafficTarget\'s namespace (MESH0206); a foreign destination is an error', () => {
  const policy = docs(ALL_PORTS, `apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: api, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api}
  rules: [{kind: TCPRoute, name: all}]
  sources: [{kind: ServiceAccount, name: web}]
`);
  const dir = mesh('p16', { 'apps.yaml': APPS, 'policy.yaml': policy });
  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  assert.match(finding(c.diags, 'MESH0206', { file: 'policy.yaml', line: pos(policy, 'destination:').line }).message, 'meshc assumes shop');
  assert.match(finding(c.diags, 'MESH0206', { file: 'policy.yaml', line: pos(policy, 'sources:').line }).message, 'OSM matches no caller');
  assert.is(fromWebToApi(dir).allowed, true);
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  assert.equal(findAll(compiled.json(API, 'listeners'), 'principal_name'), [{ exact: 'spiffe://cluster.local/ns/shop/sa/web' }]);

  const foreign = docs(ALL_PORTS, TARGET('[{kind: TCPRoute, name: all}]').replace('name: api, namespace: shop}\n  rules', 'name: api, namespace: other}\n  rules'));
  const f = check(mesh('p16-foreign', { 'apps.yaml': APPS, 'policy.yaml': foreign }));
  assert.match(finding(f.diags, 'MESH0205', { file: 'policy.yaml', ...pos(foreign, 'other}') }).message, 'differs from the TrafficTarget namespace shop');
  // Without metadata.namespace the namespace comes from --namespace, and the message says so.
  const bare = TARGET('[{kind: TCPRoute, name: all}]').replace('{name: api, namespace: shop}\nspec', '{name: api}\nspec');
  const b = check(mesh('p16-bare', { 'apps.yaml': APPS, 'routes.yaml': ALL_PORTS, 'policy.yaml': bare }), '-n', 'prod');
  assert.match(finding(b.diags, 'MESH0205').message, 'the namespace comes from --namespace');
});

test('smi#17 TrafficTarget validity: at least one rule and one source; references resolved with suggestions', () => {
  const policy = docs(ROUTES('    - {name: read, pathRegex: "/read/.*", methods: [GET]}\n'), `apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: empty, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules: []
  sources: []
`, TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [raed]}, {kind: HTTPRouteGroup, name: rotues, matches: [read]}]', 'refs'));
  const dir = mesh('p17', { 'apps.yaml': APPS, 'policy.yaml': policy });
  const c = check(dir);
  assert.is(c.code, 1);
  assert.match(finding(c.diags, 'MESH0203', { file: 'policy.yaml', line: pos(policy, 'rules: []').line }).message, 'it allows no traffic');
  assert.match(finding(c.diags, 'MESH0204', { file: 'policy.yaml', line: pos(policy, 'sources: []').line }).message, 'it allows no caller');
  assert.match(finding(c.diags, 'MESH0209', { file: 'policy.yaml', ...pos(policy, 'raed') }).message, 'has no match named "raed"');
  assert.match(finding(c.diags, 'MESH0207', { file: 'policy.yaml', ...pos(policy, 'rotues') }).message, 'did you mean "routes"?');
  // Dangling references grant nothing (OSM drops them too): the answer is a denial, never a guess.
  assert.is(fromWebToApi(dir, '--method', 'GET', '--path', '/read/1').allowed, false);
  const refused = compile(dir);
  assert.is(refused.code, 1);
  assert.is(refused.written, false);
});

test('smi#18 wildcard sources: none — "*" is no identity; --permissive is the only allow-all', () => {
  const policy = docs(ROUTES('    - {name: read, pathRegex: "/read/.*", methods: [GET]}\n'),
    TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [read]}]').replace('name: web, namespace: shop}', 'name: "*", namespace: shop}'));
  const dir = mesh('p18', { 'apps.yaml': APPS, 'policy.yaml': policy });
  const c = check(dir);
  assert.is(c.code, 1);
  assert.match(finding(c.diags, 'MESH0212', { file: 'policy.yaml', ...pos(policy, '"*"') }).message, 'source ServiceAccount shop/* is not declared');
  assert.is(fromWebToApi(dir, '--method', 'GET', '--path', '/read/1').allowed, false);
  // A glob in assumeExternal that matches "*" literally does not declare it: still MESH0212, so compile is blocked.
  const external = check(dir, '--assume-external', 'ServiceAccount/shop/*');
  assert.is(external.code, 1);
  assert.match(finding(external.diags, 'MESH0212', { file: 'policy.yaml', ...pos(policy, '"*"') }).message,
    '"*" is no ServiceAccount name ("*" is not allowed; names are DNS-1123 subdomains), so it names no identity and assumeExternal cannot declare it: SMI has no wildcard subjects (smi-spec#51)');
  const blocked = compile(dir, '--assume-external', 'ServiceAccount/shop/*');
  assert.is(blocked.code, 1);
  assert.not.ok(blocked.written, 'compile writes nothing for a "*" source');
  // why and test refuse to answer for "*" as a caller (exit 2), instead of ALLOWED for a caller that cannot exist.
  const star = runCli(['why', '--from', 'shop/*', '--to', 'shop/api:8080', '.'], { cwd: dir });
  assert.is(star.code, 2);
  assert.match(star.stderr, `'shop/*' names no identity: "*" is no ServiceAccount name ("*" is not allowed; names are DNS-1123 subdomains); SMI has no wildcard sources (smi-spec#51)`);
  const typo = runCli(['why', '--from', 'shop/x', '--to', 'shop/api:8080', '.'], { cwd: dir });
  assert.is(typo.code, 2);
  assert.match(typo.stderr, "unknown identity 'shop/x'");
  assert.not.match(typo.stderr, "'shop/*'", 'a name why refuses is never suggested');

  const open = mesh('p18-permissive', { 'apps.yaml': APPS });
  const answer = fromWebToApi(open, '--permissive');
  assert.is(answer.allowed, true);
  assert.match(answer.reason, 'permissive mode');
  const compiled = compile(open, '--permissive');
  assert.is(compiled.code, 0, compiled.stderr);
  assert.equal(findAll(compiled.json(API, 'listeners'), 'policies'), [], 'no RBAC in permissive mode');
  assert.ok(findAll(compiled.json(WEB, 'clusters'), 'name').includes('shop/api|8080'));
  const strict = compile(open);
  assert.is(strict.code, 0, strict.stderr);
  assert.not.ok(findAll(strict.json(WEB, 'clusters'), 'name').includes('shop/api|8080'), 'deny by default without a TrafficTarget');
});

test('smi#19 TrafficTarget × TrafficSplit: a backend that denies the caller is reported (MESH0606); why, test and compile deny the same share', () => {
  const split = SPLIT(BACKENDS_90_10);
  const cases = `apiVersion: meshc.dev/v1alpha1
kind: ReachabilityTest
metadata: {name: canary, namespace: shop}
spec:
  cases:
    - {from: web, to: api:8080, expect: allow}
`;
  const dir = mesh('p19', { 'apps.yaml': splitApps({ v2Account: 'api-v2' }), 'split.yaml': split, 'tests.yaml': cases });
  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  const w = finding(c.diags, 'MESH0606', { file: 'split.yaml', line: pos(split, 'api-v2').line });
  assert.match(w.message, 'shop/web → shop/api: 10% of requests go to shop/api-v2, whose identity does not allow shop/web');
  const answer = fromWebToApi(dir);
  assert.is(answer.allowed, false);
  assert.match(answer.reason, 'shop/web → shop/api: 10% of requests go to shop/api-v2, whose identity shop/api-v2 does not allow shop/web (the other 90% are allowed)');
  assert.equal(verdicts(answer.split), [{ backend: 'shop/api-v1', weight: 90, allowed: true }, { backend: 'shop/api-v2', weight: 10, allowed: false, denial: 'not-a-source' }]);
  const t = runCli(['test', '.', '--format', 'json'], { cwd: dir });
  assert.is(t.code, 1, 'the allow case fails, as why answers');
  assert.match(t.stdout, '10% of requests go to shop/api-v2');

  // compile keeps the declared 9:1: web's proxy sends 10% to api-v2, whose inbound RBAC does not admit web.
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  noFinding(compiled.diags, 'MESH0856');
  assert.equal(vhostRoutes(compiled, WEB, ROOT_VHOST)[0]!.route.weighted_clusters!.clusters, [
    { name: 'shop/api-v1|8080', weight: 9 }, { name: 'shop/api-v2|8080', weight: 1 },
  ]);
  assert.ok(findAll(compiled.json(WEB, 'clusters'), 'name').includes('shop/api-v2|8080'), 'web gets the api-v2 cluster');
  assert.equal(findAll(compiled.json('shop_deployment_api-v2', 'listeners'), 'principal_name'), [], 'api-v2 admits nobody: web\'s 10% is denied there');
  assert.equal(findAll(compiled.json('shop_deployment_api-v1', 'listeners'), 'principal_name'), [{ exact: 'spiffe://cluster.local/ns/shop/sa/web' }]);
});

test('smi#20 backends in other namespaces: not supported — backends are plain names in the split\'s namespace', () => {
  const split = SPLIT('    - {service: api-v1, weight: 90}\n    - {service: api-v2.other, weight: 10}\n');
  const c = check(mesh('p20', { 'apps.yaml': splitApps(), 'split.yaml': split }));
  assert.is(c.code, 1);
  const e = finding(c.diags, 'MESH0405', { file: 'split.yaml', ...pos(split, 'api-v2.other') });
  assert.match(e.message, 'backends are plain Service names in the split\'s namespace');
});

test('smi#21 draft subject group: reported as an unknown field (MESH0109), also with --draft', () => {
  const policy = docs(ALL_PORTS, `apiVersion: access.smi-spec.io/v1alpha4
kind: TrafficTarget
metadata: {name: api, namespace: shop}
spec:
  destination: {kind: ServiceAccount, group: access.smi-spec.io, name: api, namespace: shop}
  rules: [{kind: TCPRoute, name: all}]
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
`);
  const dir = mesh('p21', { 'apps.yaml': APPS, 'policy.yaml': policy });
  const c = check(dir);
  assert.is(c.code, 1);
  assert.match(finding(c.diags, 'MESH0106').message, 'unreleased SMI draft');
  const e = finding(c.diags, 'MESH0109', { file: 'policy.yaml', ...pos(policy, 'group') });
  assert.match(e.message, 'the draft v1alpha4 prose writes `group`, but no CRD defines it');
  const d = check(dir, '--draft');
  noFinding(d.diags, 'MESH0106');
  finding(d.diags, 'MESH0109', { file: 'policy.yaml', ...pos(policy, 'group') });
  // Without the field the same draft object is accepted and grants access.
  const clean = mesh('p21-clean', { 'apps.yaml': APPS, 'policy.yaml': policy.replace('group: access.smi-spec.io, ', '') });
  assert.equal(check(clean, '--draft').diags, []);
  assert.is(fromWebToApi(clean, '--draft').allowed, true);
});

test('smi#22 TCPRoute without ports: required in v1alpha4 (MESH0110); ports: [] and older versions mean every port', () => {
  const missing = `apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: all, namespace: shop}
spec:
  matches: {}
`;
  const m = check(mesh('p22-missing', { 'apps.yaml': APPS, 'policy.yaml': docs(missing, TARGET('[{kind: TCPRoute, name: all}]')) }));
  assert.is(m.code, 1);
  assert.match(finding(m.diags, 'MESH0110', { file: 'policy.yaml', line: pos(missing, 'matches').line }).message, 'missing required field `ports` in spec.matches');

  const twoPorts = `${APPS}---\n${SERVICE('admin', 'app: api', '[{name: http, port: 8080}, {name: http-admin, port: 9000, targetPort: 8080}]')}`;
  const empty = mesh('p22-empty', { 'apps.yaml': twoPorts, 'policy.yaml': docs(ALL_PORTS, TARGET('[{kind: TCPRoute, name: all}]')) });
  assert.equal(check(empty).diags, []);
  assert.is(why(empty, '--from', 'shop/web', '--to', 'shop/admin:9000').allowed, true);
  assert.match(why(empty, '--from', 'shop/web', '--to', 'shop/admin:8080').reason, '(all ports)');

  const older = `apiVersion: specs.smi-spec.io/v1alpha3
kind: TCPRoute
metadata: {name: all, namespace: shop}
spec: {}
`;
  const old = mesh('p22-old', { 'apps.yaml': APPS, 'policy.yaml': docs(older, TARGET('[{kind: TCPRoute, name: all}]')) });
  assert.equal(check(old).diags, []);
  const answer = fromWebToApi(old);
  assert.is(answer.allowed, true);
  assert.match(answer.reason, 'TCPRoute shop/all (all ports)');
});

test('smi#23 empty pathRegex: warning MESH0304; read as every path (as OSM does), compiled as (?:).*', () => {
  const policy = docs(ROUTES('    - {name: all, pathRegex: "", methods: [GET]}\n'), TARGET('[{kind: HTTPRouteGroup, name: routes, matches: [all]}]'));
  const dir = mesh('p23', { 'apps.yaml': APPS, 'policy.yaml': policy });
  const c = check(dir);
  assert.is(c.code, 0, show(c.diags));
  const w = finding(c.diags, 'MESH0304', { file: 'policy.yaml', ...pos(policy, '""') });
  assert.is(w.severity, 'warning');
  assert.equal(codes(c.diags), ['MESH0304']);
  assert.is(fromWebToApi(dir, '--method', 'GET', '--path', '/any/thing').allowed, true);
  assert.is(fromWebToApi(dir, '--method', 'POST', '--path', '/any/thing').allowed, false);
  const compiled = compile(dir);
  assert.is(compiled.code, 0, compiled.stderr);
  assert.equal(vhostRoutes(compiled, API, INBOUND_VHOST)[0]!.match.safe_regex, { regex: '(?:).*' });
});

test.run();
