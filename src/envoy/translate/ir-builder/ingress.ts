/**
 * IngressBackend (policy.openservicemesh.io) in the IR, applied after the walk over the proxies (when the
 * MeshConfig's enableIngressBackendPolicy is on, or there is no MeshConfig), as OSM v1.2 built it
 * (osm-translation.md section 14): on every proxy serving a backend Service on the backend's port (OSM compares
 * `port.number` with the target port), one `IngressIR` for that target port, admitting
 *
 * - by source address: IPRange sources and the endpoint IPs (/32) of Service sources
 *   (src/reach/ingress-sources.ts); a Service source without known addresses drops the whole IngressBackend,
 *   as OSM drops it when the Service has no endpoints (check reports MESH1180/MESH1181);
 * - by client certificate (https without skipClientCertValidation): the AuthenticatedPrincipal names.
 *
 * The ingress chain sits beside the mesh's own chain for the port on the inbound listener; one that Envoy could
 * not tell apart from it (https without server names or source ranges) or from another ingress chain is left out
 * (MESH1183). Proxyless gRPC has no sidecar to terminate ingress traffic: nothing is compiled (MESH1184).
 */
import type { IngressBackend } from '../../../model/osm-types.ts';
import { ingressSourceAddresses } from '../../../reach/ingress-sources.ts';
import type { HttpMatchIR, IngressIR, ProxyIR } from '../ir.ts';
import { matchIR } from '../matches.ts';
import { cmp, type BuildContext } from './context.ts';

const keyOf = (ib: IngressBackend) => `${ib.meta.namespace}/${ib.meta.name}`;
const sortUnique = (xs: string[]) => [...new Set(xs)].sort(cmp);

/** The IngressBackend's source prefix ranges, or null when a Service source has no known address (OSM drops it). */
export function sourceRanges(ctx: BuildContext, ib: IngressBackend): string[] | null {
  const ranges: string[] = [];
  for (const s of ib.sources) {
    if (s.kind === 'IPRange' && s.cidr) ranges.push(`${s.cidr.address}/${s.cidr.prefix}`);
    if (s.kind !== 'Service') continue;
    const addresses = ingressSourceAddresses(ctx.index, s.namespace, s.name);
    if (!addresses?.known || addresses.ips.length === 0) return null;
    ranges.push(...addresses.ips.map((ip) => (ip.includes(':') ? `${ip}/128` : `${ip}/32`)));
  }
  return sortUnique(ranges);
}

/** The HTTP routes of the chain: OSM's catch-all, or the matches of the HTTPRouteGroups the IngressBackend names. */
export function ingressRoutes(ctx: BuildContext, ib: IngressBackend): 'all' | HttpMatchIR[] {
  const groups = ib.matches.filter((m) => m.kind === 'HTTPRouteGroup');
  if (groups.length === 0) return 'all';
  const out = new Map<string, HttpMatchIR>();
  for (const m of groups) {
    const key = `${ib.meta.namespace}/${m.name}`;
    for (const match of ctx.index.httpRouteGroups.get(key)?.matches ?? []) {
      const ir = matchIR(key, match);
      out.set(ir.name, ir);
    }
  }
  // A named group that is missing admits nothing (never everything).
  return [...out.values()].sort((a, b) => cmp(a.name, b.name));
}

function ingressOf(ctx: BuildContext, ib: IngressBackend, i: number, ranges: string[]): IngressIR | null {
  const b = ib.backends[i]!;
  if (b.port.protocol !== 'http' && b.port.protocol !== 'https') return null;
  const service = `${ib.meta.namespace}/${b.name}`;
  const validate = b.port.protocol === 'https' && b.tls?.skipClientCertValidation !== true;
  const ir: IngressIR = {
    from: keyOf(ib), service, targetPort: b.port.number, protocol: b.port.protocol, sourceRanges: ranges,
    principals: validate ? sortUnique(ib.sources.filter((s) => s.kind === 'AuthenticatedPrincipal').map((s) => s.name)) : 'any',
    routes: ingressRoutes(ctx, ib),
  };
  if (b.port.protocol === 'https') ir.tls = { serverNames: sortUnique(b.tls?.sniHosts ?? []), validateClient: validate };
  return ir;
}

/** Why Envoy could not tell this chain apart from one the proxy already has on its port, or undefined. */
function clash(node: ProxyIR, ir: IngressIR): string | undefined {
  const other = node.ingress?.find((x) => x.targetPort === ir.targetPort);
  if (other) return `${node.id} already has the ingress chain of IngressBackend ${other.from} (Service ${other.service}) on port ${ir.targetPort}`;
  if (ir.tls && ir.tls.serverNames.length === 0 && ir.sourceRanges.length === 0) {
    return `an https chain without tls.sniHosts and without Service or IPRange sources matches exactly what the mesh's own mTLS chain for port ${ir.targetPort} matches; give tls.sniHosts or a source that restricts addresses`;
  }
  return undefined;
}

export function applyIngress(ctx: BuildContext, nodes: ProxyIR[]): void {
  const osm = ctx.options.osm;
  if ((osm && !osm.features.enableIngressBackendPolicy) || ctx.mesh.ingressBackends.length === 0) return;
  const ordered = [...ctx.mesh.ingressBackends].sort((a, b) => cmp(keyOf(a), keyOf(b)));
  if (ctx.grpc) {
    for (const ib of ordered) ctx.reporter.report('MESH1184', { name: keyOf(ib) }, { meta: ib.meta });
    return;
  }
  const reported = new Set<string>();
  for (const ib of ordered) {
    const ranges = sourceRanges(ctx, ib);
    if (ranges === null) continue;
    ib.backends.forEach((_, i) => {
      const ir = ingressOf(ctx, ib, i, ranges);
      if (!ir) return;
      for (const node of nodes) {
        const serves = node.inbound.some((p) => p.targetPort === ir.targetPort && p.services.some((s) => s.service === ir.service));
        if (!serves) continue;
        const why = clash(node, ir);
        if (why === undefined) {
          node.ingress = [...(node.ingress ?? []), ir].sort((a, b) => a.targetPort - b.targetPort);
        } else if (!reported.has(`${ir.from}#${i}|${why}`)) {
          reported.add(`${ir.from}#${i}|${why}`);
          ctx.reporter.report('MESH1183', { name: ir.from, backend: `${ir.service}:${ir.targetPort}`, why }, { meta: ib.meta, path: ['spec', 'backends', i] });
        }
      }
    });
  }
}
