/**
 * Outbound: only the (service, port) pairs reachability says the identity may reach (every Service port in
 * permissive mode), each with its routes (split roots route to their backends, split-targets.ts) and the addresses
 * its TCP chain matches on.
 */
import type { Workload } from '../../../model/types.ts';
import { splitGoverns, type PortAccess, type ReachPort, type ReachSplit, type ServiceKey } from '../../../reach/types.ts';
import type { OutboundPortIR, OutboundRouteIR, WeightedTarget } from '../ir.ts';
import { matchIR } from '../matches.ts';
import { serviceHostnames } from '../names.ts';
import { isHttpLike, portProtocol } from '../protocol.ts';
import { clusterFor, usableCluster } from './clusters.ts';
import { cmp, type BuildContext, type Proto } from './context.ts';
import { effectiveGrants } from './grants.ts';
import { splitTargets } from './split-targets.ts';
import { grpcQueryRoute, withPolicy, type PolicySite } from './route-policy.ts';

export function outboundOf(ctx: BuildContext, w: Workload, identity: string): OutboundPortIR[] {
  const out: OutboundPortIR[] = [];
  const node = { namespace: w.meta.namespace };
  if (ctx.permissive) {
    for (const rs of Object.values(ctx.reach.services)) {
      // An ExternalName Service for a host outside the cluster has no sidecar to answer mTLS, and meshc compiles no
      // egress. (An alias of an in-cluster name, or a Service whose pods are not in the input, may well be meshed.)
      if (ctx.delivery.outsideMesh(rs.key)) {
        ctx.findings.outsideMesh.add(rs.key, { service: rs.key, host: ctx.modelService(rs.key)!.externalName! });
        continue;
      }
      for (const rp of rs.ports) {
        const e = deliverable(ctx, identity, rs.key, rp.port) ? outboundEntry(ctx, { ...node, identity }, rs.key, rp, undefined) : null;
        if (e) out.push(e);
      }
    }
  } else {
    for (const pa of ctx.reach.outbound[identity] ?? []) {
      const rp = ctx.reach.services[pa.service]?.ports.find((p) => p.port === pa.port);
      if (!rp || !deliverable(ctx, identity, pa.service, pa.port)) continue;
      const e = outboundEntry(ctx, { ...node, identity }, pa.service, rp, pa);
      if (e) out.push(e);
    }
  }
  out.sort((a, b) => a.port - b.port || cmp(a.service, b.service));
  return out;
}

function outboundEntry(ctx: BuildContext, node: { namespace: string; identity: string }, svcKey: ServiceKey, rp: ReachPort, pa: PortAccess | undefined): OutboundPortIR | null {
  const proto = portProtocol(rp);
  if (proto === 'none') return null;
  if (ctx.grpc && proto === 'tcp') {
    ctx.findings.grpcTcp.add(`${svcKey}|${rp.port}`, { service: svcKey, port: rp.port });
    return null;
  }
  const routes = outboundRoutes(ctx, svcKey, rp.port, proto, pa, node.identity);
  if (routes === null || routes.length === 0) return null;
  const svc = ctx.modelService(svcKey);
  const clusterIP = svc?.clusterIP && svc.clusterIP !== 'None' ? svc.clusterIP : undefined;
  let destinationIPs: string[] = [];
  if (clusterIP) destinationIPs = [clusterIP];
  else if (svc?.clusterIP === 'None') {
    const c = clusterFor(ctx, svcKey, rp.port);
    destinationIPs = [...new Set((c?.localities ?? []).flatMap((l) => l.endpoints.map((e) => e.ip)))].sort(cmp);
  }
  return {
    service: svcKey, port: rp.port, protocol: proto,
    hostnames: serviceHostnames(svcKey, rp.port, ctx.options.clusterDomain, node.namespace, clusterIP),
    routes, destinationIPs,
  };
}

/**
 * The routes of one outbound port: a split's matched requests to its backends, the rest (or everything, without a
 * split) to the Service itself when the client may reach it directly. Null: the split's weights overflow.
 */
