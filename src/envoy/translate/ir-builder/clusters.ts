/** Upstream clusters: created once per Service port and shared by name between the proxies that may reach it. */
import type { Workload } from '../../../model/types.ts';
import type { ServiceKey } from '../../../reach/types.ts';
import { resolveEndpoints } from '../endpoints.ts';
import type { ClusterIR } from '../ir.ts';
import { serviceFqdn, spiffeId, upstreamClusterName } from '../names.ts';
import { portProtocol } from '../protocol.ts';
import { cmp, servicePortOf, type BuildContext } from './context.ts';

export function clusterFor(ctx: BuildContext, svcKey: ServiceKey, port: number): ClusterIR | null {
  const name = upstreamClusterName(svcKey, port);
  const cached = ctx.clusters.get(name);
  if (cached) return cached;
  const rs = ctx.reach.services[svcKey];
  const rp = rs?.ports.find((p) => p.port === port);
  const proto = rp ? portProtocol(rp) : 'none';
  if (!rs || !rp || proto === 'none') return null;
  const svc = ctx.modelService(svcKey);
  const workloads = rs.workloads.map((k) => ctx.workloadsByKey.get(k)).filter((w): w is Workload => !!w);
  const localities = resolveEndpoints(rp, servicePortOf(svc, port), ctx.endpointSets.get(svcKey), workloads);
  const headless = svc?.clusterIP === 'None';
  const fqdn = serviceFqdn(svcKey, ctx.options.clusterDomain);
  const c: ClusterIR = {
    name, service: svcKey, port, protocol: proto, localities,
    dns: { host: fqdn, port: headless && rp.targetPort !== null ? rp.targetPort : port },
    sni: fqdn,
    peerIds: rs.identities.map((id) => spiffeId(ctx.options.trustDomain, id)).sort(cmp),
  };
  ctx.clusters.set(name, c);
  return c;
}

/**
 * For proxyless gRPC clients: the denied share of a split backend goes to a
 * cluster without endpoints (the call fails with UNAVAILABLE), since no
 * server-side RBAC would refuse it at the backend.
 */
export function deniedCluster(ctx: BuildContext, svcKey: ServiceKey, port: number): ClusterIR | null {
  const real = clusterFor(ctx, svcKey, port);
  if (!real) return null;
  const name = `denied|${real.name}`;
  const cached = ctx.clusters.get(name);
  if (cached) return cached;
  const c: ClusterIR = { ...real, name, localities: [], peerIds: [] };
  ctx.clusters.set(name, c);
  return c;
}

/** A cluster a route may name for this node, or null (recorded as a finding). */
export function usableCluster(ctx: BuildContext, svcKey: ServiceKey, port: number): ClusterIR | null {
  const c = clusterFor(ctx, svcKey, port);
  if (c && ctx.grpc && c.localities === null) {
    ctx.findings.grpcNoEndpoints.add(`${svcKey}|${port}`, { service: svcKey, port });
    return null;
  }
  return c;
}
