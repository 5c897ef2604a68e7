/**
 * Model + reachability → per-proxy IR. Every policy decision of the compiler
 * is made here and in ir-builder/ (see ir.ts for the shapes and
 * docs/guide-compile.md for the semantics), one file per concern, all sharing
 * one BuildContext (ir-builder/context.ts):
 *
 * - proxies.ts: one proxy per Deployment, StatefulSet, DaemonSet and bare Pod,
 *   running as its ServiceAccount identity; node ids and directories;
 * - inbound.ts: one entry per target port the workload serves, with one RBAC
 *   policy per admitting TrafficTarget rule (sources → SPIFFE principals);
 * - outbound.ts: only the (service, port) pairs reachability says the identity
 *   may reach; split-targets.ts: TrafficSplit roots route to the backends this
 *   identity may reach, with their exact relative weights (reduced by the GCD);
 * - clusters.ts: clusters are created once per Service port and shared by name;
 * - probes.ts: kubelet probes rewritten to the sidecar's plaintext probe listeners;
 * - findings.ts: what is collected during the walk, reported once after it;
 * - osm-policies.ts, egress.ts: OSM Retry, UpstreamTrafficSetting and Egress, applied after the walk;
 * - ingress.ts: OSM IngressBackend, ingress chains on the backends' proxies, applied after the walk.
 * - mesh-config-flags.ts: the MeshConfig feature flags compiled otherwise than OSM did, reported.
 */
import type { MeshIndex } from '../../model/index-lookup.ts';
import type { Reachability } from '../../reach/types.ts';
import type { MeshIR, ProxyIR, TranslateOptions } from './ir.ts';
import { spiffeId } from './names.ts';
import { BuildContext, type Reporter } from './ir-builder/context.ts';
import { checkNameCollisions, reportCollected } from './ir-builder/findings.ts';
import { inboundOf } from './ir-builder/inbound.ts';
import { outboundOf } from './ir-builder/outbound.ts';
import { probesOf, reportProbePortClashes } from './ir-builder/probes.ts';
import { NodeNames, proxyWorkloads, reportPortClashes } from './ir-builder/proxies.ts';
import { applyOsmPolicies } from './ir-builder/osm-policies.ts';
import { applyEgress } from './ir-builder/egress.ts';
import { applyIngress } from './ir-builder/ingress.ts';
import { reportMeshConfigFlags } from './ir-builder/mesh-config-flags.ts';

export type { Reporter } from './ir-builder/context.ts';

export function buildMeshIR(index: MeshIndex, reach: Reachability, options: TranslateOptions, reporter: Reporter): MeshIR {
  const ctx = new BuildContext(index, reach, options, reporter);
  const names = new NodeNames(ctx);
  const nodes: ProxyIR[] = [];
  let edges = 0;
  const proxies = proxyWorkloads(ctx);
  for (const w of proxies) {
    const claimed = names.claim(w);
    if (!claimed) continue;
    const identity = `${w.meta.namespace}/${w.serviceAccountName ?? 'default'}`;
    ctx.currentNode = claimed.id;
    const outbound = outboundOf(ctx, w, identity);
    edges += outbound.length;
    // gRPC workloads serve too: their inbound ports become XdsServer Listeners with RBAC (grpc-security.ts).
    const inbound = inboundOf(ctx, w, identity);
    if (!ctx.grpc) reportPortClashes(ctx, w, inbound);
    // Proxyless gRPC clients have no sidecar: their probes reach the application directly.
    const probes = ctx.grpc ? [] : probesOf(ctx, w);
    reportProbePortClashes(ctx, w, probes);
    nodes.push({
      ...claimed, workload: { kind: w.workloadKind, namespace: w.meta.namespace, name: w.meta.name }, identity,
      spiffeId: spiffeId(options.trustDomain, identity),
      inbound,
      outbound,
      probes,
    });
  }
  if (proxies.length === 0) reporter.report('MESH0860', {});
  applyOsmPolicies(ctx, nodes);
  applyEgress(ctx, nodes);
  applyIngress(ctx, nodes);
  reportMeshConfigFlags(ctx);

  checkNameCollisions(ctx, nodes, Object.keys(reach.services));
  reportCollected(ctx);
  return { options, nodes, clusters: ctx.clusters, edges };
}
