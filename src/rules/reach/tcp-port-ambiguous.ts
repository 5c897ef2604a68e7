import type { Rule } from '../types.ts';
import { listNames } from '../util/text.ts';
import { CallersByPort, callersOf, deliveryOf } from './shared.ts';

/**
 * MESH0631: a TCP Service port matched by its port number alone, beside other Services a caller reaches on that
 * port: the caller's outbound listener cannot carry it (src/reach/delivery.ts; compile leaves it out, MESH0858).
 */
export const tcpPortAmbiguous: Rule = {
  id: 'tcp-port-ambiguous',
  description: 'TCP Service ports without an address that share their port with other Services of a caller',
  codes: ['MESH0631'],
  inputs: ['services'],
  run(ctx) {
    const delivery = deliveryOf(ctx);
    const found = new CallersByPort<string>();
    for (const caller of callersOf(ctx)) {
      for (const c of delivery.candidates(caller)) {
        const u = delivery.undelivered(caller, c.service, c.port);
        if (u) found.add(c.service, c.port, caller, u.other);
      }
    }
    for (const f of found.sorted()) {
      const svc = ctx.index.services.get(f.service);
      if (!svc) continue;
      const i = svc.ports.findIndex((p) => p.port === f.port);
      ctx.report('MESH0631', { service: f.service, port: f.port, other: f.extra, callers: listNames([...f.callers].sort()) },
        { meta: svc.meta, path: i >= 0 ? ['spec', 'ports', i] : ['spec'] });
    }
  },
};
