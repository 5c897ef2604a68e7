/** `meshc why` through the built CLI, on the bookstore example and on broken variants of it. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';

const BOOKSTORE = 'fixtures/bookstore';
const why = (...args: string[]) => runCli(['why', ...args, BOOKSTORE]);
const json = (stdout: string) => JSON.parse(stdout) as { allowed: boolean; reason: string; via: { kind: string; namespace: string; name: string; file: string; line: number }[]; split?: { backend: string; weight: number; allowed: boolean }[] };

/** Copy of the bookstore with one file rewritten. */
function variant(edit: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-why-'));
  cpSync(BOOKSTORE, dir, { recursive: true });
  edit(dir);
  return dir;
}

test('allowed request: the chain of resources with file:line, the split verdict per backend', () => {
  const r = why('--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore-v1:14001', '--method', 'GET', '--path', '/books-bought',
    '--header', 'user-agent=bookbuyer-http-client/1.0', '--header', 'client-app=bookbuyer', '--format', 'json');
  assert.is(r.code, 0, r.stderr);
  const out = json(r.stdout);
  assert.is(out.allowed, true);
  assert.match(out.reason, 'TrafficTarget bookstore/bookstore allows bookbuyer/bookbuyer');
  assert.equal(Object.keys(out), ['allowed', 'reason', 'via', 'allows']);
  assert.equal(out.via.map((v) => `${v.kind} ${v.namespace}/${v.name} ${v.file}:${v.line}`), [
    'TrafficTarget bookstore/bookstore fixtures/bookstore/policy/access.yaml:17',
    'TrafficTarget bookstore/bookstore fixtures/bookstore/policy/access.yaml:13',
    'HTTPRouteGroup bookstore/bookstore-service-routes fixtures/bookstore/policy/routes.yaml:9',
    'Service bookstore/bookstore-v1 fixtures/bookstore/apps/bookstore.yaml:28',
    'Deployment bookstore/bookstore-v1 fixtures/bookstore/apps/bookstore.yaml:79',
  ]);
  const lines = readFileSync('fixtures/bookstore/policy/access.yaml', 'utf8').split('\n');
  assert.match(lines[16]!, /- kind: ServiceAccount/);
  assert.match(lines[17]!, /name: bookbuyer/);
  assert.match(lines[12]!, /kind: HTTPRouteGroup/);
});

test('split root: every backend checked, json carries split', () => {
  const r = why('--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore', '--format', 'json');
  assert.is(r.code, 0, r.stderr);
  const out = json(r.stdout);
  assert.is(out.allowed, true);
  assert.equal(out.split?.map(({ backend, weight, allowed }) => ({ backend, weight, allowed })), [
    { backend: 'bookstore/bookstore-v1', weight: 90, allowed: true },
    { backend: 'bookstore/bookstore-v2', weight: 10, allowed: true },
  ]);
  assert.equal(out.via.map((v) => v.kind), ['Service', 'TrafficSplit']);
});

test('denied: bookthief, default deny explained; exit 0 because it answered', () => {
  const r = why('--from', 'bookthief/bookthief', '--to', 'bookstore/bookstore-v1');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^DENIED {2}bookthief\/bookthief → bookstore\/bookstore-v1:14001/);
  assert.match(r.stdout, 'no TrafficTarget with destination bookstore/bookstore lists bookthief/bookthief as a source');
  assert.match(r.stdout, 'fixtures/bookstore/apps/bookstore.yaml:28  Service bookstore/bookstore-v1');
});

test('denied request: the matches that did not fit are named', () => {
  const r = why('--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore-v2', '--method', 'DELETE', '--path', '/books-bought', '--format', 'json');
  assert.is(r.code, 0, r.stderr);
  const out = json(r.stdout);
  assert.is(out.allowed, false);
  assert.match(out.reason, 'match books-bought: method DELETE is not one of GET');
  assert.match(out.reason, 'match buy-a-book: method DELETE is not one of GET');
});

