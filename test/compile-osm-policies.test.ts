/**
 * OSM policies and application insights in the compiled output (the shop
 * fixture; the full output is in test/golden/shop): Retry → client route
 * retry_policy, UpstreamTrafficSetting → circuit breakers, connect timeout,
 * max requests per connection and local rate limits, JSON access logs with
 * OSM's keys on every sidecar HCM, Zipkin tracing, and the summary line.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from './helpers/cli.ts';
import { compileTo, diagnosticLines, tempDir } from './helpers/compile.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;
const res = (out: string, node: string, stem: string) => JSON.parse(readFileSync(join(out, 'nodes', node, `${stem}.json`), 'utf8')).resources as J[];
const hcms = (listeners: J[]) => listeners.filter((l) => l.name !== 'stats-listener')
  .flatMap((l) => l.filter_chains.flatMap((c: J) => c.filters)).filter((f: J) => f.name === 'envoy.filters.network.http_connection_manager').map((f: J) => f.typed_config);

async function compileShop(edit?: (dir: string) => void, options = {}) {
  const tmp = tempDir();
  const src = join(tmp.dir, 'shop');
  cpSync(join(ROOT, 'fixtures/shop'), src, { recursive: true });
  edit?.(src);
  const out = join(tmp.dir, 'out');
  const r = await compileTo([src], out, options);
  assert.equal(r.status, 'written', diagnosticLines(r).join('\n'));
  return { out, tmp, r };
}

test('Retry: bookbuyer\'s routes to bookstore retry; its other routes and other proxies do not; off with enableRetryPolicy: false', async () => {
  const { out, tmp } = await compileShop();
  try {
    const vhosts = res(out, 'bookbuyer_deployment_bookbuyer', 'routes').flatMap((r) => r.virtual_hosts) as J[];
    const policies = Object.fromEntries(vhosts.map((v) => [v.name, v.routes.map((r: J) => r.route.retry_policy ?? null)]));
    assert.equal(policies['bookstore/bookstore|14001'], [{ retry_on: '5xx,connect-failure', num_retries: 3, per_try_timeout: '1s', retry_back_off: { base_interval: '0.1s' } }]);
    assert.equal(policies['bookstore/bookstore-v1|14001'], [null]);
    assert.not.ok(readFileSync(join(out, 'nodes', 'bookwarehouse_deployment_bookwarehouse', 'routes.json'), 'utf8').includes('retry_policy'));
  } finally { tmp.cleanup(); }
  const off = await compileShop((dir) => {
    const f = join(dir, 'osm/mesh-config.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('enableRetryPolicy: true', 'enableRetryPolicy: false'));
  });
  try {
    assert.not.ok(readFileSync(join(off.out, 'nodes', 'bookbuyer_deployment_bookbuyer', 'routes.json'), 'utf8').includes('retry_policy'));
    assert.ok(diagnosticLines(off.r).some((l) => l.includes('MESH1112')));
  } finally { off.tmp.cleanup(); }
});

test('UpstreamTrafficSetting: every client\'s bookwarehouse cluster has the circuit breakers; bookwarehouse limits its inbound chain, vhost and /restock route', async () => {
  const { out, tmp } = await compileShop();
  try {
    for (const node of ['bookstore_deployment_bookstore-v1', 'bookstore_deployment_bookstore-v2']) {
      const c = res(out, node, 'clusters').find((x) => x.name === 'bookwarehouse/bookwarehouse|14001')!;
      assert.equal(c.circuit_breakers.thresholds, [{ max_connections: 100, max_pending_requests: 50, max_requests: 200, max_retries: 3, track_remaining: true }]);
      assert.is(c.connect_timeout, '5s');
      assert.equal(c.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].common_http_protocol_options, { max_requests_per_connection: 10 });
    }
    const inbound = res(out, 'bookwarehouse_deployment_bookwarehouse', 'listeners').find((l) => l.name === 'inbound-listener')!;
    const chain = inbound.filter_chains[0];
    assert.equal(chain.filters.map((f: J) => f.name), ['envoy.filters.network.local_ratelimit', 'envoy.filters.network.http_connection_manager']);
    assert.equal(chain.filters[0].typed_config.token_bucket, { max_tokens: 60, tokens_per_fill: 50, fill_interval: '1s' });
    assert.equal(chain.filters[1].typed_config.http_filters.map((f: J) => f.name), ['envoy.filters.http.rbac', 'envoy.filters.http.local_ratelimit', 'envoy.filters.http.router']);
    const vhost = res(out, 'bookwarehouse_deployment_bookwarehouse', 'routes')[0]!.virtual_hosts[0];
    const limit = (x: J) => x.typed_per_filter_config['envoy.filters.http.local_ratelimit'];
    assert.equal([limit(vhost).token_bucket, limit(vhost).status], [{ max_tokens: 100, tokens_per_fill: 100, fill_interval: '60s' }, { code: 'TooManyRequests' }]);
    assert.equal(limit(vhost.routes[0]).token_bucket, { max_tokens: 10, tokens_per_fill: 10, fill_interval: '60s' });
  } finally { tmp.cleanup(); }
});

test('application insights: JSON access log with OSM\'s keys on every sidecar HCM, Zipkin tracing with request ids, the tracing cluster', async () => {
  const { out, tmp } = await compileShop();
  try {
    const all = ['bookbuyer_deployment_bookbuyer', 'bookwarehouse_deployment_bookwarehouse'].flatMap((n) => hcms(res(out, n, 'listeners')));
    assert.is(all.length, 3); // bookbuyer outbound and egress-http.80, bookwarehouse inbound
    for (const h of all) {
      const log = h.access_log[0];
      assert.is(log.name, 'envoy.access_loggers.stdout');
      assert.equal(Object.keys(log.typed_config.log_format.json_format), ['start_time', 'method', 'path', 'protocol', 'response_code', 'response_code_details',
        'time_to_first_byte', 'upstream_cluster', 'response_flags', 'bytes_received', 'bytes_sent', 'duration', 'upstream_service_time', 'x_forwarded_for',
        'user_agent', 'request_id', 'requested_server_name', 'authority', 'upstream_host']);
      assert.is(h.generate_request_id, true);
      assert.is(h.tracing.provider.typed_config.collector_cluster, 'envoy-tracing-cluster');
    }
    const cluster = res(out, 'bookthief_deployment_bookthief', 'clusters').find((c) => c.name === 'envoy-tracing-cluster')!;
    assert.equal(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address, { address: 'jaeger.osm-system.svc.cluster.local', port_value: 9411 });
  } finally { tmp.cleanup(); }
  const off = await compileShop(undefined, { accessLog: 'off' });
  try {
    assert.not.ok(readFileSync(join(off.out, 'nodes', 'bookbuyer_deployment_bookbuyer', 'listeners.json'), 'utf8').includes('access_log'));
  } finally { off.tmp.cleanup(); }
});

test('Egress: bookbuyer gets the HTTP, HTTPS (SNI) and TCP (IP range) egress chains, routes and clusters; nobody else does', async () => {
  const { out, tmp } = await compileShop();
  try {
    const outbound = res(out, 'bookbuyer_deployment_bookbuyer', 'listeners').find((l) => l.name === 'outbound-listener')!;
    const chains = Object.fromEntries(outbound.filter_chains.map((c: J) => [c.name, c.filter_chain_match]));
    assert.equal(chains['egress-http.80'], { destination_port: 80 });
    assert.equal(chains['egress-https.443'], { destination_port: 443, server_names: ['api.github.com'] });
    assert.equal(chains['egress-tcp.5432'], { destination_port: 5432, prefix_ranges: [{ address_prefix: '203.0.113.0', prefix_len: 24 }] });
    assert.equal(outbound.listener_filters.map((f: J) => f.name), ['envoy.filters.listener.original_dst', 'envoy.filters.listener.tls_inspector']);
    const egressRoute = res(out, 'bookbuyer_deployment_bookbuyer', 'routes').find((r) => r.name === 'rds-egress.80')!;
    assert.equal(egressRoute.virtual_hosts[0].domains, ['httpbin.org', 'httpbin.org:80']);
    assert.equal(egressRoute.virtual_hosts[0].routes.map((r: J) => [r.match.safe_regex?.regex, r.route.cluster]), [['(?:/get$).*', 'httpbin.org:80']]);
    const clusters = Object.fromEntries(res(out, 'bookbuyer_deployment_bookbuyer', 'clusters').map((c) => [c.name, c.type]));
    assert.equal([clusters['httpbin.org:80'], clusters['443'], clusters['5432']], ['STRICT_DNS', 'ORIGINAL_DST', 'ORIGINAL_DST']);
    assert.not.ok(readFileSync(join(out, 'nodes', 'bookthief_deployment_bookthief', 'listeners.json'), 'utf8').includes('egress-'));
  } finally { tmp.cleanup(); }
});

test('why --to-external answers egress with the deciding fields; usage errors exit 2', () => {
  const ok = runCli(['why', '--from', 'bookbuyer/bookbuyer', '--to-external', 'api.github.com:443', 'fixtures/shop', '--format', 'json']);
  assert.is(ok.code, 0, ok.stderr);
  const a = JSON.parse(ok.stdout);
  assert.is(a.allowed, true);
  assert.equal(a.via.map((v: J) => `${v.file}:${v.line}`), ['fixtures/shop/osm/egress.yaml:45', 'fixtures/shop/osm/egress.yaml:49', 'fixtures/shop/osm/egress.yaml:51']);
  const denied = runCli(['why', '--from', 'bookbuyer/bookbuyer', '--to-external', '198.51.100.1:5432', 'fixtures/shop']);
  assert.match(denied.stdout, /^DENIED {2}bookbuyer\/bookbuyer → 198\.51\.100\.1:5432/);
  assert.is(runCli(['why', '--from', 'bookbuyer/bookbuyer', '--to-external', 'api.github.com', 'fixtures/shop']).code, 2);
  assert.is(runCli(['why', '--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore', '--to-external', 'a.b:1', 'fixtures/shop']).code, 2);
});

test('CLI: the summary says which insights are on; --access-log is checked', () => {
  const tmp = tempDir();
  try {
    const r = runCli(['compile', 'fixtures/shop', '--out', join(tmp.dir, 'out'), '--access-log', 'text']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /meshc compile: application insights: access log text \(stdout\) on every HTTP connection manager; Prometheus stats on :15010\/stats\/prometheus; tracing on \(Zipkin → jaeger\.osm-system\.svc\.cluster\.local:9411\/api\/v2\/spans\)\n/);
    const plain = runCli(['compile', 'fixtures/bookstore', '--out', join(tmp.dir, 'out2'), '--stats-port', '9901']);
    assert.match(plain.stderr, /application insights: access log json \(stdout\) on every HTTP connection manager; Prometheus stats on :9901\/stats\/prometheus; tracing off\n/);
    const bad = runCli(['compile', 'fixtures/shop', '--out', join(tmp.dir, 'out3'), '--access-log', 'yaml']);
    assert.is(bad.code, 2);
    assert.match(bad.stderr, /--access-log must be one of json, text, off \(got "yaml"\)/);
  } finally { tmp.cleanup(); }
});

test.run();
