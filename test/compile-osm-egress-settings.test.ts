/**
 * UpstreamTrafficSetting on egress (osm-translation.md sections 13 and 15): an
 * Egress that names an UpstreamTrafficSetting in its matches gets its
 * connection settings on the egress clusters it uses (the http `<host>:<port>`
 * clusters, the ORIGINAL_DST `<port>` cluster of https and tcp), whatever the
 * setting's host says; one cluster has one set of limits (MESH1190).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.ts';
import { compileTo, diagnosticLines, tempDir } from './helpers/compile.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;
const BUYER = 'bookbuyer_deployment_bookbuyer';
const clusters = (out: string, node = BUYER) => JSON.parse(readFileSync(join(out, 'nodes', node, 'clusters.json'), 'utf8')).resources as J[];
const MAX = 4294967295;

async function compileShop(edit?: (dir: string) => void) {
  const tmp = tempDir();
  const src = join(tmp.dir, 'shop');
  cpSync(join(ROOT, 'fixtures/shop'), src, { recursive: true });
  edit?.(src);
  const out = join(tmp.dir, 'out');
  const r = await compileTo([src], out, {});
  assert.equal(r.status, 'written', diagnosticLines(r).join('\n'));
  return { out, tmp, r };
}

const GITHUB_LIMITS = `
---
apiVersion: policy.openservicemesh.io/v1alpha1
kind: UpstreamTrafficSetting
metadata:
  name: github-limits
  namespace: bookbuyer
spec:
  host: api.github.com
  connectionSettings:
    tcp: {maxConnections: 5, connectTimeout: 3s}
    http: {maxRequestsPerConnection: 7}
`;

test('shop: the httpbin.org:80 egress cluster has httpbin-limits (circuit breakers, connect timeout, max requests per connection); the other egress clusters none', async () => {
  const { out, tmp } = await compileShop();
  try {
    const all = clusters(out);
    const httpbin = all.find((c) => c.name === 'httpbin.org:80')!;
    assert.equal(httpbin.circuit_breakers.thresholds, [{ max_connections: 20, max_pending_requests: 10, max_requests: MAX, max_retries: MAX, track_remaining: true }]);
    assert.is(httpbin.connect_timeout, '2s');
    assert.equal(httpbin.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'], {
      '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      common_http_protocol_options: { max_requests_per_connection: 100 },
      explicit_http_config: { http_protocol_options: {} },
    });
    for (const name of ['443', '5432']) {
      const c = all.find((x) => x.name === name)!;
      assert.is(c.circuit_breakers, undefined, name);
      assert.is(c.connect_timeout, '1s', name);
    }
  } finally { tmp.cleanup(); }
});

test('https: the ORIGINAL_DST cluster 443 gets the limits of the Egress\'s UpstreamTrafficSetting (no HTTP options: it carries TCP)', async () => {
  const { out, tmp, r } = await compileShop((dir) => {
    const f = join(dir, 'osm/egress.yaml');
    const text = readFileSync(f, 'utf8').replace(/(name: github-https\n[\s\S]*?protocol: https\n)/, '$1  matches:\n    - {apiGroup: policy.openservicemesh.io/v1alpha1, kind: UpstreamTrafficSetting, name: github-limits}\n');
    assert.match(text, 'name: github-limits}');
    writeFileSync(f, text + GITHUB_LIMITS);
  });
  try {
    const c = clusters(out).find((x) => x.name === '443')!;
    assert.equal(c.circuit_breakers.thresholds, [{ max_connections: 5, max_pending_requests: MAX, max_requests: MAX, max_retries: MAX, track_remaining: true }]);
    assert.is(c.connect_timeout, '3s');
    assert.is(c.typed_extension_protocol_options, undefined);
    assert.not.ok(diagnosticLines(r).some((l) => /MESH1140|MESH1190/.test(l)), diagnosticLines(r).join('\n'));
  } finally { tmp.cleanup(); }
});

test('an Egress without settings sharing cluster 443 with one that has them: the limits apply to both, MESH1190 says so', async () => {
  const { out, tmp, r } = await compileShop((dir) => {
    const f = join(dir, 'osm/egress.yaml');
    const text = readFileSync(f, 'utf8').replace(/(name: github-https\n[\s\S]*?protocol: https\n)/, '$1  matches:\n    - {apiGroup: policy.openservicemesh.io/v1alpha1, kind: UpstreamTrafficSetting, name: github-limits}\n');
    writeFileSync(f, `${text}${GITHUB_LIMITS}---
apiVersion: policy.openservicemesh.io/v1alpha1
kind: Egress
metadata: {name: payments-https, namespace: bookbuyer}
spec:
  sources: [{kind: ServiceAccount, name: bookbuyer, namespace: bookbuyer}]
  hosts: [api.payments.example]
  ports: [{number: 443, protocol: https}]
`);
  });
  try {
    assert.is(clusters(out).find((x) => x.name === '443')!.circuit_breakers.thresholds[0].max_connections, 5);
    const lines = diagnosticLines(r).filter((l) => l.includes('MESH1190'));
    assert.equal(lines.length, 1, diagnosticLines(r).join('\n'));
    assert.match(lines[0]!, 'Egress bookbuyer/payments-https port 443 sends to the egress cluster 443: the connection settings of UpstreamTrafficSetting bookbuyer/github-limits (named by Egress bookbuyer/github-https) apply to its traffic too');
    assert.not.match(lines[0]!, 'not those of');
  } finally { tmp.cleanup(); }
});

test.run();
