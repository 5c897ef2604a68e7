import type { Rule } from '../types.ts';
import { portProtocol } from '../../model/port-protocol.ts';

/**
 * An IngressBackend's chain attaches to the inbound listener of the backend Service's proxies, beside the mesh's
 * chain for the backend port: there must be proxies (workloads the Service selects) and a proxied port.
 * A missing Service or a port that is no target port is ingress-backend-refs' (MESH1130, MESH1131).
 */
export const ingressBackendInbound: Rule = {
  id: 'ingress-backend-inbound',
  description: 'IngressBackend backends are served by meshed workloads on a port their inbound listener carries',
  codes: ['MESH1182'],
  inputs: ['ingressBackends'],
  run(ctx) {
    for (const ib of ctx.mesh.ingressBackends) {
      ib.backends.forEach((b, i) => {
        const service = ctx.index.services.get(`${ib.meta.namespace}/${b.name}`);
        const ports = service?.ports.filter((p) => p.targetPort === b.port.number) ?? [];
        if (!service || ports.length === 0) return;
        let why: string | undefined;
        if (ports.every((p) => portProtocol(p) === 'none')) {
          why = `the Service port is ${ports[0]!.protocol}, which the mesh does not proxy`;
        } else if (ctx.index.workloadsForService(service).length === 0) {
          why = service.selector ? `Service ${ib.meta.namespace}/${b.name} selects no workload of the input` : `Service ${ib.meta.namespace}/${b.name} has no selector (no meshed pods)`;
        }
        if (why) ctx.report('MESH1182', { name: b.name, port: b.port.number, why }, { meta: ib.meta, path: ['spec', 'backends', i, 'name'] });
      });
    }
  },
};