function outboundRoutes(ctx: BuildContext, svcKey: ServiceKey, port: number, proto: Proto, pa: PortAccess | undefined, identity: string): OutboundRouteIR[] | null {
  const granted = ctx.permissive || pa === undefined ? []
    : effectiveGrants(ctx, pa.grants, proto, svcKey, port).filter((id) => ctx.delivery.grantTakesEffect(id, svcKey, port));
  const direct = ctx.permissive || granted.length > 0;
  const rootTarget = (): WeightedTarget[] => {
    if (!direct) return [];
    const c = usableCluster(ctx, svcKey, port, ctx.permissive ? undefined : granted);
    return c ? [{ cluster: c.name, weight: 1 }] : [];
  };
  const routes: OutboundRouteIR[] = [];
  const split = ctx.reach.splits[svcKey];
  if (splitGoverns(split, port) && split.unmatched === 'none') return gammaRoutes(ctx, split, port, proto, pa, identity);
  if (splitGoverns(split, port)) {
    const targets = splitTargets(ctx, svcKey, port, pa);
    if (targets === null) return null;
    // Gateway API routes: timeouts and filters of the splitting rule and of the catch-all rule (route-policy.ts).
    const model = ctx.index.trafficSplits.get(split.split);
    const site = policySite(ctx, split.split, identity, port);
    const http = isHttpLike(proto);
    const policy = (r: OutboundRouteIR, p: 'split' | 'root') => (http ? withPolicy(ctx, r, model?.policies?.[p], site) : r);
    const matches = split.rules[0]!.matches;
    if (matches.length > 0) {
      if (http && targets.length > 0) {
        for (const groupKey of matches) {
          const group = ctx.index.httpRouteGroups.get(groupKey);
          for (const m of group?.matches ?? []) {
            const r = policy({ match: matchIR(groupKey, m), targets }, 'split');
            if (!grpcQueryRoute(ctx, r, site, 0)) routes.push(r);
          }
        }
      }
      const root = rootTarget();
      if (root.length > 0) routes.push(policy({ targets: root }, 'root'));
    } else if (targets.length > 0) {
      routes.push(policy({ targets }, 'split'));
    }
  } else {
    const root = rootTarget();
    if (root.length > 0) routes.push({ targets: root });
  }
  return routes;
}

function policySite(ctx: BuildContext, splitKey: string, identity: string, port: number): PolicySite {
  const from = ctx.index.trafficSplits.get(splitKey)?.synthesizedFrom;
  return { split: splitKey, route: from ? `${from.kind} ${from.namespace}/${from.name}` : splitKey, identity, port };
}

/**
 * Gateway API mesh routes: one route per rule match, in precedence order, each with its rule's timeouts and filters,
 * and no catch-all (a request that matches no rule gets 404). A rule none of whose backends is usable keeps its
 * route, answering 500 (as the spec asks for invalid backends), so its requests do not fall through to a later
 * rule. A TCP port takes the first every-request rule.
 */
function gammaRoutes(ctx: BuildContext, split: ReachSplit, port: number, proto: Proto, pa: PortAccess | undefined, identity: string): OutboundRouteIR[] | null {
  const routes: OutboundRouteIR[] = [];
  const http = isHttpLike(proto);
  for (const [i, rule] of split.rules.entries()) {
    if (!http && rule.matches.length > 0) continue;
    const targets = splitTargets(ctx, split.root, port, pa, i);
    if (targets === null) return null;
    const model = ctx.index.trafficSplits.get(rule.split);
    const site = policySite(ctx, rule.split, identity, port);
    const policy = (r: OutboundRouteIR) => (http && targets.length > 0 ? withPolicy(ctx, r, model?.policies?.split, site) : r);
    if (rule.matches.length === 0) {
      routes.push(policy({ targets }));
      if (!http) break;
      continue;
    }
    const groupKey = rule.matches[0]!;
    const m = ctx.index.httpRouteGroups.get(groupKey)?.matches[rule.matchIndex ?? 0];
    if (!m) continue;
    const r = policy({ match: matchIR(groupKey, m), targets });
    if (!grpcQueryRoute(ctx, r, site, model?.gamma?.rule ?? 0)) routes.push(r);
  }
  // Nothing usable at all: the port carries nothing for this client (as a split none of whose backends it may use).
  return routes.some((r) => r.targets.length > 0) ? routes : [];
}

/**
 * Whether the caller's outbound listener can carry this Service port (src/reach/delivery.ts decides, for check and
 * why too): a TCP port matched by port alone beside other Services on that port is left out (MESH0858). Proxyless
 * gRPC clients have no TCP chains.
 */
function deliverable(ctx: BuildContext, identity: string, svcKey: ServiceKey, port: number): boolean {
  if (ctx.grpc) return true;
  const u = ctx.delivery.undelivered(identity, svcKey, port);
  if (!u) return true;
  ctx.findings.ambiguous.add(`${svcKey}|${port}`, { service: svcKey, port, other: u.other });
  return false;
}
