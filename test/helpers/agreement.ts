/**
 * Where `why` and compile disagree on a checked mesh (test/delivery-agreement.test.ts, test/fuzz-agreement.test.ts):
 * for every (proxy identity → Service port), `why` ALLOWED must be realised in the compiled IR (an outbound entry
 * with routes) and a realised one must be ALLOWED, or DENIED only because part of its traffic is refused where
 * compile delivers it (a split backend that denies the caller, pods of another identity behind the Service). An
 * ALLOWED answer's clusters hold only the pods whose identity admits the caller; a Service no workload serves may
 * keep its route (permissive mode), to no pod. UDP/SCTP ports are not proxied.
 */
import type { CheckResult } from '../../src/pipeline/check.ts';
import { meshIR, type CompileOptions } from '../../src/pipeline/compile.ts';
import { DiagnosticSink } from '../../src/core/diagnostics.ts';
import { ReachQuery } from '../../src/reach/query.ts';
import { computeReachability } from '../../src/reach/index.ts';
import { portProtocol } from '../../src/model/port-protocol.ts';
import { spiffeId } from '../../src/envoy/translate/names.ts';

/**
 * Denials of part of an edge's traffic where the rest is delivered: a split backend that denies the caller, pods of
 * another identity behind the Service, a route rule (of several) that routes nothing (its requests get 500).
 */
const PARTIAL = new Set(['split-backend-denies', 'pods-deny-caller', 'split-routes-nothing']);

export interface Agreement {
  disagreements: string[];
  /** (identity → Service port) questions `why` answered. */
  edges: number;
  allowed: number;
}

export function whyCompileAgreement(checked: CheckResult, options: Partial<CompileOptions> = {}): Agreement {
  const sink = new DiagnosticSink();
  const ir = meshIR(checked, options, sink);
  const reach = computeReachability(checked.mesh, checked.index, checked.config);
  // `why --target grpc` answers for proxyless gRPC clients: no TCP ports, only Services and backends with known addresses.
  const query = new ReachQuery(reach, checked.index, checked.config.clusterDomain, options.target ?? 'envoy');
  const disagreements: string[] = [];
  let allowed = 0;
  let edges = 0;
  for (const node of ir.nodes) {
    for (const rs of Object.values(reach.services)) {
      for (const rp of rs.ports) {
        // UDP/SCTP are not proxied.
        if (portProtocol(rp) === 'none') continue;
        const r = query.why({ from: node.identity, to: rs.key, port: rp.port });
        if (!r.ok) continue;
        edges++;
        const a = r.answer;
        // Realised: the identity's proxies carry the port with at least one route that forwards somewhere (not only 500s).
        const entry = node.outbound.find((o) => o.service === rs.key && o.port === rp.port && o.routes.some((r) => r.targets.length > 0));
        const edge = `${node.id} (${node.identity}) → ${rs.key}:${rp.port}`;
        if (a.allowed) {
          allowed++;
          if (!entry) disagreements.push(`${edge}: why ALLOWED (${a.reason}), compile does not deliver it`);
          else if (!a.split && reach.mode === 'smi') {
            // Only pods that admit the caller: every cluster of the plain route holds identities whose grants admit
            // the caller (worked out here from the grants, not by the delivery code compile uses).
            const grants = reach.outbound[node.identity]?.find((p) => p.service === rs.key && p.port === rp.port)?.grants ?? [];
            const admitting = grants.filter((id) => query.delivery.grantTakesEffect(id, rs.key, rp.port)).map((id) => reach.grants[id]!.destination);
            const admitted = new Set(admitting.map((id) => spiffeId(ir.options.trustDomain, id)));
            for (const route of entry.routes) {
              for (const t of route.targets) {
                const c = ir.clusters.get(t.cluster)!;
                if (c.service !== rs.key) continue;
                const extra = c.peerIds.filter((p) => !admitted.has(p));
                if (extra.length > 0) disagreements.push(`${edge}: cluster ${c.name} holds pods of ${extra.join(', ')}, which do not admit the caller`);
              }
            }
          }
        } else if (entry && a.denial === 'no-workloads') {
          // A Service no workload serves keeps its route in permissive mode, as in OSM: the proxy answers 503
          // instead of letting the request leave the mesh. Its clusters must then hold no pod.
          for (const t of entry.routes.flatMap((r) => r.targets)) {
            const c = ir.clusters.get(t.cluster)!;
            if (c.service === rs.key && c.peerIds.length > 0) disagreements.push(`${edge}: why DENIED (no workload serves it), compile's cluster ${c.name} holds pods of ${c.peerIds.join(', ')}`);
          }
        } else if (entry && !PARTIAL.has(a.denial ?? '')) {
          disagreements.push(`${edge}: why DENIED (${a.denial}: ${a.reason}), compile delivers it`);
        }
      }
    }
  }
  return { disagreements, edges, allowed };
}
