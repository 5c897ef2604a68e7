import { keyOf } from '../../core/types.ts';
import type { Rule } from '../types.ts';
import { lookups } from '../util/lookups.ts';
import { defaultedNote, noneDeclaredHint, elsewhereHint, resolves } from '../util/refs.ts';
import { rootName } from '../util/split-root.ts';
import { closestHint } from '../../core/suggest.ts';

export const trafficSplitRoot: Rule = {
  id: 'traffic-split-root',
  description: 'The root service of a TrafficSplit is a Service in its namespace, written as a plain name, with a selector',
  codes: ['MESH0401', 'MESH0402', 'MESH0403'],
  inputs: ['trafficSplits'],
  run(ctx) {
    const look = lookups(ctx.mesh, ctx.index);
    for (const split of ctx.mesh.trafficSplits) {
      const { namespace } = split.meta;
      const root = rootName(ctx, split);
      const at = { meta: split.meta, path: ['spec', 'service'] };
      if (!resolves(ctx, 'Service', namespace, root.name)) {
        // A split lowered from a Gateway API route: its missing parent is MESH1201, reported by the model at the same place.
        if (split.synthesizedFrom) continue;
        const nearby = () => elsewhereHint(ctx, 'Service', namespace, root.name) || closestHint(root.name, look.names('Service', namespace));
        const hint = root.external
          ? `: a root is a Service of the split's namespace, written as its name (or ${split.service.slice(0, split.service.indexOf('.'))}.${namespace}[.svc[.${ctx.config.clusterDomain}]]), and external names are not supported`
            + (root.foreignNamespace ? ` (read as name.namespace it would point into namespace ${root.foreignNamespace}, which the input does not declare)` : '')
          : root.foreignNamespace
            ? `; it points into namespace ${root.foreignNamespace}, but a split and its root share a namespace`
            : `${root.qualified ? `; it stands for Service "${root.name}"` : ''}${nearby()}${defaultedNote(split.meta)}${noneDeclaredHint(ctx, 'Service')}`;
        ctx.report('MESH0401', { service: split.service, namespace, hint }, at);
        continue;
      }
      if (root.qualified) ctx.report('MESH0402', { service: split.service, short: root.name }, at);
      const service = ctx.index.services.get(keyOf({ namespace, name: root.name }));
      if (service && (!service.selector || Object.keys(service.selector).length === 0)) {
        ctx.report('MESH0403', { service: root.name }, at, [{ message: `Service ${namespace}/${root.name}`, at: { meta: service.meta, path: ['spec'], key: true } }]);
      }
    }
  },
};
