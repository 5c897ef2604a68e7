/**
 * Cluster defaults (src/envoy/translate/cluster-defaults.ts): circuit breakers effectively unlimited (as OSM; Envoy's
 * 1,024 overflows into 503s at scale), connect and route timeouts, outlier detection on EDS clusters only; all
 * stated, changeable with flags, and every resource still passes the protos and PGV (compile would exit 2 otherwise).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import { compileTo, diagnosticLines, tempDir } from './helpers/compile.ts';
import { parseDuration } from '../src/cli/commands/cluster-flags.ts';
import { resolveClusterSettings, DEFAULT_CLUSTER_SETTINGS, UNLIMITED } from '../src/envoy/translate/cluster-defaults.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const resources = (out: string, node: string, stem: string): Json[] => JSON.parse(readFileSync(join(out, 'nodes', node, `${stem}.json`), 'utf8')).resources;
const named = (list: Json[], name: string) => list.find((r) => r.name === name)!;

test('defaults: unlimited circuit breakers on upstream and local clusters, 1s connect timeout, no route timeout, outlier detection on EDS only', async () => {
  const tmp = tempDir();
  try {
    const r = await compileTo(['test/compile-fixtures/edge'], tmp.dir);
    assert.is(r.status, 'written', diagnosticLines(r).join('\n'));
    const clusters = resources(tmp.dir, 'shop_deployment_web', 'clusters');
    const unlimited = { thresholds: [{ priority: 'DEFAULT', max_connections: UNLIMITED, max_pending_requests: UNLIMITED, max_requests: UNLIMITED, max_retries: UNLIMITED, track_remaining: true }] };
    const upstream = clusters.filter((c) => c.name.includes('/'));
    assert.ok(upstream.some((c) => c.type === 'EDS') && upstream.some((c) => c.type === 'STRICT_DNS'), 'the fixture has both kinds');
    for (const c of upstream) {
      assert.equal(c.circuit_breakers, unlimited, c.name);
      assert.is(c.connect_timeout, '1s');
      if (c.type === 'EDS') assert.equal(c.outlier_detection, { consecutive_5xx: 5, interval: '10s', base_ejection_time: '30s', max_ejection_percent: 50, enforcing_success_rate: 0 }, c.name);
      else assert.is(c.outlier_detection, undefined, `${c.name}: one ClusterIP address is never ejected`);
    }
    const local = resources(tmp.dir, 'shop_deployment_api-v1', 'clusters').filter((c) => c.name.startsWith('local|'));
    assert.ok(local.length > 0);
    for (const c of local) assert.equal(c.circuit_breakers, unlimited, c.name);
    for (const rc of resources(tmp.dir, 'shop_deployment_web', 'routes')) {
      for (const vh of rc.virtual_hosts) for (const route of vh.routes) assert.is(route.route.timeout, '0s');
    }
  } finally {
    tmp.cleanup();
  }
});

test('flags change every default; --eject-after 0 switches outlier detection off', () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    const r = runCli(['compile', 'test/compile-fixtures/edge', '--out', out, '-q', '--review-json', '--connect-timeout', '250ms', '--route-timeout', '1.5s',
      '--max-connections', '2000', '--max-pending-requests', '300', '--max-requests', '5000', '--max-retries', '0', '--eject-after', '0']);
    assert.is(r.code, 0, r.stderr);
    const clusters = resources(out, 'shop_deployment_web', 'clusters').filter((c) => c.name.includes('/'));
    for (const c of clusters) {
      assert.is(c.connect_timeout, '0.250s');
      assert.equal(c.circuit_breakers.thresholds[0], { priority: 'DEFAULT', max_connections: 2000, max_pending_requests: 300, max_requests: 5000, max_retries: 0, track_remaining: true });
      assert.is(c.outlier_detection, undefined);
    }
    const timeouts = resources(out, 'shop_deployment_web', 'routes').flatMap((rc) => rc.virtual_hosts.flatMap((vh: Json) => vh.routes.map((x: Json) => x.route.timeout)));
    assert.ok(timeouts.length > 0 && timeouts.every((t) => t === '1.500s'), timeouts.join());
    // The inbound side is not cut by the client's timeout.
    const inbound = resources(out, 'shop_deployment_api-v1', 'routes').filter((rc) => rc.name.startsWith('rds-inbound'));
    for (const rc of inbound) for (const vh of rc.virtual_hosts) for (const route of vh.routes) assert.is(route.route.timeout, '0s');
  } finally {
    tmp.cleanup();
  }
});

test('the compile: section of .meshc.yaml sets the defaults, a flag overrides one; bad entries are exit 2 at their line and column', () => {
  const tmp = tempDir();
  try {
    const config = join(tmp.dir, 'meshc.yaml');
    writeFileSync(config, 'apiVersion: meshc.dev/v1alpha1\nkind: Config\ncompile:\n  connect-timeout: 2s\n  max-connections: 100\n  eject-after: 0\n');
    const out = join(tmp.dir, 'out');
    const r = runCli(['compile', 'test/compile-fixtures/edge', '--out', out, '-q', '--review-json', '--config', config, '--max-connections', '7']);
    assert.is(r.code, 0, r.stderr);
    const clusters = resources(out, 'shop_deployment_web', 'clusters').filter((c) => c.name.includes('/'));
    assert.ok(clusters.length > 0);
    for (const c of clusters) {
      assert.is(c.connect_timeout, '2s', 'from the file');
      assert.is(c.circuit_breakers.thresholds[0].max_connections, 7, 'the flag wins over the file');
      assert.is(c.outlier_detection, undefined, 'eject-after 0 from the file');
    }

    writeFileSync(config, 'apiVersion: meshc.dev/v1alpha1\nkind: Config\ncompile:\n  conect-timeout: 2s\n  max-requests: lots\n  route-timeout: [1s]\n');
    const bad = runCli(['compile', 'test/compile-fixtures/edge', '--out', join(tmp.dir, 'never'), '--config', config]);
    assert.is(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /meshc\.yaml:4:3: error MESH1007 unknown configuration field "compile\.conect-timeout" \(did you mean connect-timeout\?\)/);
    assert.match(bad.stderr, /meshc\.yaml:5:17: error MESH1006 invalid configuration: compile\.max-requests must be a whole number from 1 to 4294967295 \(got "lots"\)/);
    assert.match(bad.stderr, /meshc\.yaml:6:18: error MESH1006 invalid configuration: compile\.route-timeout must be a number or a duration/);

    writeFileSync(config, 'apiVersion: meshc.dev/v1alpha1\nkind: Config\ncompile: 2s\n');
    const notMap = runCli(['compile', 'test/compile-fixtures/edge', '--out', join(tmp.dir, 'never'), '--config', config]);
    assert.is(notMap.code, 2);
    assert.match(notMap.stderr, /meshc\.yaml:3:10: error MESH1006 invalid configuration: compile must be a mapping of connect-timeout, route-timeout/);
  } finally {
    tmp.cleanup();
  }
});

test('gRPC clients: circuit breakers (max_requests is honoured by grpc-js-xds), no outlier detection, route timeout', async () => {
  const tmp = tempDir();
  try {
    const r = await compileTo(['test/compile-fixtures/grpc-split'], tmp.dir, { target: 'grpc', cluster: { routeTimeoutMs: 5000, circuitBreakers: { maxRequests: 100 } } });
    assert.is(r.status, 'written', diagnosticLines(r).join('\n'));
    const clusters = resources(tmp.dir, 'demo_deployment_client', 'clusters');
    for (const c of clusters) {
      assert.is(c.circuit_breakers.thresholds[0].max_requests, 100);
      assert.is(c.outlier_detection, undefined);
    }
    const routes = resources(tmp.dir, 'demo_deployment_client', 'routes');
    assert.ok(routes.every((rc) => rc.virtual_hosts[0].routes.every((x: Json) => x.route.timeout === '5s')));
  } finally {
    tmp.cleanup();
  }
});

test('bad values: exit 2 with a clear message', () => {
  const cases: [string[], RegExp][] = [
    [['--connect-timeout', '0'], /--connect-timeout must be more than 0 \(Envoy refuses a zero connect timeout\) \(got "0"\)/],
    [['--connect-timeout', 'fast'], /MESH1052 --connect-timeout must be a duration such as 500ms, 2s or 1m \(got "fast"\)/],
    [['--route-timeout', '0.0001s'], /--route-timeout must be a whole number of milliseconds \(got "0.0001s"\)/],
    [['--route-timeout', '2000m'], /--route-timeout must be a day at most \(got "2000m"\)/],
    [['--max-requests', '0'], /--max-requests must be a whole number from 1 to 4294967295 \(got "0"\)/],
    [['--max-connections', '4294967296'], /--max-connections must be a whole number from 1 to 4294967295/],
    [['--eject-after=-1'], /--eject-after must be a whole number from 0/],
  ];
  for (const [flags, message] of cases) {
    const r = runCli(['compile', 'fixtures/bookstore', '--out', '/tmp/meshc-never-written', ...flags]);
    assert.is(r.code, 2, flags.join(' '));
    assert.match(r.stderr, message, r.stderr);
  }
});

test('parseDuration and per-cluster overrides (field by field, for a later per-Service policy)', () => {
  assert.is(parseDuration('250ms'), 250);
  assert.is(parseDuration('2s'), 2000);
  assert.is(parseDuration('1m'), 60_000);
  assert.is(parseDuration('0'), 0);
  assert.equal(parseDuration('1h'), { expected: 'a duration such as 500ms, 2s or 1m', actual: '"1h"' });
  const s = resolveClusterSettings(DEFAULT_CLUSTER_SETTINGS, { connectTimeoutMs: 3000, circuitBreakers: { maxRequests: 10 } });
  assert.equal(s, { ...DEFAULT_CLUSTER_SETTINGS, connectTimeoutMs: 3000, circuitBreakers: { ...DEFAULT_CLUSTER_SETTINGS.circuitBreakers, maxRequests: 10 } });
  assert.is(resolveClusterSettings(DEFAULT_CLUSTER_SETTINGS), DEFAULT_CLUSTER_SETTINGS);
});

test.run();
