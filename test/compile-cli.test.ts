/** `meshc compile` as a user runs it: flags, exit codes, stdout/stderr, nothing written on errors. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/compile.ts';
import { progress } from '../src/cli/commands/compile.ts';

test('compiles the bookstore: exit 0, a summary on stderr, nothing on stdout but the report', () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    const r = runCli(['compile', 'fixtures/bookstore', '--out', out, '--fail-level', 'error']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /meshc compile: wrote 6 node\(s\) to .*out: \d+ resources \(\d+ listeners, \d+ routes, \d+ clusters, \d+ endpoints, \d+ secrets\); .* per node .* min .* median .* max; 6 allowed edge\(s\)/);
    assert.not.match(r.stderr, /\r/, 'no progress line when stderr is not a terminal');
    assert.not.match(r.stdout, /meshc compile/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.is(manifest.nodes.length, 6);
    assert.ok(existsSync(join(out, 'nodes', 'bookbuyer_deployment_bookbuyer', 'bootstrap.yaml')));
  } finally {
    tmp.cleanup();
  }
});

test('--format json: the report is JSON on stdout, the compile summary stays on stderr; -q silences it', () => {
  const tmp = tempDir();
  try {
    const r = runCli(['compile', 'fixtures/bookstore', '-o', join(tmp.dir, 'out'), '--format', 'json']);
    assert.is(r.code, 0, r.stderr);
    JSON.parse(r.stdout);
    assert.match(r.stderr, /meshc compile: wrote/);
    const q = runCli(['compile', 'fixtures/bookstore', '-o', join(tmp.dir, 'out'), '-q']);
    assert.is(q.code, 0);
    assert.not.match(q.stderr, /meshc compile: wrote/);
  } finally {
    tmp.cleanup();
  }
});

test('check errors: exit 1, the findings, and nothing written', () => {
  const tmp = tempDir();
  try {
    const bad = join(tmp.dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: s, namespace: x}\nspec:\n  service: a\n  backends:\n    - {service: b, weight: -5}\n');
    const out = join(tmp.dir, 'out');
    const r = runCli(['compile', bad, '--out', out]);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stdout, /bad\.yaml:\d+:\d+: error MESH/);
    assert.match(r.stderr, /nothing written to/);
    assert.not.ok(existsSync(out));
    assert.equal(readdirSync(tmp.dir), ['bad.yaml']);
  } finally {
    tmp.cleanup();
  }
});

test('an output path that is a file: exit 2 with MESH0850', () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    writeFileSync(out, 'x');
    const r = runCli(['compile', 'fixtures/bookstore', '--out', out]);
    assert.is(r.code, 2);
    assert.match(r.stdout + r.stderr, /MESH0850 output path .*out exists and is not a directory; nothing was written/);
    assert.is(readFileSync(out, 'utf8'), 'x');
  } finally {
    tmp.cleanup();
  }
});

test('an output path under a file: exit 2 with MESH0852 naming the file in the way, which is left alone', () => {
  const tmp = tempDir();
  try {
    const file = join(tmp.dir, 'build');
    writeFileSync(file, 'x');
    const r = runCli(['compile', 'fixtures/bookstore', '--out', join(file, 'mesh', 'out')]);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stdout + r.stderr, `MESH0852 cannot write the compiled output to ${join(file, 'mesh', 'out')}: ${file} exists and is not a directory`);
    assert.is(readFileSync(file, 'utf8'), 'x');
  } finally {
    tmp.cleanup();
  }
});

test('usage errors exit 2 with a clear message', () => {
  const cases: [string[], RegExp][] = [
    [['compile', 'fixtures/bookstore'], /--out DIR is required/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--target', 'istio'], /--target must be one of envoy, grpc \(got "istio"\)/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--bootstrap', 'dynamic'], /--bootstrap must be one of ads, static/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--target', 'grpc', '--bootstrap', 'static'], /MESH1050 --bootstrap static cannot be used with --target grpc/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--xds-address', 'localhost'], /MESH1052 --xds-address must be HOST:PORT \(e\.g\. 127\.0\.0\.1:18000 or \[::1\]:18000\) \(got "localhost"\)/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--xds-address', 'h:70000'], /--xds-address must be HOST:PORT .*\(got "h:70000"\)/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--stats-port', '15000'], /--admin-port and --stats-port both use port 15000|--stats-port and --admin-port both use port 15000/],
    // The kubelet probe listeners' fixed ports.
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--stats-port', '15902'], /MESH1053 --stats-port and the sidecar's readiness probe listener both use port 15902/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--admin-port', '15901'], /--admin-port and the sidecar's liveness probe listener both use port 15901/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--inbound-port', '0'], /--inbound-port must be a port number from 1 to 65535/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--ca-cert', 'ca.pem'], /--ca-cert must be an absolute path inside the pod/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--trust-domain', 'Not a domain!'], /--trust-domain/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--trust-domain', 'td_with_underscore'], /--trust-domain must be a DNS domain/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--cert-chain', '/etc/certs/'], /--cert-chain must be an absolute path inside the pod, of a file/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--private-key', '/etc/../key.pem'], /--private-key must be an absolute path inside the pod/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--bootstrap-dir', 'relative/dir'], /--bootstrap-dir must be an absolute path inside the pod/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--xds-server-identity', 'Bad NS/sa'], /--xds-server-identity must be NAMESPACE\/SERVICEACCOUNT or a spiffe:\/\/ id/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--xds-insecure', '--xds-server-identity', 'a/b'], /MESH1050 --xds-insecure cannot be used with --xds-server-identity/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--xds-insecure', '--bootstrap', 'static'], /--xds-insecure cannot be used with --bootstrap static/],
    [['compile', 'test/compile-fixtures/grpc-split', '--out', '/tmp/x', '--target', 'grpc', '--xds-server-identity', 'a/b'], /MESH1050 --xds-server-identity cannot be used with --target grpc/],
    // meshc serve on the proxy's own host at one of Envoy's own ports: Envoy would dial itself.
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--xds-address', '127.0.0.1:15000'], /--xds-address 127\.0\.0\.1:15000 and the proxy's own --admin-port both use port 15000/],
    [['compile', 'fixtures/bookstore', '--out', '/tmp/x', '--xds-address', 'localhost:16001', '--outbound-port', '16001'], /--xds-address localhost:16001 and the proxy's own --outbound-port both use port 16001/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.is(r.stdout, '', 'usage errors go to stderr');
  }
  assert.not.ok(existsSync('/tmp/x/manifest.json'));
});

test('an output directory inside the input directory is not read back as input on the next compile', () => {
  const tmp = tempDir();
  try {
    cpSync('fixtures/bookstore', join(tmp.dir, 'mesh'), { recursive: true });
    for (let i = 0; i < 2; i++) {
      const r = runCli(['compile', '.', '--out', 'build/out', '-q'], { cwd: join(tmp.dir, 'mesh') });
      assert.is(r.code, 0, r.stdout + r.stderr);
      assert.not.match(r.stdout, /build\/out/);
    }
    assert.is(JSON.parse(readFileSync(join(tmp.dir, 'mesh', 'build', 'out', 'manifest.json'), 'utf8')).nodes.length, 6);
  } finally {
    tmp.cleanup();
  }
});

test('progress: shown on a terminal only after the first second, at most ten times a second (last one always), then erased', () => {
  const run = (isTTY: boolean, steps: [number, number, number][]) => {
    let now = 0;
    const written: string[] = [];
    const bar = progress({ isTTY, write: (t: string) => written.push(t) }, () => now);
    for (const [t, done, total] of steps) {
      now = t;
      bar.update(done, total);
    }
    bar.clear();
    return written;
  };
  const steps: [number, number, number][] = [[500, 1, 400], [999, 2, 400], [1000, 3, 400], [1050, 4, 400], [1100, 5, 400], [1120, 400, 400]];
  assert.equal(run(true, steps), [
    '\rmeshc compile: 3/400 nodes (0%)\u001b[K',
    '\rmeshc compile: 5/400 nodes (1%)\u001b[K',
    '\rmeshc compile: 400/400 nodes (100%)\u001b[K',
    '\r\u001b[K',
  ]);
  assert.equal(run(false, steps), [], 'nothing when stderr is not a terminal');
  assert.equal(run(true, [[200, 1, 2], [900, 2, 2]]), [], 'nothing for a compile under a second, and nothing to erase');
});

test('--help lists the compile flags', () => {
  const r = runCli(['compile', '--help']);
  assert.is(r.code, 0);
  for (const flag of ['--out', '--target', '--bootstrap', '--xds-address', '--cert-chain', '--private-key', '--ca-cert', '--trust-domain', '--cluster-domain', '--permissive']) {
    assert.ok(r.stdout.includes(flag), flag);
  }
  assert.match(runCli(['--help']).stdout, /compile\s+compile the mesh/);
});

test('flags reach the output: target, bootstrap, xDS address, domains, certificate paths, ports', () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    const r = runCli(['compile', 'fixtures/bookstore', '--out', out, '--review-json', '--bootstrap', 'static', '--trust-domain', 'mesh.example', '--cluster-domain', 'corp.internal',
      '--cert-chain', '/certs/chain.pem', '--private-key', '/certs/key.pem', '--ca-cert', '/certs/ca.pem', '--admin-port', '9901', '--inbound-port', '16003']);
    assert.is(r.code, 0, r.stderr);
    const node = join(out, 'nodes', 'bookstore_deployment_bookstore-v1');
    const boot = readFileSync(join(node, 'bootstrap.yaml'), 'utf8');
    for (const s of ['spiffe://mesh.example/ns/bookbuyer/sa/bookbuyer', 'path: /etc/meshc/bootstrap/sds-service-cert.yaml', 'path: /etc/meshc/bootstrap/sds-root-cert.yaml', 'port_value: 9901', 'port_value: 16003', 'static_resources:']) {
      assert.ok(boot.includes(s), s);
    }
    // Certificates are never inline: the static bootstrap names them through file-based SDS, the SDS files name the certificate files.
    assert.not.ok(boot.includes('/certs/'));
    const cert = readFileSync(join(node, 'sds-service-cert.yaml'), 'utf8');
    for (const s of ['filename: /certs/chain.pem', 'filename: /certs/key.pem', 'watched_directory:\n        path: /certs']) assert.ok(cert.includes(s), s);
    assert.ok(readFileSync(join(node, 'sds-root-cert.yaml'), 'utf8').includes('filename: /certs/ca.pem'));
    assert.not.ok(boot.includes('dynamic_resources'));
    const routes = readFileSync(join(out, 'nodes', 'bookbuyer_deployment_bookbuyer', 'routes.json'), 'utf8');
    assert.ok(routes.includes('bookstore-v1.bookstore.svc.corp.internal:14001'));
    const g = runCli(['compile', 'test/compile-fixtures/grpc-split', '--out', join(tmp.dir, 'g'), '--target', 'grpc', '--xds-address', '[::1]:18001']);
    assert.is(g.code, 0, g.stderr);
    const gb = JSON.parse(readFileSync(join(tmp.dir, 'g', 'nodes', 'demo_deployment_client', 'bootstrap.json'), 'utf8'));
    assert.equal(gb.xds_servers[0].server_uri, '[::1]:18001');
    assert.equal(gb.node, { id: 'demo/deployment/client', cluster: 'client.demo', locality: {} });
  } finally {
    tmp.cleanup();
  }
});

test('compile never loads the Envoy protos for check: meshc check stays free of protobufjs', () => {
  const r = runCli(['check', 'fixtures/bookstore'], { env: { NODE_DEBUG: 'module' } });
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stderr, /protobufjs/);
});

test.run();
