import type { Rule } from '../types.ts';
import { ingressSourceAddresses } from '../../reach/ingress-sources.ts';

/**
 * OSM admits a source Service's endpoint IPs and drops the whole IngressBackend when it has none; meshc compile
 * cannot admit addresses the input does not hold (src/reach/ingress-sources.ts, shared with the IR builder).
 */
export const ingressBackendSourceEndpoints: Rule = {
  id: 'ingress-backend-source-endpoints',
  description: 'IngressBackend source Services have endpoint addresses the compiled ingress chain can admit',
  codes: ['MESH1180', 'MESH1181'],
  inputs: ['ingressBackends'],
  run(ctx) {
    for (const ib of ctx.mesh.ingressBackends) {
      ib.sources.forEach((s, i) => {
        if (s.kind !== 'Service' || s.namespace === '') return;
        const addresses = ingressSourceAddresses(ctx.index, s.namespace, s.name);
        if (!addresses) return;
        const at = { meta: ib.meta, path: ['spec', 'sources', i, 'name'] };
        if (!addresses.known) {
          ctx.report('MESH1181', { namespace: s.namespace, name: s.name, why: addresses.why, ingressBackend: `${ib.meta.namespace}/${ib.meta.name}` }, at);
        } else if (addresses.ips.length === 0) {
          ctx.report('MESH1180', { namespace: s.namespace, name: s.name, from: addresses.from }, at);
        }
      });
    }
  },
};
