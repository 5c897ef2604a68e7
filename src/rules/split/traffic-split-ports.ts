import { keyOf } from '../../core/types.ts';
import type { Rule } from '../types.ts';
import type { ServicePort } from '../../model/types.ts';
import { lookups, portKey } from '../util/lookups.ts';
import { rootName } from '../util/split-root.ts';
import { listNames, plural } from '../util/text.ts';

const show = (p: ServicePort) => (p.protocol === 'TCP' ? String(p.port) : `${p.port}/${p.protocol}`);

export const trafficSplitPorts: Rule = {
  id: 'traffic-split-ports',
  description: 'Every port of a TrafficSplit root Service exists on every backend Service',
  codes: ['MESH0414'],
  inputs: ['trafficSplits'],
  run(ctx) {
    const look = lookups(ctx.mesh, ctx.index);
    for (const split of ctx.mesh.trafficSplits) {
      const { namespace } = split.meta;
      const rootService = rootName(ctx, split).name;
      const root = ctx.index.services.get(keyOf({ namespace, name: rootService }));
      if (!root || root.ports.length === 0) continue;
      const done = new Set<string>();
      split.backends.forEach((b, i) => {
        const ns = b.namespace ?? namespace;
        if ((b.service === rootService && ns === namespace) || done.has(`${ns}/${b.service}`)) return;
        done.add(`${ns}/${b.service}`);
        // Unknown (missing, rejected or external) backends have no known ports.
        const backend = ctx.index.services.get(keyOf({ namespace: ns, name: b.service }));
        if (!backend) return;
        const ports = look.servicePorts(backend);
        const missing = root.ports.filter((p) => !ports.has(portKey(p.port, p.protocol)));
        if (missing.length === 0) return;
        const firstMissing = root.ports.indexOf(missing[0]!);
        ctx.report('MESH0414', {
          service: b.service, root: rootService,
          ports: `${plural(missing.length, 'port')} ${listNames(missing.map(show), 6)}`,
        }, { meta: split.meta, path: ['spec', 'backends', i, 'service'] }, [
          { message: `root Service ${namespace}/${rootService} port ${show(missing[0]!)}`, at: { meta: root.meta, path: ['spec', 'ports', firstMissing] } },
          { message: `backend Service ${ns}/${b.service}`, at: { meta: backend.meta, path: ['spec', 'ports'], key: true } },
        ]);
      });
    }
  },
};
