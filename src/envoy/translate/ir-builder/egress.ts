/**
 * Egress (policy.openservicemesh.io) in the IR: for each proxy whose identity
 * an Egress lists as a source (when the MeshConfig's enableEgressPolicy is
 * on, or there is no MeshConfig), the destinations outside the mesh it may
 * reach, merged per protocol and port across Egresses, sorted (osm-translation.md section 13):
 * http by host (and the routes of the HTTPRouteGroups the Egress names),
 * https by SNI host or IP range, tcp/tcp-server-first by IP range.
 */
import type { Egress } from '../../../model/osm-types.ts';
import type { EgressIR, HttpMatchIR, ProxyIR } from '../ir.ts';
import { matchIR, matchKey } from '../matches.ts';
import { cmp, type BuildContext } from './context.ts';

const sortUnique = (xs: string[]) => [...new Set(xs)].sort(cmp);

function httpRoutes(ctx: BuildContext, eg: Egress): 'all' | HttpMatchIR[] {
  const groups = eg.matches.filter((m) => m.kind === 'HTTPRouteGroup');
  if (groups.length === 0) return 'all';
  const out: HttpMatchIR[] = [];
  for (const m of groups) {
    const key = `${eg.meta.namespace}/${m.name}`;
    for (const match of ctx.index.httpRouteGroups.get(key)?.matches ?? []) out.push(matchIR(key, match));
  }
  return out;
}

export function applyEgress(ctx: BuildContext, nodes: ProxyIR[]): void {
  const osm = ctx.options.osm;
  if ((osm && !osm.features.enableEgressPolicy) || ctx.mesh.egresses.length === 0 || ctx.grpc) return;
  const bySource = new Map<string, Egress[]>();
  for (const eg of ctx.mesh.egresses) {
    for (const s of eg.sources) {
      if (s.kind !== 'ServiceAccount') continue;
      const k = `${s.namespace}/${s.name}`;
      bySource.set(k, [...(bySource.get(k) ?? []), eg]);
    }
  }
  const reported = new Set<string>();
  for (const node of nodes) {
    const egresses = bySource.get(node.identity);
    if (!egresses) continue;
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
    for (const eg of egresses) {
      const ranges = eg.ipAddresses.map((c) => `${c.address}/${c.prefix}`);
      for (const [i, p] of eg.ports.entries()) {
        const any = p.protocol === 'http' ? false : p.protocol === 'https' ? eg.hosts.length === 0 && ranges.length === 0 : ranges.length === 0;
        if (any && bare.has(p.number)) {
          conflict(eg, i, `it would match every destination on port ${p.number}, which ${node.id} already sends to a mesh service; give ipAddresses${p.protocol === 'https' ? ' or hosts' : ''}`);
          continue;
        }
        if (p.protocol === 'http' && meshTcpBare.has(p.number)) {
          conflict(eg, i, `port ${p.number} is a TCP port of a mesh service without a known address on ${node.id}, so HTTP egress cannot be told apart on it`);
          continue;
        }
        if (p.protocol === 'http') {
          const hosts = http.get(p.number) ?? new Map();
          http.set(p.number, hosts);
          const routes = httpRoutes(ctx, eg);
          for (const h of eg.hosts.map((x) => x.toLowerCase())) {
            const entry = hosts.get(h) ?? { all: false, routes: new Map() };
            hosts.set(h, entry);
            if (routes === 'all') entry.all = true;
            else for (const r of routes) entry.routes.set(matchKey(r), r);
          }
        } else if (p.protocol === 'https') {
          const e = https.get(p.number) ?? { serverNames: [], ranges: [] };
          https.set(p.number, e);
          e.serverNames.push(...eg.hosts.map((x) => x.toLowerCase()));
          e.ranges.push(...ranges);
        } else {
          const e = tcp.get(p.number) ?? { ranges: [], any: false };
          tcp.set(p.number, e);
          if (ranges.length === 0) e.any = true;
          e.ranges.push(...ranges);
        }
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
    if (ir.http.length + ir.https.length + ir.tcp.length > 0) node.egress = ir;
  }
}
