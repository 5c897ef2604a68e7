/**
 * check, why and compile agree (issue 12 items 3 and 4): for every fixture, every (proxy identity → Service port)
 * that `why` answers ALLOWED is realised in the compiled IR (an outbound entry with routes), and every realised one
 * is ALLOWED, or DENIED only because part of its traffic is refused where compile delivers it (a split backend that
 * denies the caller, pods of another identity behind the Service). An ALLOWED answer's clusters hold only the pods
 * whose identity admits the caller. UDP/SCTP ports are not proxied (no Envoy listener carries them) and left out.
 * The same for proxyless gRPC clients: `why --target grpc` against `compile --target grpc`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolve } from 'node:path';
import { check } from '../src/pipeline/check.ts';
import { meshIR, type CompileOptions } from '../src/pipeline/compile.ts';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import { ROOT } from './helpers/cli.ts';
import { whyCompileAgreement } from './helpers/agreement.ts';

const OSM = 'test/corpus/osm-demo';
const FIXTURES: { name: string; paths: string[]; options?: Partial<CompileOptions> }[] = [
  { name: 'bookstore', paths: ['fixtures/bookstore'] },
  { name: 'bookstore permissive', paths: ['fixtures/bookstore'], options: { permissive: true } },
  { name: 'edge', paths: ['test/compile-fixtures/edge'] },
  { name: 'delivery', paths: ['test/compile-fixtures/delivery'] },
  { name: 'delivery permissive', paths: ['test/compile-fixtures/delivery'], options: { permissive: true } },
  { name: 'grpc-split (as Envoy)', paths: ['test/compile-fixtures/grpc-split'] },
  { name: 'grpc-split-quantity (as Envoy)', paths: ['test/compile-fixtures/grpc-split/mesh.yaml', 'test/compile-fixtures/grpc-split-quantity'] },
  { name: 'osm-demo', paths: [OSM] },
  // `why --target grpc` against `compile --target grpc`: no TCP ports, only Services and backends with known addresses.
  { name: 'grpc-split (gRPC clients)', paths: ['test/compile-fixtures/grpc-split'], options: { target: 'grpc' } },
  { name: 'grpc-split-quantity (gRPC clients)', paths: ['test/compile-fixtures/grpc-split/mesh.yaml', 'test/compile-fixtures/grpc-split-quantity'], options: { target: 'grpc' } },
  { name: 'delivery (gRPC clients)', paths: ['test/compile-fixtures/delivery'], options: { target: 'grpc' } },
];

for (const fx of FIXTURES) {
  test(`why and compile agree: ${fx.name}`, async () => {
    const checked = await check(fx.paths.map((p) => resolve(ROOT, p)), { cwd: ROOT, ...fx.options });
    const { disagreements, edges, allowed } = whyCompileAgreement(checked, fx.options);
    assert.equal(disagreements, []);
    assert.ok(edges > 0 && allowed > 0, 'the fixture has allowed edges to compare');
  });
}

test('the delivery fixture realises each case as why tells it', async () => {
  const paths = [resolve(ROOT, 'test/compile-fixtures/delivery')];
  const checked = await check(paths, { cwd: ROOT });
  const ir = meshIR(checked, {}, new DiagnosticSink());
  const checkout = ir.nodes.find((n) => n.identity === 'pay/checkout')!;
  const auditor = ir.nodes.find((n) => n.identity === 'pay/auditor')!;
  const clusterOf = (n: typeof checkout, svc: string) => n.outbound.find((o) => o.service === svc)?.routes[0]?.targets[0]?.cluster;
  assert.is(clusterOf(checkout, 'pay/ledger'), 'pay/ledger|80|ledger', 'checkout: the ledger pods alone');
  assert.equal(ir.clusters.get('pay/ledger|80|ledger')!.localities!.flatMap((l) => l.endpoints.map((e) => e.ip)), ['10.1.0.11', '10.1.0.12']);
  assert.is(clusterOf(auditor, 'pay/ledger'), 'pay/ledger|80', 'auditor is admitted by both identities: every pod');
  assert.is(clusterOf(checkout, 'pay/reports'), 'pay/reports|8080', 'endpoints unknown: every pod (MESH0630)');
  assert.ok(checkout.outbound.some((o) => o.service === 'pay/broker'), 'a lone TCP port without an address is delivered (MESH0632)');
  assert.not.ok(checkout.outbound.some((o) => o.service.startsWith('pay/queue-')), 'ambiguous TCP ports are left out (MESH0631/MESH0858)');
  const billing = ir.nodes.find((n) => n.identity === 'pay/billing')!;
  assert.equal(billing.outbound, [], 'an HTTP rule at a TCP inbound chain admits nothing: no route (MESH0633/MESH0859)');
  const codes = checked.diagnostics.map((d) => `${d.code} ${d.message.split(' ').slice(0, 3).join(' ')}`).filter((c) => /MESH063\d/.test(c)).sort();
  assert.equal(codes, ['MESH0630 pay/checkout may reach', 'MESH0631 Service pay/queue-a port', 'MESH0631 Service pay/queue-b port', 'MESH0632 Service pay/broker port', 'MESH0633 HTTPRouteGroup rule pay/ledger-api']);
});

test.run();
