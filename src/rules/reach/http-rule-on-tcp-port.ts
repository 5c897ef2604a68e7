import { keyOf } from '../../core/types.ts';
import { carriesHttp, portProtocol, tcpReason } from '../../model/port-protocol.ts';
import type { ReachPort } from '../../reach/types.ts';
import type { Rule } from '../types.ts';
import { reachabilityOf } from './shared.ts';

const fixFor = (p: ReachPort) => p.appProtocol !== undefined
  ? 'if it carries HTTP, set appProtocol: http (or grpc); otherwise grant it with a TCPRoute'
  : `name it http-… (or grpc-…) or set appProtocol: http, or grant it with a TCPRoute`;

/**
 * MESH0607: an HTTPRouteGroup rule whose destination Service has no port it
 * can apply to, and a port that compiles as plain TCP (by its name or
 * appProtocol). Reachability grants HTTP rules only on HTTP/gRPC ports, as the
 * compiled proxies enforce them, so the rule admits nothing there; this says
 * why, at the rule, with the fix. Not reported when every caller of the rule
 * reaches that port through another rule (a TCPRoute next to it).
 */
export const httpRuleOnTcpPort: Rule = {
  id: 'http-rule-on-tcp-port',
  description: 'HTTPRouteGroup rules that can never apply to a Service whose ports compile as plain TCP',
  codes: ['MESH0607'],
  inputs: ['trafficTargets'],
  run(ctx) {
    if (ctx.config.permissive) return;
    const reach = reachabilityOf(ctx);
    const targets = ctx.index.trafficTargets;
    const reachedBy = new Map<string, Set<string>>();
    const reaches = (source: string, service: string, port: number): boolean => {
      let set = reachedBy.get(source);
      if (!set) {
        set = new Set((reach.outbound[source] ?? []).filter((pa) => pa.grants.length > 0).map((pa) => `${pa.service}|${pa.port}`));
        reachedBy.set(source, set);
      }
      return set.has(`${service}|${port}`);
    };
    // Whether a Service has a port that carries HTTP: exactly where an HTTP grant with matches applies (grantCoversPort).
    const httpServices = new Map<string, boolean>();
    const carriesHttpSomewhere = (key: string): boolean => {
      let http = httpServices.get(key);
      if (http === undefined) httpServices.set(key, (http = reach.services[key].ports.some(carriesHttp)));
      return http;
    };
    for (const g of reach.grants) {
      // Missing routes, unknown match names and empty sources have their own findings.
      if (g.protocol !== 'http' || g.routeMissing || (g.http?.length ?? 0) === 0 || g.sources.length === 0) continue;
      const tt = targets.get(g.trafficTarget);
      if (!tt) continue;
      for (const key of reach.servicesByIdentity[g.destination] ?? []) {
        if (carriesHttpSomewhere(key)) continue;
        const svc = reach.services[key];
        const model = ctx.index.services.get(key);
        for (const [i, p] of svc.ports.entries()) {
          if (portProtocol(p) !== 'tcp') continue;
          if (g.sources.every((s) => reaches(s.identity, key, p.port))) continue;
          const field = p.appProtocol !== undefined ? 'appProtocol' : 'name';
          ctx.report('MESH0607', {
            route: keyOf(g.route), trafficTarget: g.trafficTarget, port: p.port, service: key,
            why: tcpReason(p), fix: fixFor(p),
          }, { meta: tt.meta, path: ['spec', 'rules', g.rule] }, model ? [
            { message: `port ${p.port} of Service ${key} is plain TCP by ${tcpReason(p)}`, at: { meta: model.meta, path: ['spec', 'ports', i, field] } },
          ] : undefined);
        }
      }
    }
  },
};
