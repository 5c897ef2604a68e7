/**
 * check, why and compile agree (issue 12 items 3 and 4): for every fixture, every (proxy identity → Service port)
 * that `why` answers ALLOWED is realised in the compiled IR (an outbound entry with routes), and every realised one
 * is ALLOWED, or DENIED only because part of its traffic is refused where compile delivers it (a split backend that
 * denies the caller, pods of another identity behind the Service). An ALLOWED answer's clusters hold only the pods
 * whose identity admits the caller. UDP/SCTP ports are not proxied (no Envoy listener carries them) and left out.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolve } from 'node:path';
import { check } from '../src/pipeline/check.ts';
import { meshIR, type CompileOptions } from '../src/pipeline/compile.ts';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import { ReachQuery } from '../src/reach/query.ts';
import { computeReachability } from '../src/reach/index.ts';
import { portProtocol } from '../src/model/port-protocol.ts';
import { spiffeId } from '../src/envoy/translate/names.ts';
import { ROOT } from './helpers/cli.ts';

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
];

/** Realised: the identity's proxies carry the port with at least one route. */
const PARTIAL = new Set(['split-backend-denies', 'pods-deny-caller']);

for (const fx of FIXTURES) {
  test(`why and compile agree: ${fx.name}`, async () => {
    const checked = await check(fx.paths.map((p) => resolve(ROOT, p)), { cwd: ROOT, ...fx.options });
    const ir = meshIR(checked, fx.options ?? {}, new DiagnosticSink());
    const reach = computeReachability(checked.mesh, checked.index, checked.config);
    const query = new ReachQuery(reach, checked.index, checked.config.clusterDomain);
    const disagreements: string[] = [];
    let allowed = 0;
    let checkedEdges = 0;
    for (const node of ir.nodes) {
      for (const rs of Object.values(reach.services)) {
        for (const rp of rs.ports) {
          if (portProtocol(rp) === 'none') continue;
          const r = query.why({ from: node.identity, to: rs.key, port: rp.port });
          if (!r.ok) continue;
          checkedEdges++;
          const a = r.answer;
          const entry = node.outbound.find((o) => o.service === rs.key && o.port === rp.port && o.routes.length > 0);
          const edge = `${node.id} (${node.identity}) → ${rs.key}:${rp.port}`;
          if (a.allowed) {
            allowed++;
            if (!entry) disagreements.push(`${edge}: why ALLOWED (${a.reason}), compile does not deliver it`);
            else if (!a.split && reach.mode === 'smi') {
              // Only pods that admit the caller: every cluster of the plain route holds admitting identities only.
              const served = query.delivery.servedBy(rs.key, rp.port, reach.outbound[node.identity]?.find((p) => p.service === rs.key && p.port === rp.port)?.grants ?? []);
              const admitted = new Set(served.identities.map((id) => spiffeId(ir.options.trustDomain, id)));
              for (const route of entry.routes) {
                for (const t of route.targets) {
                  const c = ir.clusters.get(t.cluster)!;
                  if (c.service !== rs.key) continue;
                  const extra = c.peerIds.filter((p) => !admitted.has(p));
                  if (extra.length > 0) disagreements.push(`${edge}: cluster ${c.name} holds pods of ${extra.join(', ')}, which do not admit the caller`);
                }
              }
            }
          } else if (entry && !PARTIAL.has(a.denial ?? '')) {
            disagreements.push(`${edge}: why DENIED (${a.denial}: ${a.reason}), compile delivers it`);
          }
        }
      }
    }
    assert.equal(disagreements, []);
    assert.ok(checkedEdges > 0 && allowed > 0, 'the fixture has allowed edges to compare');
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
