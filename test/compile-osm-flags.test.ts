/**
 * MeshConfig featureFlags enableEnvoyActiveHealthChecks (active HTTP health
 * checks on the mesh's HTTP clusters, answered by each sidecar's inbound
 * health_check filter) and enableWASMStats (Envoy stats tags in the
 * bootstrap), and the findings for flags compiled otherwise than OSM did
 * (MESH1191, MESH1192). Full output: test/golden/bookstore-osm-flags.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT, runCli } from './helpers/cli.ts';
import { compileTo, diagnosticLines, tempDir } from './helpers/compile.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;
const FLAGS = join(ROOT, 'test/compile-fixtures/osm-flags/mesh-config.yaml');
const BOOKSTORE = join(ROOT, 'fixtures/bookstore');
const res = (out: string, node: string, stem: string) => JSON.parse(readFileSync(join(out, 'nodes', node, `${stem}.json`), 'utf8')).resources as J[];
const bootstrap = (out: string, node: string) => parseYaml(readFileSync(join(out, 'nodes', node, 'bootstrap.yaml'), 'utf8')) as J;

async function compile(options: J = {}) {
  const tmp = tempDir();
  const out = join(tmp.dir, 'out');
  const r = await compileTo([BOOKSTORE], out, options);
  assert.equal(r.status, 'written', diagnosticLines(r).join('\n'));
  return { out, tmp, r };
}

test('active health checks: on every HTTP cluster of a mesh Service (not TCP), answered first in every inbound HTTP connection manager', async () => {
  const { out, tmp } = await compile({ meshConfig: FLAGS });
  try {
    const buyer = res(out, 'bookbuyer_deployment_bookbuyer', 'clusters');
    const v1 = buyer.find((c) => c.name === 'bookstore/bookstore-v1|14001')!;
    assert.equal(v1.health_checks, [{
      timeout: '1s', interval: '10s', healthy_threshold: 1, unhealthy_threshold: 3,
      http_health_check: { host: 'bookstore-v1.bookstore.svc.cluster.local', path: '/healthz/osm', request_headers_to_add: [{ header: { key: 'x-osm-envoy-healthcheck', value: '1' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }] },
    }]);
    // bookwarehouse → mysql is TCP: its inbound chain is a TCP proxy, an HTTP check would reach MySQL.
    const mysql = res(out, 'bookwarehouse_deployment_bookwarehouse', 'clusters').find((c) => c.name.startsWith('bookwarehouse/mysql|'))!;
    assert.is(mysql.health_checks, undefined);
    const inbound = res(out, 'bookstore_deployment_bookstore-v1', 'listeners').find((l) => l.name === 'inbound-listener')!;
    const hcm = inbound.filter_chains.flatMap((c: J) => c.filters).find((f: J) => f.name === 'envoy.filters.network.http_connection_manager').typed_config;
    assert.equal(hcm.http_filters.map((f: J) => f.name), ['envoy.filters.http.health_check', 'envoy.filters.http.rbac', 'envoy.filters.http.router']);
    assert.equal(hcm.http_filters[0].typed_config.headers, [{ name: ':path', string_match: { exact: '/healthz/osm' } }, { name: 'x-osm-envoy-healthcheck', present_match: true }]);
    assert.is(hcm.http_filters[0].typed_config.pass_through_mode, false);
    const mysqlInbound = res(out, 'bookwarehouse_statefulset_mysql', 'listeners').find((l) => l.name === 'inbound-listener')!;
    assert.not.ok(JSON.stringify(mysqlInbound).includes('health_check'));
  } finally { tmp.cleanup(); }
});

test('WASM stats as stats tags: each ADS and static bootstrap tags by its workload and cuts destinations out of cluster names', async () => {
  for (const mode of ['ads', 'static']) {
    const { out, tmp } = await compile({ meshConfig: FLAGS, bootstrap: mode });
    try {
      const cfg = bootstrap(out, 'bookwarehouse_statefulset_mysql').stats_config;
      assert.equal(cfg.stats_tags.slice(0, 3), [
        { tag_name: 'source_namespace', fixed_value: 'bookwarehouse' }, { tag_name: 'source_kind', fixed_value: 'StatefulSet' }, { tag_name: 'source_name', fixed_value: 'mysql' },
      ], mode);
      const [ns, name] = cfg.stats_tags.slice(3) as J[];
      // First group: cut from the statistic's name; second: the tag's value (Envoy's TagSpecifier).
      const stat = 'cluster.bookstore/bookstore-v1|14001.upstream_rq_200';
      assert.equal([...new RegExp(ns!.regex).exec(stat)!].slice(1), ['bookstore/', 'bookstore']);
      assert.equal([...new RegExp(name!.regex).exec(stat)!].slice(1), ['bookstore-v1|', 'bookstore-v1']);
      assert.is(new RegExp(ns!.regex).exec('cluster.httpbin.org:80.upstream_rq_200'), null, 'egress clusters are no mesh destination');
      assert.is(cfg.use_all_default_tags, true);
    } finally { tmp.cleanup(); }
  }
  const plain = await compile();
  try {
    assert.is(bootstrap(plain.out, 'bookbuyer_deployment_bookbuyer').stats_config, undefined);
    assert.not.ok(JSON.stringify(res(plain.out, 'bookbuyer_deployment_bookbuyer', 'clusters')).includes('health_checks'));
  } finally { plain.tmp.cleanup(); }
});

test('findings: flags not compiled as OSM did, at the flag; the gRPC target says it has neither health checks nor stats', async () => {
  const { r, tmp } = await compile({ meshConfig: FLAGS });
  try {
    const lines = diagnosticLines(r).filter((l) => /MESH119[12]/.test(l));
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines.join('\n'), /mesh-config\.yaml:16:37: info MESH1191 MeshConfig featureFlags\.enableAsyncProxyServiceMapping is not compiled as OSM did: it configures how osm-controller/);
    assert.match(lines.join('\n'), /mesh-config\.yaml:15:30: info MESH1191 MeshConfig featureFlags\.enableSnapshotCacheMode/);
    assert.match(lines.join('\n'), /mesh-config\.yaml:14:22: info MESH1191 MeshConfig featureFlags\.enableWASMStats is not compiled as OSM did: meshc loads no WASM stats filter/);
  } finally { tmp.cleanup(); }
  const g = tempDir();
  try {
    const grpc = await compileTo([join(ROOT, 'test/compile-fixtures/grpc-split')], join(g.dir, 'out'), { meshConfig: FLAGS, target: 'grpc' });
    assert.equal(grpc.status, 'written', diagnosticLines(grpc).join('\n'));
    const text = diagnosticLines(grpc).join('\n');
    assert.match(text, 'featureFlags.enableEnvoyActiveHealthChecks is not compiled as OSM did: proxyless gRPC clients do not run xDS active health checks');
    assert.match(text, 'featureFlags.enableWASMStats is not compiled as OSM did: proxyless gRPC clients have no Envoy statistics to extend');
    assert.not.ok(readFileSync(join(g.dir, 'out', 'nodes', readdirSync(join(g.dir, 'out', 'nodes'))[0]!, 'clusters.json'), 'utf8').includes('health_checks'));
  } finally { g.cleanup(); }
});

test('CLI: the summary line says the stats are tagged and the health checks on', () => {
  const tmp = tempDir();
  try {
    const r = runCli(['compile', 'fixtures/bookstore', '--mesh-config', 'test/compile-fixtures/osm-flags/mesh-config.yaml', '--out', join(tmp.dir, 'out')]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, 'application insights: access log json (stdout) on every HTTP connection manager; Prometheus stats tagged by source workload and destination Service on :15010/stats/prometheus; tracing off; active health checks on HTTP clusters\n');
  } finally { tmp.cleanup(); }
});

test.run();
