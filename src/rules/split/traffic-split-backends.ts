import type { Rule } from '../types.ts';
import { lookups } from '../util/lookups.ts';
import { defaultedNote, noneDeclaredHint, elsewhereHint, listAt, resolves } from '../util/refs.ts';
import { rootName } from '../util/split-root.ts';
import { closestHint } from '../../core/suggest.ts';

export const trafficSplitBackends: Rule = {
  id: 'traffic-split-backends',
  description: 'A TrafficSplit has backends; each is an existing Service, listed once, other than the root',
  codes: ['MESH0404', 'MESH0405', 'MESH0406', 'MESH0407'],
  inputs: ['trafficSplits'],
  run(ctx) {
    const look = lookups(ctx.mesh, ctx.index);
    for (const split of ctx.mesh.trafficSplits) {
      const { namespace } = split.meta;
      if (split.backends.length === 0) {
        // A Gateway API rule without backendRefs is the route's own finding (MESH1232), in the route's words.
        if (!split.synthesizedFrom) ctx.report('MESH0404', { service: split.service }, listAt(ctx, split.meta, ['spec', 'backends']));
        continue;
      }
      const root = rootName(ctx, split).name;
      const first = new Map<string, number>();
      split.backends.forEach((backend, i) => {
        const at = { meta: split.meta, path: ['spec', 'backends', i, 'service'] };
        const seen = first.get(backend.service);
        if (seen !== undefined) {
          ctx.report('MESH0406', { service: backend.service }, at,
            [{ message: `first entry for ${backend.service}`, at: { meta: split.meta, path: ['spec', 'backends', seen, 'service'] } }]);
          return;
        }
        first.set(backend.service, i);
        // A Gateway API backendRef to the parent Service itself targets its pods, not its routes (GEP-1294): legal.
        if ((backend.service === root || backend.service === split.service) && !(split.synthesizedFrom && backend.namespace === undefined)) {
          ctx.report('MESH0407', { service: backend.service }, at);
          return;
        }
        if (backend.service === root || backend.service === split.service) return;
        if (backend.namespace !== undefined) {
          // A GAMMA backendRef in another namespace (a ReferenceGrant allows it).
          if (!resolves(ctx, 'Service', backend.namespace, backend.service)) ctx.report('MESH0405', { service: backend.service, namespace: backend.namespace, hint: closestHint(backend.service, look.names('Service', backend.namespace)) }, at);
          return;
        }
        if (resolves(ctx, 'Service', namespace, backend.service)) return;
        const hint = backend.service.includes('.')
          ? '; backends are plain Service names in the split\'s namespace'
          : (elsewhereHint(ctx, 'Service', namespace, backend.service) || closestHint(backend.service, look.names('Service', namespace))) + defaultedNote(split.meta) + noneDeclaredHint(ctx, 'Service');
        ctx.report('MESH0405', { service: backend.service, namespace, hint }, at);
      });
    }
  },
};
