import type { Rule } from '../types.ts';
import { listNames } from '../util/text.ts';
import { CallersByPort, callersOf, deliveryOf, reachabilityOf } from './shared.ts';

/**
 * MESH0630: a Service whose pods run as several identities, a caller admitted by only some of them, and endpoints
 * that cannot be told apart: the caller's cluster holds every pod (src/reach/delivery.ts decides it for compile and
 * why alike), so part of its traffic reaches pods that refuse it.
 */
export const servicePodsDenyCaller: Rule = {
  id: 'service-pods-deny-caller',
  description: 'callers admitted by only some identities of a Service whose endpoints cannot be told apart',
  codes: ['MESH0630'],
  inputs: ['services'],
  run(ctx) {
    if (ctx.config.permissive) return;
    const reach = reachabilityOf(ctx);
    const delivery = deliveryOf(ctx);
    const found = new CallersByPort<Set<string>>();
    const judge = (caller: string, service: string, port: number, grants: number[]) => {
      // A Service whose pods run as one identity (or none) sends every admitted caller to pods that admit it.
      if (grants.length === 0 || (reach.services[service]?.identities.length ?? 0) <= 1) return;
      const served = delivery.servedBy(service, port, grants);
      if (served.denying.length === 0) return;
      found.add(service, port, caller, new Set());
      for (const id of served.denying) found.items.get(`${service}|${port}`)!.extra.add(id);
    };
    for (const caller of callersOf(ctx)) {
      for (const pa of reach.outbound[caller] ?? []) {
        judge(caller, pa.service, pa.port, pa.grants);
        for (const b of pa.split?.rules.flatMap((r) => r.backends) ?? []) if (b.allowed && b.port !== null && b.weight > 0) judge(caller, b.service, b.port, b.grants);
      }
    }
    for (const f of found.sorted()) {
      const svc = ctx.index.services.get(f.service);
      if (!svc) continue;
      const i = svc.ports.findIndex((p) => p.port === f.port);
      const callers = [...f.callers].sort();
      const denying = [...f.extra].sort();
      ctx.report('MESH0630', {
        callers: listNames(callers), service: f.service, port: f.port, denying: listNames(denying),
        verb: denying.length === 1 ? 'does' : 'do', who: callers.length === 1 ? callers[0] : 'them',
      }, { meta: svc.meta, path: i >= 0 ? ['spec', 'ports', i] : ['spec'] });
    }
  },
};
