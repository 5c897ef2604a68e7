import { keyOf } from '../../core/types.ts';
import type { Rule } from '../types.ts';
import { deliveryOf, reachabilityOf } from './shared.ts';

/**
 * MESH0633: an HTTPRouteGroup rule granting an HTTP Service port whose target port the destination's pods also serve
 * to a TCP Service port: their one inbound chain for it is TCP, so the rule admits nothing there (src/reach/delivery.ts
 * decides it for compile, MESH0857/MESH0859, and why alike).
 */
export const httpRuleOnSharedTcpTargetPort: Rule = {
  id: 'http-rule-on-shared-tcp-target-port',
  description: 'HTTP rules at pods whose inbound chain for the port is TCP because another Service reaches it as TCP',
  codes: ['MESH0633'],
  inputs: ['trafficTargets'],
  run(ctx) {
    if (ctx.config.permissive) return;
    const reach = reachabilityOf(ctx);
    const delivery = deliveryOf(ctx);
    const reported = new Set<string>();
    for (const [identity, ports] of Object.entries(reach.inbound)) {
      for (const ip of ports) {
        const tcp = delivery.httpRefusedAt(ip.service, ip.port).get(identity);
        if (tcp === undefined) continue;
        for (const id of ip.grants) {
          const g = reach.grants[id];
          const key = `${id}|${ip.service}|${ip.port}`;
          if (g.protocol !== 'http' || reported.has(key)) continue;
          reported.add(key);
          const tt = ctx.index.trafficTargets.get(g.trafficTarget);
          if (!tt) continue;
          ctx.report('MESH0633', {
            route: keyOf(g.route), trafficTarget: g.trafficTarget, port: ip.port, service: ip.service, identity, tcp,
          }, { meta: tt.meta, path: ['spec', 'rules', g.rule] });
        }
      }
    }
  },
};
