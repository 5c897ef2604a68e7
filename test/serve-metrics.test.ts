/**
 * `meshc serve --metrics-listen`: Prometheus metrics on a plaintext HTTP port. What an operator alerts on must be
 * counted as it happens (streams, responses, ACKs, NACKs, refusals, reloads, the snapshot served); a hostile client
 * cannot add label values; only GET/HEAD /metrics is answered; bad values are usage errors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import { connect, deltaStream, ENVOY_NODE, sotwStream, startOnTakenPort, startTestServer, type TestServer } from './helpers/serve-client.ts';
import { CLUSTER, grpcSplitResources, LISTENER, type FixtureNode } from './helpers/serve-fixtures.ts';
import { until } from './helpers/wait.ts';

const NODE = 'shop/deployment/web';
const nodes = (weights: number[]): FixtureNode[] => [
  { id: NODE, resources: grpcSplitResources('svc', weights.map((weight, i) => ({ cluster: `b${i}`, port: 1, weight }))) },
  { id: 'shop/deployment/api', resources: grpcSplitResources('api', [{ cluster: 'a', port: 1, weight: 1 }]) },
];

async function scrape(t: TestServer, init: RequestInit = {}, path = '/metrics'): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(`http://127.0.0.1:${t.server.metricsPort}${path}`, init);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

/** The value of one series (`name{labels}` as exposed), or undefined when it is not exposed. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('counts streams, responses, ACKs, NACKs and refusals as they happen; the snapshot served; the process', async () => {
  const t = await startTestServer(nodes([1, 1]), { metricsListen: '127.0.0.1:0' });
  const client = connect(t.server.address);
  try {
    assert.type(t.server.metricsPort, 'number');
    const before = await scrape(t);
    assert.is(before.status, 200);
    assert.match(before.type ?? '', /^text\/plain; version=0\.0\.4/);
    assert.is(sample(before.body, 'meshc_serve_snapshot_nodes'), 2);
    assert.is(sample(before.body, `meshc_serve_snapshot_info{fingerprint="${t.server.cache.current().fingerprint}"}`), 1);
    assert.is(sample(before.body, 'meshc_serve_streams{protocol="sotw"}'), 0);
    assert.is(sample(before.body, 'meshc_serve_nacks_total{type="LDS"}'), 0, 'every series is there from the start (alerts need no absent())');
    assert.ok(sample(before.body, 'process_cpu_user_seconds_total') !== undefined, 'the process figures are exposed');
    // Text format 0.0.4: comments, blank lines and `name{labels} value` samples only, each family declared once
    // (Prometheus reads NaN in any case; prom-client writes `Nan` before the event-loop histogram has samples).
    for (const line of before.body.split('\n')) {
      if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})? (-?[0-9.e+-]+|NaN|Nan|[+-]Inf)$/);
    }
    const types = before.body.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
    assert.is(new Set(types).size, types.length);

    const s = sotwStream(client);
    s.send({ node: ENVOY_NODE(NODE), type_url: CLUSTER });
    const cds = await s.next();
    s.send({ type_url: CLUSTER, version_info: cds.version_info, response_nonce: cds.nonce }); // ACK
    s.send({ type_url: LISTENER });
    const lds = await s.next();
    s.send({ type_url: LISTENER, version_info: '', response_nonce: lds.nonce, error_detail: { code: 3, message: 'bad listener' } }); // NACK
    // A type the server never compiles, named by the client: answered, but counted under "other", never under its name.
    s.send({ type_url: 'type.googleapis.com/evil.Injected', resource_names: ['x'] });
    await s.next();
    const stranger = sotwStream(client);
    stranger.send({ node: ENVOY_NODE('shop/deployment/nobody'), type_url: CLUSTER });
    await stranger.ended;

    // The log's records are written after the metrics count them.
    await until(() => t.events('nack').length === 1 && t.events('unknown-node').length === 1, 'the NACK and the refusal');
    const during = (await scrape(t)).body;
    assert.is(sample(during, 'meshc_serve_streams{protocol="sotw"}'), 1);
    assert.is(sample(during, 'meshc_serve_streams_opened_total{protocol="sotw"}'), 1);
    assert.is(sample(during, 'meshc_serve_responses_total{type="CDS"}'), 1);
    assert.is(sample(during, 'meshc_serve_responses_total{type="LDS"}'), 1);
    assert.is(sample(during, 'meshc_serve_responses_total{type="other"}'), 1);
    assert.is(sample(during, 'meshc_serve_acks_total{type="CDS"}'), 1);
    assert.is(sample(during, 'meshc_serve_nacks_total{type="LDS"}'), 1);
    assert.is(sample(during, 'meshc_serve_nacks_total{type="CDS"}'), 0);
    assert.is(sample(during, 'meshc_serve_streams_rejecting{type="LDS"}'), 1, 'the proxy runs without the LDS it was sent');
    assert.is(sample(during, 'meshc_serve_streams_rejecting{type="CDS"}'), 0);
    assert.is(sample(during, 'meshc_serve_refused_total{reason="unknown-node"}'), 1);
    assert.not.match(during, /evil|nobody/, 'client-given names are never label values');

    const d = deltaStream(client);
    d.send({ node: ENVOY_NODE('shop/deployment/api'), type_url: CLUSTER, resource_names_subscribe: ['*'] });
    await d.next();
    const both = (await scrape(t)).body;
    assert.is(sample(both, 'meshc_serve_streams{protocol="delta"}'), 1);
    assert.is(sample(both, 'meshc_serve_responses_total{type="CDS"}'), 2);

    // A new output the proxy applies: it no longer runs without its LDS.
    await t.publish([{ id: NODE, resources: grpcSplitResources('svc2', [{ cluster: 'b0', port: 1, weight: 1 }]) }, nodes([1])[1]!]);
    for (;;) {
      const r = await s.next();
      s.send({ type_url: r.type_url, version_info: r.version_info, response_nonce: r.nonce, ...(r.type_url === LISTENER ? {} : { resource_names: [] }) });
      if (r.type_url === LISTENER) break;
    }
    await until(() => t.events('ack').some((r) => r.fields.type === 'LDS'), 'the LDS ACK');
    assert.is(sample((await scrape(t)).body, 'meshc_serve_streams_rejecting{type="LDS"}'), 0);

    s.cancel();
    await until(() => t.events('stream-close').length === 1, 'the stream to close');
    const after = (await scrape(t)).body;
    assert.is(sample(after, 'meshc_serve_streams{protocol="sotw"}'), 0);
    assert.is(sample(after, 'meshc_serve_streams{protocol="delta"}'), 1);
    assert.is(sample(after, 'meshc_serve_streams_rejecting{type="LDS"}'), 0, 'a closed stream rejects nothing');
    d.cancel();
  } finally {
    client.close();
    await t.close();
  }
});

test('reloads: a rejected output is counted and flagged until a good one is loaded; one info series, the new fingerprint', async () => {
  const t = await startTestServer(nodes([1, 1]), { metricsListen: '127.0.0.1:0' });
  try {
    const first = t.server.cache.current().fingerprint;
    writeFileSync(join(t.dir, 'manifest.json'), '{"nodes": [');
    assert.is((await t.server.reload()).ok, false);
    let body = (await scrape(t)).body;
    assert.is(sample(body, 'meshc_serve_reloads_total{result="rejected"}'), 1);
    assert.is(sample(body, 'meshc_serve_reload_failing'), 1);
    assert.is(sample(body, `meshc_serve_snapshot_info{fingerprint="${first}"}`), 1, 'the last good snapshot is still the one served');

    assert.is((await t.publish([...nodes([3, 1]), { id: 'shop/deployment/new', resources: grpcSplitResources('n', [{ cluster: 'n', port: 1, weight: 1 }]) }])).ok, true);
    body = (await scrape(t)).body;
    const next = t.server.cache.current().fingerprint;
    assert.is.not(next, first);
    assert.is(sample(body, 'meshc_serve_reloads_total{result="loaded"}'), 1);
    assert.is(sample(body, 'meshc_serve_reload_failing'), 0);
    assert.is(sample(body, 'meshc_serve_snapshot_nodes'), 3);
    assert.is(sample(body, `meshc_serve_snapshot_info{fingerprint="${next}"}`), 1);
    assert.is(body.split('\n').filter((l) => l.startsWith('meshc_serve_snapshot_info{')).length, 1);
  } finally {
    await t.close();
  }
});

test('only GET and HEAD /metrics are answered; the port is closed with the server', async () => {
  const t = await startTestServer(nodes([1]), { metricsListen: '127.0.0.1:0' });
  const port = t.server.metricsPort!;
  try {
    assert.is((await scrape(t, {}, '/')).status, 404);
    assert.is((await scrape(t, {}, '/debug/config_dump')).status, 404);
    const post = await scrape(t, { method: 'POST', body: 'x' });
    assert.is(post.status, 405);
    const head = await scrape(t, { method: 'HEAD' });
    assert.is(head.status, 200);
    assert.is(head.body, '');
    assert.is((await scrape(t, {}, '/metrics?name[]=x')).status, 200);
  } finally {
    await t.close();
  }
  const refused = await fetch(`http://127.0.0.1:${port}/metrics`).then(() => null, (e: Error) => e);
  assert.ok(refused, 'nothing listens after shutdown');
});

test('--metrics-listen: malformed, a port another listener uses, or in use: exit 2 with a clear message', async () => {
  const dir = 'test/golden/bookstore-does-not-matter';
  const cases: [string[], RegExp][] = [
    [['--metrics-listen', 'nohost'], /MESH1052 --metrics-listen must be HOST:PORT \(e\.g\. 0\.0\.0\.0:15014\) \(got "nohost"\)/],
    [['--listen', '127.0.0.1:18123', '--metrics-listen', '0.0.0.0:18123'], /MESH1053 --metrics-listen and --listen both use port 18123/],
    [['--health-listen', '0.0.0.0:18124', '--metrics-listen', '0.0.0.0:18124'], /MESH1053 --metrics-listen and --health-listen both use port 18124/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(['serve', '--snapshots', dir, ...args]);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
  }
  const { error, port } = await startOnTakenPort(nodes([1]), (port) => ({ metricsListen: `127.0.0.1:${port}`, healthListen: '127.0.0.1:0' }));
  assert.ok(error, 'start-up fails');
  assert.match(error!.message, `cannot listen on 127.0.0.1:${port} (--metrics-listen)`);
});

test.run();
