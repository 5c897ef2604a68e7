/**
 * Upstream clusters: created once per Service port and shared by name between the proxies that may reach it. A
 * caller admitted by only some of the identities a Service's pods run as gets a cluster of those pods only (when
 * the endpoints can be told apart, src/reach/delivery.ts), named after the identities it holds, shared by every
 * caller admitted alike.
 */
import type { ServiceKey } from '../../../reach/types.ts';
import { groupByZone } from '../../../reach/endpoints.ts';
import type { ClusterIR } from '../ir.ts';
import { serviceFqdn, spiffeId, upstreamClusterName } from '../names.ts';
import { portProtocol } from '../protocol.ts';
import { cmp, type BuildContext } from './context.ts';

/**
 * The cluster of a Service port for a caller admitted by `grants` (reachability grant ids); without grants
 * (permissive mode, a backend whose share is denied at the backend) the cluster of every pod.
 */
export function clusterFor(ctx: BuildContext, svcKey: ServiceKey, port: number, grants?: number[]): ClusterIR | null {
  const served = grants ? ctx.delivery.servedBy(svcKey, port, grants) : undefined;
  const held = served && served.leftOut.length > 0 ? new Set(served.identities) : undefined;
  const name = upstreamClusterName(svcKey, port, held && [...held]);
  const cached = ctx.clusters.get(name);
  if (cached) return cached;
  const rs = ctx.reach.services[svcKey];
  const rp = rs?.ports.find((p) => p.port === port);
  const proto = rp ? portProtocol(rp) : 'none';
  if (!rs || !rp || proto === 'none') return null;
  const svc = ctx.modelService(svcKey);
  const addresses = ctx.delivery.addresses(svcKey, port);
  const localities = addresses && groupByZone(held ? addresses.filter((a) => a.identity !== null && held.has(a.identity)) : addresses);
  const headless = svc?.clusterIP === 'None';
  const fqdn = serviceFqdn(svcKey, ctx.options.clusterDomain);
  const c: ClusterIR = {
    name, service: svcKey, port, protocol: proto, localities,
    dns: { host: fqdn, port: headless && rp.targetPort !== null ? rp.targetPort : port },
    sni: fqdn,
    peerIds: rs.identities.filter((id) => !held || held.has(id)).map((id) => spiffeId(ctx.options.trustDomain, id)).sort(cmp),
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
export function usableCluster(ctx: BuildContext, svcKey: ServiceKey, port: number, grants?: number[]): ClusterIR | null {
  const c = clusterFor(ctx, svcKey, port, grants);
  if (c && ctx.grpc && c.localities === null) {
    ctx.findings.grpcNoEndpoints.add(`${svcKey}|${port}`, { service: svcKey, port });
    return null;
  }
  return c;
}
