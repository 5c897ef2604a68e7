/**
 * Egress (policy.openservicemesh.io) in the IR: for each proxy whose identity
 * an Egress lists as a source (when the MeshConfig's enableEgressPolicy is
 * on, or there is no MeshConfig), the destinations outside the mesh it may
 * reach, merged per protocol and port across Egresses, sorted (osm-translation.md section 13):
 * http by host (and the routes of the HTTPRouteGroups the Egress names),
 * https by SNI host or IP range, tcp/tcp-server-first by IP range.
 */
import type { Egress } from '../../../model/osm-types.ts';
import { egressOpeningsBySource } from '../../../reach/egress-openings.ts';
import type { EgressOpening } from '../../../reach/egress-openings.ts';
import type { ClusterSettingsIR, EgressIR, HttpMatchIR, ProxyIR } from '../ir.ts';
import { matchIR, matchKey } from '../matches.ts';
import { cmp, type BuildContext } from './context.ts';
import { clusterSettings } from './osm-policies.ts';

const sortUnique = (xs: string[]) => [...new Set(xs)].sort(cmp);
const keyOf = (m: { meta: { namespace: string; name: string } }) => `${m.meta.namespace}/${m.meta.name}`;

/** The egress clusters an opening sends to: `<host>:<port>` per http host, else the ORIGINAL_DST `<port>`. */
const clustersOf = (o: EgressOpening) => (o.protocol === 'http' ? o.hosts.map((h) => `${h}:${o.port}`) : [String(o.port)]);

/**
 * UpstreamTrafficSetting connection settings per egress cluster (osm-translation.md section 15): those of the
 * UpstreamTrafficSetting its Egress names. One cluster has one set of limits: the first Egress (by namespace/name)
 * that names settings for it decides; every other Egress reaching the cluster with other limits, or none, is
 * reported (MESH1190), since the limits apply to its traffic too.
 */
class EgressClusterSettings {
  private readonly byCluster = new Map<string, { opening: EgressOpening; settings?: ClusterSettingsIR }[]>();
  constructor(private readonly ctx: BuildContext, private readonly reported: Set<string>) {}

  add(o: EgressOpening): void {
    const settings = o.upstreamTrafficSetting ? clusterSettings(o.upstreamTrafficSetting) : undefined;
    for (const cluster of clustersOf(o)) {
      const list = this.byCluster.get(cluster) ?? [];
      this.byCluster.set(cluster, list);
      list.push({ opening: o, settings });
    }
  }

