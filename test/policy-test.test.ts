/** `meshc test`: ReachabilityTest documents run against the bookstore example, through the built CLI. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from './helpers/cli.ts';

const BOOKSTORE = resolve('fixtures/bookstore');
const APPS_AND_POLICY = [join(BOOKSTORE, 'apps'), join(BOOKSTORE, 'policy')];

function withTests(yaml: string, fn: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-policy-test-'));
  const file = join(dir, 'tests.yaml');
  writeFileSync(file, yaml);
  try {
    fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface JsonReport { diagnostics: { code: string; severity: string; message: string; file: string | null; line: number | null; column: number | null }[] }

test('the bookstore policy tests pass: exit 0, summary on stderr', () => {
  const r = runCli(['test', 'fixtures/bookstore']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /policy tests: 13 case\(s\) in 3 ReachabilityTest document\(s\): 13 passed, 0 failed/);
});

const failing = `apiVersion: meshc.dev/v1alpha1
kind: ReachabilityTest
metadata:
  name: wrong
  namespace: bookstore
spec:
  cases:
    - name: bookthief may reach bookstore
      from: bookthief/bookthief
      to: bookstore-v1
      expect: allow
    - name: bookbuyer may not buy a book
      from: bookbuyer/bookbuyer
      to: bookstore-v1:14001
      request: {method: GET, path: /buy-a-book/new}
      expect: deny
    - name: this one holds
      from: bookthief/bookthief
      to: bookstore
      expect: deny
`;

test('the summary tells cases that failed from cases that could not run (invalid, or naming a service the mesh lacks)', () => {
  const mixed = `${failing}    - name: no such service
      from: bookthief/bookthief
      to: bookstore-v9
      expect: deny
    - name: no verdict
      from: bookthief/bookthief
      to: bookstore
      expect: maybe
`;
  withTests(mixed, (file) => {
    const r = runCli(['test', ...APPS_AND_POLICY, file]);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /policy tests: 5 case\(s\) in 1 ReachabilityTest document\(s\): 1 passed, 2 failed, 2 could not run \(invalid, or naming what the mesh does not have\)\n/);
  });
});

test('failed expectations: errors at the line of each case, with the deciding chain; exit 1', () => {
  withTests(failing, (file) => {
    const r = runCli(['test', ...APPS_AND_POLICY, file]);
    assert.is(r.code, 1, r.stderr);
    const lines = r.stdout.trim().split('\n').filter((l) => l.includes('MESH07'));
    assert.is(lines.length, 2, r.stdout);
    assert.match(lines[0]!, /tests\.yaml:8:\d+: error MESH0701 bookthief may reach bookstore: expected bookthief\/bookthief → bookstore\/bookstore-v1:14001 \(any request\) to be allowed, but it is denied: no TrafficTarget/);
    assert.match(lines[1]!, /tests\.yaml:12:\d+: error MESH0701 bookbuyer may not buy a book: expected .* to be denied, but it is allowed: TrafficTarget bookstore\/bookstore allows bookbuyer\/bookbuyer .* match buy-a-book/);
    assert.match(r.stderr, /3 case\(s\) in 1 ReachabilityTest document\(s\): 1 passed, 2 failed/);

    const j = runCli(['test', '--format', 'json', ...APPS_AND_POLICY, file]);
    assert.is(j.code, 1);
    const report = JSON.parse(j.stdout) as JsonReport;
    assert.equal(report.diagnostics.map((d) => [d.code, d.line]), [['MESH0701', 8], ['MESH0701', 12]]);

    // SARIF carries the deciding chain as related locations (the TrafficTarget source entry at access.yaml:17).
    const sarif = runCli(['test', '--format', 'sarif', ...APPS_AND_POLICY, file]);
    assert.is(sarif.code, 1);
    const results = JSON.parse(sarif.stdout).runs[0].results as { ruleId: string; relatedLocations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    assert.equal(results.map((x) => x.ruleId), ['MESH0701', 'MESH0701']);
    const chain = results[1]!.relatedLocations!.map((l) => `${l.physicalLocation.artifactLocation.uri.split('/').pop()}:${l.physicalLocation.region.startLine}`);
    assert.ok(chain.includes('access.yaml:17') && chain.includes('routes.yaml:15'), chain.join(' '));
  });
});

test('invalid ReachabilityTest documents: clear errors at the field', () => {
  const yaml = `apiVersion: meshc.dev/v1alpha1
kind: ReachabilityTest
metadata:
  name: broken
spec:
  cases:
    - from: a/b/c
      to: bookstore/bookstore
      expect: allow
    - from: bookbuyer/bookbuyer
      to: bookstore/bookstore:99999
      expect: maybe
    - from: bookbuyer/bookbuyer
      to: bookstore/bookstore
      request: {method: FETCH, path: books, headers: {x-n: 1}}
      expect: deny
      colour: blue
    - to: bookstore/bookstore
    - just a string
    - from: bookthief/bookthief
      to: bookstore/bookstore
      expect: deny
---
apiVersion: meshc.dev/v1alpha1
kind: ReachabilityTest
metadata:
  name: empty
spec:
  cases: []
`;
  withTests(yaml, (file) => {
    const r = runCli(['test', '--format', 'json', ...APPS_AND_POLICY, file]);
    assert.is(r.code, 1, r.stderr);
    const malformed = /^MESH07(02|1[5-9]|2[01])$/;
    const got = (JSON.parse(r.stdout) as JsonReport).diagnostics.filter((d) => malformed.test(d.code)).map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);
    const expected = [
      /^7:13 MESH0702 .*spec\.cases\[0\]\.from must be NAMESPACE\/SERVICEACCOUNT/,
      /^11:11 MESH0718 .*spec\.cases\[1\]\.to names port 99999, outside 1\.\.65535/,
      /^12:15 MESH0702 .*spec\.cases\[1\]\.expect must be allow or deny, not "maybe"/,
      /^15:25 MESH0702 .*spec\.cases\[2\]\.request\.method must be one of GET, HEAD/,
      /^15:38 MESH0702 .*spec\.cases\[2\]\.request\.path must be a string starting with '\/'/,
      /^15:60 MESH0702 .*spec\.cases\[2\]\.request\.headers\.x-n must be a string \(quote it: header values are text\), not number/,
      /^17:7 MESH0715 .*unknown field spec\.cases\[2\]\.colour/,
      /^18:7 MESH0716 .*spec\.cases\[3\] has no expect/,
      /^18:7 MESH0716 .*spec\.cases\[3\] has no from/,
      /^19:7 MESH0702 .*spec\.cases\[4\] must be a mapping/,
      /^29:10 MESH0702 .*spec\.cases must be a non-empty list of cases, not an empty list/,
    ];
    assert.is(got.length, expected.length, got.join('\n'));
    got.sort((a, b) => parseInt(a) - parseInt(b) || parseInt(a.split(':')[1]!) - parseInt(b.split(':')[1]!));
    expected.forEach((re, i) => assert.match(got[i]!, re, got.join('\n')));
    assert.match(r.stderr, /6 case\(s\) in 2 ReachabilityTest document\(s\): 1 passed, 0 failed, 5 could not run /);
  });
});

test('unknown names in a case: error with near matches', () => {
  withTests(`apiVersion: meshc.dev/v1alpha1
kind: ReachabilityTest
metadata: {name: typo}
spec:
  cases:
    - {from: bookbuyer/bookbuyr, to: bookstore/bookstore, expect: allow}
    - name: wrong service
      from: bookbuyer/bookbuyer
      to: bookstore/bookstor
      expect: allow
    - name: wrong port
      from: bookbuyer/bookbuyer
      to: bookstore/bookstore
      port: 9999
      expect: allow
    - {name: both wrong, from: bookbuyer/nobody, to: 'bookstore/bookstore:9999', expect: deny}
`, (file) => {
    const r = runCli(['test', ...APPS_AND_POLICY, file]);
    assert.is(r.code, 1);
    assert.match(r.stdout, /tests\.yaml:6:\d+: error MESH0710 case 1 \(bookbuyer\/bookbuyr → bookstore\/bookstore\): unknown identity 'bookbuyer\/bookbuyr' .*did you mean 'bookbuyer\/bookbuyer'\?/);
    // Each problem at the field that holds the wrong name or port, not at the case, with a code per kind of name.
    const at = r.stdout.split('\n').filter((l) => /MESH07(03|1\d)/.test(l)).map((l) => l.replace(/^.*tests\.yaml:(\d+:\d+): error (MESH\d+) ([^:]+): (\S+ \S+).*$/, '$1 $2 $3: $4'));
    assert.equal(at, [
      '6:14 MESH0710 case 1 (bookbuyer/bookbuyr → bookstore/bookstore): unknown identity',
      '9:11 MESH0703 wrong service: unknown service',
      '14:13 MESH0713 wrong port: service \'bookstore/bookstore\'',
      '16:32 MESH0710 both wrong: unknown identity',
      '16:54 MESH0713 both wrong: service \'bookstore/bookstore\'',
    ]);
  });
});

test('no ReachabilityTest in the input: error, exit 1', () => {
  const r = runCli(['test', ...APPS_AND_POLICY]);
  assert.is(r.code, 1);
  assert.match(r.stdout, /error MESH0704 no ReachabilityTest documents found in/);
});

test('a misspelt kind is reported instead of silently running nothing', () => {
  withTests(`apiVersion: meshc.dev/v1alpha1
kind: ReachabilityTests
metadata: {name: typo}
spec:
  cases:
    - {from: bookbuyer/bookbuyer, to: bookstore/bookstore, expect: allow}
`, (file) => {
    const r = runCli(['test', ...APPS_AND_POLICY, file]);
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /tests\.yaml:2:7: error MESH0721 invalid ReachabilityTest: unknown kind "ReachabilityTests" in meshc\.dev\/v1alpha1; did you mean ReachabilityTest\?/);
    assert.not.match(r.stdout, 'MESH0704');
  });
});

test('an unsupported apiVersion is reported, not silently skipped', () => {
  withTests(`apiVersion: meshc.dev/v1beta9
kind: ReachabilityTest
metadata: {name: future}
spec:
  cases:
    - {from: bookbuyer/bookbuyer, to: bookstore/bookstore, expect: allow}
`, (file) => {
    const r = runCli(['test', ...APPS_AND_POLICY, file]);
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /tests\.yaml:1:13: error MESH0720 invalid ReachabilityTest: apiVersion "meshc\.dev\/v1beta9" is not supported/);
    assert.match(r.stderr, /1 case\(s\) in 1 ReachabilityTest document\(s\): 0 passed, 0 failed, 1 could not run /);
  });
});

test('--target grpc answers the cases for proxyless gRPC clients: a Service without known endpoint addresses, and the world outside the mesh, are denied', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-policy-test-grpc-'));
  try {
    // The gRPC split fixture with echo-b's Endpoints left out.
    const mesh = readFileSync(resolve('test/compile-fixtures/grpc-split/mesh.yaml'), 'utf8').split(/^---\n/m).filter((d) => !/kind: Endpoints\nmetadata: \{name: echo-b,/.test(d));
    writeFileSync(join(dir, 'mesh.yaml'), mesh.join('---\n'));
    writeFileSync(join(dir, 'split.yaml'), readFileSync(resolve('test/compile-fixtures/grpc-split/split.yaml'), 'utf8'));
    writeFileSync(join(dir, 'tests.yaml'), `apiVersion: meshc.dev/v1alpha1
kind: ReachabilityTest
metadata: {name: client, namespace: demo}
spec:
  cases:
    - {name: client reaches echo-a, from: client, to: echo-a:50051, expect: allow}
    - {name: client reaches echo-b, from: client, to: echo-b:50051, expect: allow}
    - {name: client reaches the split, from: client, to: echo:50051, expect: allow}
    - {name: client reaches the world, from: client, to: {host: example.com, port: 443}, expect: deny}
`);
    const envoy = runCli(['test', '--format', 'json', dir]);
    assert.is(envoy.code, 0, envoy.stdout + envoy.stderr);
    const grpc = runCli(['test', '--format', 'json', '--target', 'grpc', dir]);
    assert.is(grpc.code, 1, 'a case fails');
    const failed = (JSON.parse(grpc.stdout) as JsonReport).diagnostics.filter((d) => d.code === 'MESH0701');
    assert.is(failed.length, 1, grpc.stdout);
    assert.match(failed[0]!.message, /^client reaches echo-b: expected demo\/client → demo\/echo-b:50051 \(any request\) to be allowed, but it is denied: .*\(MESH0855\)$/);
    assert.is(failed[0]!.line, 7);
    assert.match(grpc.stderr, /4 case\(s\) in 1 ReachabilityTest document\(s\): 3 passed, 1 failed/);
    const bad = runCli(['test', '--target', 'sidecar', dir]);
    assert.is(bad.code, 2);
    assert.match(bad.stderr, /MESH1048 --target must be one of envoy, grpc \(got "sidecar"\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cases are answered with the configured cluster domain, as why answers them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-policy-test-domain-'));
  try {
    writeFileSync(join(dir, '.meshc.yaml'), 'apiVersion: meshc.dev/v1alpha1\nkind: Config\nclusterDomain: corp.example\npermissive: true\n');
    writeFileSync(join(dir, 'mesh.yaml'), `apiVersion: v1
kind: ServiceAccount
metadata: {name: client, namespace: demo}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: demo}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {serviceAccountName: client, containers: [{name: app, image: example/client:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: demo}
spec: {type: ExternalName, externalName: db.data.svc.corp.example, ports: [{name: tcp-db, port: 5432}]}
---
apiVersion: meshc.dev/v1alpha1
kind: ReachabilityTest
metadata: {name: client, namespace: demo}
spec:
  cases:
    - {name: client reaches db, from: client, to: db:5432, expect: allow}
`);
    const why = runCli(['why', '--from', 'demo/client', '--to', 'demo/db:5432', '--format', 'json', dir], { cwd: dir });
    const reason = JSON.parse(why.stdout).reason as string;
    assert.not.match(reason, 'outside the mesh', 'a name in the cluster domain is inside the mesh');
    const r = runCli(['test', '--format', 'json', dir], { cwd: dir });
    const failed = (JSON.parse(r.stdout) as JsonReport).diagnostics.filter((d) => d.code === 'MESH0701');
    assert.is(failed.length, 1);
    assert.ok(failed[0]!.message.endsWith(`but it is denied: ${reason}`), `${failed[0]!.message}\nwhy: ${reason}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
