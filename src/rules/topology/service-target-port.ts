import type { Rule } from '../types.ts';
import type { Workload } from '../../model/types.ts';
import { lookups } from '../util/lookups.ts';
import { listNames } from '../util/text.ts';

const name = (w: Workload) => `${w.workloadKind} ${w.meta.name}`;

export const serviceTargetPort: Rule = {
  id: 'service-target-port',
  description: 'Service targetPorts exist as container ports of the selected workloads (named ports by name)',
  codes: ['MESH0503', 'MESH0504'],
  inputs: ['services'],
  run(ctx) {
    if (ctx.mesh.workloads.length === 0) return;
    const look = lookups(ctx.mesh, ctx.index);
    for (const service of ctx.mesh.services) {
      const selected = look.workloadsOf(service);
      if (selected.length === 0) continue;
      service.ports.forEach((port, i) => {
        const named = typeof port.targetPort === 'string';
        const failing = selected.filter((w) => {
          if (named) return !w.containerPorts.some((c) => c.name === port.targetPort && c.protocol === port.protocol);
          // Numeric ports need not be declared; compare only when the workload declares some.
          return w.containerPorts.length > 0 && !w.containerPorts.some((c) => c.containerPort === port.targetPort && c.protocol === port.protocol);
        });
        if (failing.length === 0) return;
        ctx.report(named ? 'MESH0503' : 'MESH0504',
          { port: port.targetPort, protocol: port.protocol, workloads: listNames(failing.map(name)) },
          { meta: service.meta, path: ['spec', 'ports', i, 'targetPort'] },
          failing.slice(0, 3).map((w) => ({ message: `${name(w)} container ports`, at: { meta: w.meta, path: w.podSpecPath, key: true } })));
      });
    }
  },
};