  /** The settings of the clusters that have any, by cluster name (sorted); disagreements reported. */
  result(): Record<string, ClusterSettingsIR> | undefined {
    const out: Record<string, ClusterSettingsIR> = {};
    for (const cluster of [...this.byCluster.keys()].sort(cmp)) {
      const list = this.byCluster.get(cluster)!;
      const winner = list.find((x) => x.settings);
      if (!winner) continue;
      out[cluster] = winner.settings!;
      for (const x of list) {
        if (x.settings?.from === winner.settings!.from) continue;
        const key = `${keyOf(x.opening.egress)}#${cluster}`;
        if (this.reported.has(key)) continue;
        this.reported.add(key);
        const why = `the connection settings of UpstreamTrafficSetting ${winner.settings!.from} (named by Egress ${keyOf(winner.opening.egress)}) apply to its traffic too`
          + (x.settings ? `, not those of ${x.settings.from} (one cluster, one set of limits)` : '');
        const o = x.opening;
        this.ctx.reporter.report('MESH1190', { name: keyOf(o.egress), port: o.port, cluster, why }, { meta: o.egress.meta, path: ['spec', 'ports', o.portIndex] });
      }
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
}

export function applyEgress(ctx: BuildContext, nodes: ProxyIR[]): void {
  if (ctx.mesh.egresses.length === 0 || ctx.grpc) return;
  // The shared reading of the egress switches and Egress objects (reach/egress-openings.ts), also behind why and graph.
  const bySource = egressOpeningsBySource(ctx.index, ctx.options.osm);
  const reported = new Set<string>();
  const reportedSettings = new Set<string>();
  for (const node of nodes) {
    const openings = bySource.get(node.identity);
    if (!openings) continue;
    // Ports where an in-mesh chain already matches on the port alone: an egress chain matching the same would be a duplicate.
    const bare = new Set(node.outbound.filter((o) => o.protocol !== 'tcp' || o.destinationIPs.length === 0).map((o) => o.port));
    const meshTcpBare = new Set(node.outbound.filter((o) => o.protocol === 'tcp' && o.destinationIPs.length === 0).map((o) => o.port));
    const conflict = (eg: Egress, i: number, why: string) => {
      const key = `${eg.meta.namespace}/${eg.meta.name}#${i}`;
      if (reported.has(key)) return;
      reported.add(key);
      const p = eg.ports[i]!;
      ctx.reporter.report('MESH1170', { name: `${eg.meta.namespace}/${eg.meta.name}`, port: p.number, protocol: p.protocol, why }, { meta: eg.meta, path: ['spec', 'ports', i] });
    };
    const http = new Map<number, Map<string, { all: boolean; routes: Map<string, HttpMatchIR> }>>();
    const https = new Map<number, { serverNames: string[]; ranges: string[] }>();
    const tcp = new Map<number, { ranges: string[]; any: boolean }>();
    const limits = new EgressClusterSettings(ctx, reportedSettings);
    for (const o of openings) {
      if (o.anyDestination && bare.has(o.port)) {
        conflict(o.egress, o.portIndex, `it would match every destination on port ${o.port}, which ${node.id} already sends to a mesh service; give ipAddresses${o.protocol === 'https' ? ' or hosts' : ''}`);
        continue;
      }
      if (o.protocol === 'http' && meshTcpBare.has(o.port)) {
        conflict(o.egress, o.portIndex, `port ${o.port} is a TCP port of a mesh service without a known address on ${node.id}, so HTTP egress cannot be told apart on it`);
        continue;
      }
      limits.add(o);
      if (o.protocol === 'http') {
        const hosts = http.get(o.port) ?? new Map();
        http.set(o.port, hosts);
        for (const h of o.hosts) {
          const entry = hosts.get(h) ?? { all: false, routes: new Map() };
          hosts.set(h, entry);
          if (o.routes === 'all') entry.all = true;
          else for (const r of o.routes.map(({ group, match }) => matchIR(group, match))) entry.routes.set(matchKey(r), r);
        }
      } else if (o.protocol === 'https') {
        const e = https.get(o.port) ?? { serverNames: [], ranges: [] };
        https.set(o.port, e);
        e.serverNames.push(...o.hosts);
        e.ranges.push(...o.ranges);
      } else {
        const e = tcp.get(o.port) ?? { ranges: [], any: false };
        tcp.set(o.port, e);
        if (o.anyDestination) e.any = true;
        e.ranges.push(...o.ranges);
      }
    }
    const ir: EgressIR = {
      http: [...http].sort(([a], [b]) => a - b).map(([port, hosts]) => ({
        port,
        hosts: [...hosts].sort(([a], [b]) => cmp(a, b)).map(([host, e]) => ({ host, routes: e.all ? 'all' as const : [...e.routes.values()].sort((a, b) => cmp(a.name, b.name)) })),
      })).filter((p) => p.hosts.length > 0),
      https: [...https].sort(([a], [b]) => a - b).map(([port, e]) => ({ port, serverNames: sortUnique(e.serverNames), ranges: sortUnique(e.ranges) })),
      tcp: [...tcp].sort(([a], [b]) => a - b).map(([port, e]) => ({ port, ranges: e.any ? [] : sortUnique(e.ranges) })),
    };
    const settings = limits.result();
    if (settings) ir.clusterSettings = settings;
    if (ir.http.length + ir.https.length + ir.tcp.length > 0) node.egress = ir;
  }
}