test('a split backend that does not admit the caller: how much traffic is denied', () => {
  const dir = variant((d) => {
    const f = join(d, 'policy/access.yaml');
    // Drop the second TrafficTarget (bookstore-v2 admits bookbuyer).
    const parts = readFileSync(f, 'utf8').split('\n---\n');
    writeFileSync(f, parts.filter((p) => !/name: bookstore-v2\n {2}namespace: bookstore/.test(p)).join('\n---\n'));
  });
  try {
    const r = runCli(['why', '--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore', '--format', 'json', dir]);
    assert.is(r.code, 0, r.stderr);
    const out = json(r.stdout);
    assert.is(out.allowed, false);
    assert.is(out.reason, 'bookbuyer/bookbuyer → bookstore/bookstore: 10% of requests go to bookstore/bookstore-v2, whose identity bookstore/bookstore-v2 does not allow bookbuyer/bookbuyer (the other 90% are allowed)');
    assert.equal(out.split?.map((s) => s.allowed), [true, false]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an input with errors: why and graph still answer, test still runs, with a note on stderr showing the first errors (a typo is why it is denied)', () => {
  const clean = why('--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore-v1');
  assert.is(clean.code, 0, clean.stderr);
  assert.not.match(clean.stderr, /note:/);
  const dir = variant((d) => {
    const file = join(d, 'policy', 'access.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/kind: ServiceAccount\n/g, 'kind: ServiceAcount\n'));
  });
  try {
    const r = runCli(['why', '--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore-v1', dir]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^DENIED /);
    const lines = r.stderr.split('\n');
    assert.match(lines[0]!, /^meshc why: note: the input has \d+ error\(s\); this answer covers only what is valid/);
    assert.match(lines[1]!, /^  .*policy\/access\.yaml:9:11: error MESH0201 destination kind "ServiceAcount" is not supported/);
    assert.equal(lines.filter((l) => / error MESH/.test(l)).length, 3, 'the first three');
    assert.match(r.stderr, /^  … and \d+ more$/m);
    const suppressed = runCli(['why', '--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore-v1', '--suppress', 'MESH0201', dir]);
    assert.not.match(suppressed.stderr, /MESH0201/, 'suppressions apply as in check');
    const graph = runCli(['graph', '--format', 'json', dir]);
    assert.is(graph.code, 0, graph.stderr);
    assert.match(graph.stderr, /^meshc graph: note: the input has \d+ error\(s\)/);
    // meshc test: its cases fail because of the typo; the lint errors are noted (not findings: they belong to check).
    const t = runCli(['test', '--format', 'json', dir]);
    assert.is(t.code, 1, t.stderr);
    assert.ok((JSON.parse(t.stdout) as { diagnostics: { code: string }[] }).diagnostics.every((d) => d.code === 'MESH0701'), t.stdout);
    assert.match(t.stderr, /^meshc test: note: the input has \d+ lint error\(s\); cases may pass or fail because of them/m);
    assert.match(t.stderr, /^  .*policy\/access\.yaml:9:11: error MESH0201/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

interface JsonAllows { anyRequest: boolean; permissive?: boolean; routes: { trafficTarget?: string; kind: string; route: string; match?: string; methods?: string[]; pathRegex?: string; headers?: Record<string, string>; ports?: number[] | 'all'; anyRequest: boolean; file: string; line: number }[] }

test('no request given: says which requests are allowed (every admitted match with methods, path, headers), never "(any request)"', () => {
  const r = why('--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore-v1');
  assert.is(r.code, 0, r.stderr);
  const head = r.stdout.split('\n')[0]!;
  assert.not.match(head, 'any request');
  assert.match(head, "only the requests of 2 routes listed under 'allows'");
  const allows = r.stdout.slice(r.stdout.indexOf('\nallows:\n'));
  assert.match(allows, 'fixtures/bookstore/policy/routes.yaml:9  HTTPRouteGroup bookstore/bookstore-service-routes match books-bought: GET, path ^/books-bought, header user-agent matching ".*-http-client/.*", header client-app matching "bookbuyer"  (TrafficTarget bookstore/bookstore)');
  assert.match(allows, 'fixtures/bookstore/policy/routes.yaml:15  HTTPRouteGroup bookstore/bookstore-service-routes match buy-a-book: GET, path ^.*a-book.*new  (TrafficTarget bookstore/bookstore)');

  const j = why('--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore-v1', '--format', 'json');
  const out = JSON.parse(j.stdout) as { allows: JsonAllows };
  assert.is(out.allows.anyRequest, false);
  assert.equal(out.allows.routes.map((x) => [x.trafficTarget, x.kind, x.route, x.match, x.methods, x.pathRegex, x.headers, `${x.file}:${x.line}`]), [
    ['bookstore/bookstore', 'HTTPRouteGroup', 'bookstore/bookstore-service-routes', 'books-bought', ['GET'], '/books-bought', { 'user-agent': '.*-http-client/.*', 'client-app': 'bookbuyer' }, 'fixtures/bookstore/policy/routes.yaml:9'],
    ['bookstore/bookstore', 'HTTPRouteGroup', 'bookstore/bookstore-service-routes', 'buy-a-book', ['GET'], '.*a-book.*new', undefined, 'fixtures/bookstore/policy/routes.yaml:15'],
  ]);
});

test('a denied request (DELETE /x) still lists what the caller may send; a split root lists what every backend admits', () => {
  const r = why('--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore', '--method', 'DELETE', '--path', '/x');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^DENIED {2}bookbuyer\/bookbuyer → bookstore\/bookstore:14001 {2}\(DELETE \/x\)/);
  assert.match(r.stdout, 'allows (whichever backend serves the request):\n  fixtures/bookstore/policy/routes.yaml:9  HTTPRouteGroup bookstore/bookstore-service-routes match books-bought: GET, path ^/books-bought');
  assert.match(r.stdout, 'match buy-a-book: GET, path ^.*a-book.*new\n');
  const j = JSON.parse(why('--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore', '--format', 'json').stdout) as { allows: JsonAllows; split: { allows?: JsonAllows }[] };
  assert.equal(j.allows.routes.map((x) => x.match), ['books-bought', 'buy-a-book']);
  assert.is(j.allows.routes[0]!.trafficTarget, undefined, 'each backend is admitted by its own TrafficTarget');
  assert.equal(j.split.map((s) => s.allows?.routes.map((x) => x.trafficTarget)), [['bookstore/bookstore', 'bookstore/bookstore'], ['bookstore/bookstore-v2', 'bookstore/bookstore-v2']]);
});

test('a TCPRoute rule admits any request: "(any request)" and the rule are listed; permissive mode says so', () => {
  const r = why('--from', 'bookwarehouse/bookwarehouse', '--to', 'bookwarehouse/mysql');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout.split('\n')[0]!, '(any request)');
  assert.match(r.stdout, /allows:\n {2}fixtures\/bookstore\/policy\/access\.yaml:\d+ {2}TCPRoute bookwarehouse\/mysql \(port 3306\): any request or TCP connection/);
  const p = why('--from', 'bookthief/bookthief', '--to', 'bookstore/bookstore-v1', '--permissive');
  assert.match(p.stdout, 'allows:\n  every request (permissive mode)\n');
});

test('permissive mode (flag and configuration file)', () => {
  const r = why('--from', 'bookthief/bookthief', '--to', 'bookstore/bookstore-v1', '--permissive', '--format', 'json');
  assert.is(r.code, 0, r.stderr);
  assert.is(json(r.stdout).allowed, true);
  assert.match(json(r.stdout).reason, 'permissive mode');
  const dir = mkdtempSync(join(tmpdir(), 'meshc-why-cfg-'));
  try {
    writeFileSync(join(dir, '.meshc.yaml'), 'apiVersion: meshc.dev/v1alpha1\nkind: Config\npermissive: true\n');
    const c = runCli(['why', '--from', 'bookthief/bookthief', '--to', 'bookstore/bookstore-v1', '--format', 'json', join(process.cwd(), BOOKSTORE)], { cwd: dir });
    assert.is(c.code, 0, c.stderr);
    assert.is(json(c.stdout).allowed, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unknown names: exit 2 with near matches', () => {
  const r = why('--from', 'bookbuyer/bookbuyr', '--to', 'bookstore/bookstor');
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, "unknown identity 'bookbuyer/bookbuyr'");
  assert.match(r.stderr, "did you mean 'bookbuyer/bookbuyer'?");
  assert.match(r.stderr, "unknown service 'bookstore/bookstor'; did you mean 'bookstore/bookstore'");
  const port = why('--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore:80');
  assert.is(port.code, 2);
  assert.match(port.stderr, "service 'bookstore/bookstore' has no port 80; its ports: 14001/TCP");
  const ns = why('--from', 'bookbuyer/bookbuyer', '--to', 'bookshop/bookstore');
  assert.is(ns.code, 2);
  assert.match(ns.stderr, "did you mean 'bookstore/bookstore'");
  // Each kind of name the mesh lacks has its code (MESH0710/0703/0713/0711 in a ReachabilityTest).
  assert.match(r.stderr, /^meshc: error MESH1057 --from: unknown identity/m);
  assert.match(r.stderr, /^meshc: error MESH1058 --to: unknown service/m);
  assert.match(port.stderr, /^meshc: error MESH1059 --to: service 'bookstore\/bookstore' has no port 80/m);
  const invalid = why('--from', 'Shop/x', '--to', 'bookstore/bookstore');
  assert.is(invalid.code, 2);
  assert.match(invalid.stderr, /^meshc: error MESH1061 --from: 'Shop\/x' names no identity: "Shop" is no namespace \(/m);
});

test('bad arguments: exit 2 with a clear message', () => {
  const cases: [string[], string][] = [
    [['--to', 'bookstore/bookstore'], '--from NS/SA is required'],
    [['--from', 'bookbuyer/bookbuyer'], '--to NS/SERVICE[:PORT] (or --to-external HOST:PORT for a destination outside the mesh) is required'],
    [['--from', 'bookbuyer', '--to', 'bookstore/bookstore'], '--from must be NAMESPACE/SERVICEACCOUNT'],
    [['--from', 'a/b', '--to', 'bookstore'], '--to must be NAMESPACE/SERVICE[:PORT]'],
    [['--from', 'a/b', '--to', 'a/b:99999'], "--to must be NAMESPACE/SERVICE[:PORT] with a port from 1 to 65535 (got 'a/b:99999')"],
    [['--from', 'a/b', '--to', 'a/b', '--header', 'novalue'], '--header must be NAME=VALUE'],
    [['--from', 'a/b', '--to', 'a/b', '--path', 'books'], "--path must be a path starting with '/' (got 'books')"],
    [['--from', 'a/b', '--to', 'a/b', '--format', 'sarif'], '--format must be one of text, json'],
    [['--from', 'a/b', '--to', 'a/b', '--bogus'], 'unknown option --bogus'],
  ];
  for (const [args, message] of cases) {
    const r = why(...args);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const missing = runCli(['why', '--from', 'a/b', '--to', 'a/b', 'does/not/exist']);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, 'does/not/exist');
});

test('--help', () => {
  const r = runCli(['why', '--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, 'usage: meshc why --from NS/SA --to NS/SERVICE[:PORT]');
});

test.run();
