import type { Rule } from '../types.ts';
import { nameProblem } from '../../schema/kinds.ts';

/**
 * MESH0506–0509: what the API server checks on a Service's ports before it
 * accepts the Service (Kubernetes' ValidateService): a port and protocol once,
 * a name on every port when there are several, names that are DNS-1123
 * labels and used once. A Service refused there is missing in the cluster,
 * whatever meshc modelled.
 */
export const servicePorts: Rule = {
  id: 'service-ports',
  description: 'Service ports the API server accepts: each port/protocol once, names on every port of a multi-port Service, valid and unique names',
  codes: ['MESH0506', 'MESH0507', 'MESH0508', 'MESH0509'],
  inputs: ['services'],
  run(ctx) {
    for (const service of ctx.mesh.services) {
      const { ports } = service;
      const byPort = new Map<string, number>();
      const byName = new Map<string, number>();
      ports.forEach((p, i) => {
        const at = (field?: string) => ({ meta: service.meta, path: field ? ['spec', 'ports', i, field] : ['spec', 'ports', i] });
        const key = `${p.port}/${p.protocol}`;
        const first = byPort.get(key);
        if (first === undefined) byPort.set(key, i);
        else ctx.report('MESH0506', { port: p.port, protocol: p.protocol, first }, at('port'));
        if (p.name === undefined || p.name === '') {
          if (ports.length > 1) ctx.report('MESH0507', { port: p.port, protocol: p.protocol }, at());
          return;
        }
        const name = JSON.stringify(p.name);
        const fault = nameProblem(p.name, 'dns1123-label');
        if (fault) {
          ctx.report('MESH0508', { name, fault }, at('name'));
          return;
        }
        const same = byName.get(p.name);
        if (same === undefined) byName.set(p.name, i);
        else ctx.report('MESH0509', { name, first: same }, at('name'));
      });
    }
  },
};
