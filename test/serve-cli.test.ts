import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as Status } from '@grpc/grpc-js';
import { runCli, ROOT } from './helpers/cli.ts';
import { connect, encodeMessage, ENVOY_NODE, GRPC_NODE, healthCheck, HEALTH, sotwStream } from './helpers/serve-client.ts';
import { grpcFrame, rawCall, rawSession } from './helpers/serve-raw.ts';
import { CLUSTER, grpcSplitResources, writeCompiledOutput } from './helpers/serve-fixtures.ts';
import { ServeProcess } from './helpers/serve-process.ts';
import { makePki } from './helpers/serve-certs.ts';

const NODE = 'shop/deployment/web';
let base: string;
let dir: string;

test.before(() => {
  base = mkdtempSync(join(tmpdir(), 'meshc-serve-cli-'));
  dir = join(base, 'out');
  writeCompiledOutput(dir, [{ id: NODE, resources: grpcSplitResources('svc', [{ cluster: 'a', port: 1, weight: 1 }]) }]);
});

test.after(() => rmSync(base, { recursive: true, force: true }));

/** A copy of the compiled output with `file` replaced by a symbolic link to `target`, or by a named pipe. */
function special(name: string, file: string, target?: string): string {
  const copy = join(base, `special-${name}`);
  cpSync(dir, copy, { recursive: true });
  rmSync(join(copy, file));
  if (target) symlinkSync(target, join(copy, file));
  else spawnSync('mkfifo', [join(copy, file)]);
  return copy;
}

