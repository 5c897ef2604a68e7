/**
 * Inbound: one entry per target port the workload serves, with one RBAC policy per admitting TrafficTarget rule
 * (sources → SPIFFE principals) and, for HTTP, the routes those rules admit.
 */
import type { Workload } from '../../../model/types.ts';
import type { ServiceKey } from '../../../reach/types.ts';
import { targetPortOn } from '../endpoints.ts';
import type { HttpMatchIR, InboundPortIR, RbacPolicyIR } from '../ir.ts';
import { matchIR, matchKey } from '../matches.ts';
import { portProtocol } from '../protocol.ts';
import { at, cmp, servicePortOf, wKey, type BuildContext, type Proto } from './context.ts';
import { effectiveGrants } from './grants.ts';

/** A Service port delivering to a target port, with the grants reachability gives it for this identity. */
interface DeliveringPort {
  service: ServiceKey;
  port: number;
  proto: Proto;
  grants: number[];
}

export function inboundOf(ctx: BuildContext, w: Workload, identity: string): InboundPortIR[] {
  const byTarget = deliveringPorts(ctx, w, identity);
  return [...byTarget.keys()].sort((a, b) => a - b).map((tp) => inboundPort(ctx, w, tp, byTarget.get(tp)!));
}

/** The Service ports (of every Service selecting the workload) by the target port they deliver to. */
function deliveringPorts(ctx: BuildContext, w: Workload, identity: string): Map<number, DeliveringPort[]> {
  const grantsBySp = new Map<string, number[]>();
  for (const ip of ctx.reach.inbound[identity] ?? []) grantsBySp.set(`${ip.service}|${ip.port}`, ip.grants);
  const byTarget = new Map<number, DeliveringPort[]>();
  for (const svcKey of [...(ctx.servicesByWorkload.get(wKey(w)) ?? [])].sort(cmp)) {
    const rs = ctx.reach.services[svcKey];
    const svc = ctx.modelService(svcKey);
    for (const rp of rs.ports) {
      const proto = portProtocol(rp);
      if (proto === 'none') continue;
      const tp = targetPortOn(rp, servicePortOf(svc, rp.port), w);
      if (tp === null) continue;
      let list = byTarget.get(tp);
      if (!list) byTarget.set(tp, (list = []));
      list.push({ service: svcKey, port: rp.port, proto, grants: grantsBySp.get(`${svcKey}|${rp.port}`) ?? [] });
    }
  }
  return byTarget;
}

function inboundPort(ctx: BuildContext, w: Workload, tp: number, sps: DeliveringPort[]): InboundPortIR {
  const protos = [...new Set(sps.map((s) => s.proto))].sort(cmp);
  // One chain per target port: TCP wins over HTTP (it carries both), gRPC over plain HTTP.
  const proto: Proto = protos.includes('tcp') ? 'tcp' : protos.includes('grpc') ? 'grpc' : 'http';
  if (protos.length > 1) {
    ctx.reporter.report('MESH0857', { workload: wKey(w), targetPort: tp, protocols: protos.join(', '), chosen: proto }, at(w.meta));
  }
  const policies = rbacPolicies(ctx, sps, proto);
  let routes: InboundPortIR['routes'] = 'all';
  if (!ctx.permissive && !policies.some((p) => p.permissions === 'all')) {
    const distinct = new Map<string, HttpMatchIR>();
    for (const p of policies) for (const m of p.permissions as HttpMatchIR[]) if (!distinct.has(matchKey(m))) distinct.set(matchKey(m), m);
    routes = [...distinct.values()].sort((a, b) => cmp(a.name, b.name));
  }
  return {
    targetPort: tp, protocol: proto,
    services: sps.map((s) => ({ service: s.service, port: s.port })),
    policies: ctx.permissive ? [] : policies.sort((a, b) => cmp(a.name, b.name)),
    routes,
  };
}

/** One ALLOW policy per TrafficTarget rule admitting traffic on the port (each rule once, however many Services). */
function rbacPolicies(ctx: BuildContext, sps: DeliveringPort[], proto: Proto): RbacPolicyIR[] {
  const policies: RbacPolicyIR[] = [];
  const seen = new Set<number>();
  for (const sp of sps) {
    for (const id of effectiveGrants(ctx, sp.grants, proto, sp.service, sp.port)) {
      if (seen.has(id)) continue;
      seen.add(id);
      const g = ctx.reach.grants[id];
      const principals = [...new Set(g.sources.map((s) => s.identity))].sort(cmp);
      if (principals.length === 0) continue;
      if (g.protocol === 'tcp') policies.push({ name: `${g.trafficTarget}#${g.rule}`, principals, permissions: 'all' });
      else if (g.http && g.http.length > 0) {
        policies.push({ name: `${g.trafficTarget}#${g.rule}`, principals, permissions: g.http.map((m) => matchIR(m.group, m)) });
      }
    }
  }
  return policies;
}
