import type { Rule } from '../types.ts';
import { listNames } from '../util/text.ts';
import { CallersByPort, callersOf, deliveryOf } from './shared.ts';

/**
 * MESH0632: the one TCP Service port a caller reaches by its port number alone (no ClusterIP, no known endpoint
 * address): its outbound chain takes every connection the caller opens to that port, to any address.
 */
export const tcpPortCatchAll: Rule = {
  id: 'tcp-port-catch-all',
  description: 'TCP Service ports without an address, whose outbound chain takes every connection to the port',
  codes: ['MESH0632'],
  inputs: ['services'],
  run(ctx) {
    const delivery = deliveryOf(ctx);
    const found = new CallersByPort<null>();
    for (const caller of callersOf(ctx)) {
      for (const c of delivery.candidates(caller)) {
        if (delivery.catchAll(caller, c.service, c.port)) found.add(c.service, c.port, caller, null);
      }
    }
    for (const f of found.sorted()) {
      const svc = ctx.index.services.get(f.service);
      if (!svc) continue;
      const i = svc.ports.findIndex((p) => p.port === f.port);
      ctx.report('MESH0632', { service: f.service, port: f.port, callers: listNames([...f.callers].sort()) },
        { meta: svc.meta, path: i >= 0 ? ['spec', 'ports', i] : ['spec'] });
    }
  },
};