test('usage errors exit 2 with a one-line reason', () => {
  const cases: [string[], RegExp][] = [
    [[], /error MESH1049 --snapshots DIR is required \[option-required\]/],
    [['--snapshots', dir, '--listen', 'nope'], /--listen must be HOST:PORT \(e\.g\. 127\.0\.0\.1:18000 or \[::1\]:18000\) \(got "nope"\)/],
    [['--snapshots', dir, '--log-format', 'xml'], /error MESH1048 --log-format must be one of text, json \(got "xml"\)/],
    [['--snapshots', dir, '--tls-cert', 'x.pem'], /MESH1051 --tls-cert needs --tls-key/],
    [['--snapshots', dir, '--client-ca', 'ca.pem'], /--client-ca needs --tls-cert/],
    [['--snapshots', dir, '--tls-reload', '10s'], /--tls-reload needs --tls-cert and --tls-key/],
    [['--snapshots', dir, '--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--tls-reload', 'soon'], /--tls-reload must be a duration such as 500ms, 2s or 1m \(got "soon"\)/],
    [['--snapshots', dir, '--tls-cert', '/nonexistent/c.pem', '--tls-key', '/nonexistent/k.pem'], /--tls-cert \/nonexistent\/c.pem: no such file/],
    [['--snapshots', join(base, 'missing')], /missing: no such directory \(expected the output directory of meshc compile --out\)/],
    // Special files are refused, never read: a device never ends, a named pipe blocks (the server never listened).
    [['--snapshots', dir, '--tls-cert', '/dev/zero', '--tls-key', '/dev/zero'], /--tls-cert \/dev\/zero: not a regular file: a device/],
    [['--snapshots', special('device', 'nodes/shop_deployment_web/clusters.pb', '/dev/zero')], /nodes\/shop_deployment_web\/clusters.pb: not a regular file: a device/],
    [['--snapshots', special('fifo', 'manifest.json')], /manifest.json: not a regular file: a named pipe \(FIFO\)/],
    [['--snapshots', join(dir, 'manifest.json')], /manifest.json: not a directory \(expected the output directory of meshc compile --out\)\n/],
    [['--snapshots', dir, '--bogus'], /error MESH1046 unknown option --bogus/],
    [['--snapshots', dir, '--listen', '127.0.0.1:99999'], /error MESH1052 --listen must be HOST:PORT .*\(got "127.0.0.1:99999"\)/],
    [[dir], /MESH1054 meshc serve takes no arguments: the directory goes after --snapshots \(got "/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(['serve', ...args]);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const help = runCli(['serve', '--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, '--snapshots DIR');
});

test('certificate files that hold no usable certificate or key are start-up errors (exit 2), not a listen error or a server refusing every client', () => {
  const pki = makePki();
  try {
    const file = (name: string, content: Buffer | string): string => {
      const path = join(base, name);
      writeFileSync(path, content);
      return path;
    };
    const garbage = file('garbage.pem', 'not a PEM file\n');
    const cert = file('server.pem', pki.server.cert);
    const key = file('server-key.pem', pki.server.key);
    const otherKey = file('other-key.pem', pki.client('other', null).key);
    const cases: [string[], RegExp][] = [
      [['--tls-cert', garbage, '--tls-key', garbage], /^meshc serve: TLS certificate \S+garbage\.pem: no PEM certificate \(-----BEGIN CERTIFICATE-----\) in it\n$/],
      [['--tls-cert', key, '--tls-key', key], /^meshc serve: TLS certificate \S+server-key\.pem: no PEM certificate/],
      [['--tls-cert', cert, '--tls-key', garbage], /^meshc serve: TLS key \S+garbage\.pem: no usable PEM private key in it \(.+\)\n$/],
      [['--tls-cert', cert, '--tls-key', cert], /^meshc serve: TLS key \S+server\.pem: no usable PEM private key/],
      [['--tls-cert', cert, '--tls-key', otherKey], /^meshc serve: TLS certificate\/key: the private key does not belong to the certificate \(.*key values mismatch\)\n$/],
      [['--tls-cert', cert, '--tls-key', key, '--client-ca', garbage], /^meshc serve: TLS client CA \S+garbage\.pem: no PEM certificate/],
      [['--tls-cert', cert, '--tls-key', key, '--client-ca', key], /^meshc serve: TLS client CA \S+server-key\.pem: no PEM certificate/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['serve', '--snapshots', dir, '--listen', '127.0.0.1:0', ...args]);
      assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  } finally {
    rmSync(pki.dir, { recursive: true, force: true });
  }
});

test('a port already in use is a clear start-up error', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  try {
    const p = new ServeProcess(['--snapshots', dir, '--listen', `127.0.0.1:${port}`]);
    assert.is(await p.exited, 2);
    assert.match(p.stderr, `cannot listen on 127.0.0.1:${port}`);
  } finally {
    blocker.close();
  }
});

test('serves, logs connects and ACKs as JSON, and stops cleanly on SIGTERM (streams end UNAVAILABLE)', async () => {
  const p = new ServeProcess(['--snapshots', dir, '--listen', '127.0.0.1:0', '--log-format', 'json']);
  const client = connect(await p.address());
  try {
    assert.is(await healthCheck(client), HEALTH.SERVING);
    const s = sotwStream(client);
    s.send({ node: GRPC_NODE(NODE), type_url: CLUSTER, resource_names: ['a'] });
    const r = await s.next();
    assert.is(r.resources.length, 1);
    s.send({ type_url: CLUSTER, resource_names: ['a'], version_info: r.version_info, response_nonce: r.nonce });
    const open = await p.event('stream-open');
    assert.is(open.node, NODE);
    assert.is(open.user_agent, 'gRPC Node Pure JS');
    const ack = await p.event('ack');
    assert.is(ack.type, 'CDS');
    assert.is(ack.version, r.version_info);
    assert.is(await p.stop('SIGTERM'), 0);
    const end = await s.ended;
    assert.is(end.code, Status.UNAVAILABLE);
    assert.match(end.details, 'shutting down');
    assert.ok(p.lines.some((l) => l.event === 'shutdown'));
    for (const l of p.lines) assert.ok(typeof l.time === 'string' && typeof l.level === 'string' && typeof l.msg === 'string');
  } finally {
    client.close();
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
  }
});

test('SIGTERM with proxies that stopped reading: the connections are closed after the grace period and the process exits 0', async () => {
  // Responses of about 1.6 MB, far beyond what the socket buffers and HTTP/2 windows of a non-reading client take.
  const big = join(base, 'big');
  const res = grpcSplitResources('svc', Array.from({ length: 8 }, (_, i) => ({ cluster: `c${i}`, port: 5000 + i, weight: 1 })));
  for (const c of res[CLUSTER] as Record<string, unknown>[]) c.alt_stat_name = 'x'.repeat(200_000);
  writeCompiledOutput(big, [{ id: NODE, resources: res }]);
  const p = new ServeProcess(['--snapshots', big, '--listen', '127.0.0.1:0', '--log-format', 'json']);
  const sessions = [];
  try {
    const address = await p.address();
    for (let i = 0; i < 3; i++) {
      const session = await rawSession(address);
      const call = rawCall(session, '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources');
      call.pause();
      call.write(grpcFrame(encodeMessage('DiscoveryRequest', { node: ENVOY_NODE(NODE), type_url: CLUSTER })));
      sessions.push(session);
    }
    for (let i = 0; i < 3; i++) await p.waitFor((l) => l.event === 'stream-open' && l.stream === i + 1);
    p.child.kill('SIGTERM');
    // Before the fix the process never exited: Node waits for a socket's writes to drain before closing it.
    const code = await Promise.race([p.exited, new Promise((r) => setTimeout(() => r('still running 30 s after SIGTERM'), 30_000))]);
    assert.is(code, 0);
    assert.ok(p.lines.some((l) => l.event === 'shutdown-forced'), 'the forced close is logged');
  } finally {
    for (const s of sessions) s.destroy();
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
  }
});

test('text logs by default; SIGINT stops it too', async () => {
  const p = new ServeProcess(['--snapshots', dir, '--listen', '127.0.0.1:0']);
  // Bounded by a minute, not by how fast an idle machine starts it (a busy CI runner can take seconds).
  for (const until = Date.now() + 60_000; Date.now() < until && !/listening|serving xDS/.test(p.stderr);) await new Promise((r) => setTimeout(r, 25));
  assert.match(p.stderr, /INFO {2}serving xDS .* address=127\.0\.0\.1:\d+/);
  assert.is(await p.stop('SIGINT'), 0);
});

test('no command but serve reaches gRPC: their chunks never import @grpc/grpc-js, statically or lazily', () => {
  const GRPC = /from\s*["']@grpc\/grpc-js["']|import\(["']@grpc\/grpc-js["']\)/;
  const read = (file: string): string => readFileSync(join(ROOT, 'dist', file), 'utf8');
  // Follows static imports and lazy import() of local chunks from `file`.
  const reach = (file: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const m of read(file).matchAll(/(?:from\s*|import\s*\(?\s*)["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      reach(join(file, '..', m[1]!).replace(/^\.\//, ''), seen);
    }
    return seen;
  };
  const cli = read('cli.js');
  const commands = [...cli.matchAll(/(\w+): \(\) => import\("\.\/(chunks\/[^"]+\.js)"\)/g)].map((m) => [m[1]!, m[2]!] as const);
  assert.ok(commands.some(([name]) => name === 'check') && commands.some(([name]) => name === 'serve'), 'command table found in dist/cli.js');
  for (const [name, chunk] of commands) {
    const files = [...reach(chunk)];
    const withGrpc = files.filter((f) => GRPC.test(read(f)));
    if (name === 'serve') assert.ok(withGrpc.length > 0, 'the serve command does load gRPC (the check can fail)');
    else assert.equal(withGrpc, [], `meshc ${name} reaches gRPC`);
  }
  // The CLI entry and what it imports statically (loaded by every command) import no gRPC.
  const staticReach = (file: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const m of read(file).matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) staticReach(join(file, '..', m[1]!).replace(/^\.\//, ''), seen);
    return seen;
  };
  assert.equal([...staticReach('cli.js')].filter((f) => GRPC.test(read(f))), []);
});

test.run();
