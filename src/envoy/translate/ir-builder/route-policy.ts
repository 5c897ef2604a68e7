/**
 * The route policy of a split lowered from a Gateway API route (timeouts, header filters, request mirrors; the
 * model's RoutePolicy) on one client's outbound route. A mirror the client may not reach is left out of its routes
 * (MESH1213: its copies would be refused at the mirror); proxyless gRPC clients get only what grpc-js-xds honours
 * (MESH1214).
 */
import { envoyDuration } from '../../../model/duration.ts';
import type { HeaderMutation, RouteMirror, RoutePolicy } from '../../../model/types.ts';
import type { IdentityKey, ServiceKey } from '../../../reach/types.ts';
import type { HeaderMutationsIR, MirrorIR, OutboundRouteIR } from '../ir.ts';
import { usableCluster } from './clusters.ts';
import type { BuildContext } from './context.ts';
import { effectiveGrants } from './grants.ts';

/** Where a policy applies: the split (its 'namespace/name', the route's) and the client and port of the route. */
export interface PolicySite { split: string; route: string; identity: IdentityKey; port: number }

/** Gateway `fraction` → Envoy FractionalPercent: exact when the denominator divides a million, else in millionths. */
export function fractionIR(f: NonNullable<RouteMirror['fraction']>): MirrorIR['fraction'] {
  for (const [den, name] of [[100, 'HUNDRED'], [10_000, 'TEN_THOUSAND'], [1_000_000, 'MILLION']] as const) {
    if (den % f.denominator === 0) return { numerator: f.numerator * (den / f.denominator), denominator: name };
  }
  return { numerator: Math.round((f.numerator * 1_000_000) / f.denominator), denominator: 'MILLION' };
}

function mutationsIR(req: HeaderMutation | undefined, res: HeaderMutation | undefined): HeaderMutationsIR | undefined {
  const adds = (m: HeaderMutation) => [...m.set.map((h) => ({ ...h, append: false })), ...m.add.map((h) => ({ ...h, append: true }))];
  const out: HeaderMutationsIR = {};
  if (req && adds(req).length > 0) out.requestAdd = adds(req);
  if (req && req.remove.length > 0) out.requestRemove = [...req.remove];
  if (res && adds(res).length > 0) out.responseAdd = adds(res);
  if (res && res.remove.length > 0) out.responseRemove = [...res.remove];
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The grants admitting the client to the mirror's port, [] when none does (undefined: permissive, every pod). */
function mirrorGrants(ctx: BuildContext, identity: IdentityKey, service: ServiceKey, port: number): number[] | undefined {
  if (ctx.permissive) return undefined;
  const pa = (ctx.reach.outbound[identity] ?? []).find((p) => p.service === service && p.port === port);
  const proto = ctx.protoOf(service, port);
  if (!pa || !proto) return [];
  return effectiveGrants(ctx, pa.grants, proto, service, port).filter((id) => ctx.delivery.grantTakesEffect(id, service, port));
}

function mirrorIR(ctx: BuildContext, m: RouteMirror, site: PolicySite, rule: number): MirrorIR | undefined {
  if (m.fraction && m.fraction.numerator === 0) return undefined;
  const port = m.port ?? site.port;
  // A missing Service or port is MESH1211 (check): nothing to mirror to.
  if (!ctx.protoOf(m.service, port)) return undefined;
  const grants = mirrorGrants(ctx, site.identity, m.service, port);
  const denied = (reason: string) => {
    ctx.findings.mirrorLeftOut.add(`${site.split}|${rule}|${m.filter}|${reason}`, { split: site.split, route: site.route, rule, filter: m.filter, mirror: `${m.service}:${port}`, reason });
    return undefined;
  };
  if (grants && grants.length === 0) return denied(`no TrafficTarget admits these clients to ${m.service}:${port}, so its inbound RBAC would refuse every copy`);
  const c = usableCluster(ctx, m.service, port, grants);
  if (!c) return undefined;
  const out: MirrorIR = { cluster: c.name };
  if (m.fraction && m.fraction.numerator < m.fraction.denominator) out.fraction = fractionIR(m.fraction);
  return out;
}

/** What a proxyless gRPC client cannot realise is left out, with a finding per route and feature. */
function grpcDrop(ctx: BuildContext, r: OutboundRouteIR, site: PolicySite, rule: number): void {
  const drop = (what: string, field: keyof OutboundRouteIR) => {
    if (r[field] === undefined) return;
    delete r[field];
    ctx.findings.grpcPolicyDropped.add(`${site.split}|${rule}|${what}`, { split: site.split, route: site.route, rule, what });
  };
  drop('header modifier filters', 'headers');
  drop('RequestMirror filters', 'mirrors');
  drop('timeouts.backendRequest (per-try timeouts)', 'perTryTimeout');
}

/** `r` with the policy's fields (a new object; `r` unchanged); `r` itself without a policy. */
export function withPolicy(ctx: BuildContext, r: OutboundRouteIR, policy: RoutePolicy | undefined, site: PolicySite): OutboundRouteIR {
  if (!policy) return r;
  const out: OutboundRouteIR = { ...r, policyFrom: site.route };
  if (policy.request) out.timeout = envoyDuration(policy.request);
  if (policy.backendRequest) out.perTryTimeout = envoyDuration(policy.backendRequest);
  const headers = mutationsIR(policy.requestHeaders, policy.responseHeaders);
  if (headers) out.headers = headers;
  const mirrors = (policy.mirrors ?? []).map((m) => mirrorIR(ctx, m, site, policy.rule)).filter((m): m is MirrorIR => m !== undefined);
  if (mirrors.length > 0) out.mirrors = mirrors;
  if (ctx.grpc) grpcDrop(ctx, out, site, policy.rule);
  return out;
}

/**
 * A query-parameter match on a proxyless gRPC client: gRPC calls have no query string and grpc-js-xds ignores
 * `query_parameters` (the route would match every call), so the route is left out (as gRPC-Go does).
 */
export function grpcQueryRoute(ctx: BuildContext, r: OutboundRouteIR, site: PolicySite, rule: number): boolean {
  if (!ctx.grpc || !r.match?.queryParams?.length) return false;
  ctx.findings.grpcPolicyDropped.add(`${site.split}|${rule}|query`, { split: site.split, route: site.route, rule, what: 'query-parameter matches (gRPC calls have no query string; the route is left out)' });
  return true;
}
