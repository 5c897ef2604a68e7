import type { Rule } from '../types.ts';
import { lookups } from '../util/lookups.ts';
import { defaultedNote, elsewhereHint, resolves } from '../util/refs.ts';
import { closestHint } from '../../core/suggest.ts';

export const trafficSplitMatches: Rule = {
  id: 'traffic-split-matches',
  description: 'TrafficSplit matches reference existing HTTPRouteGroups in the split\'s namespace',
  codes: ['MESH0415', 'MESH0416'],
  inputs: ['trafficSplits'],
  run(ctx) {
    const look = lookups(ctx.mesh, ctx.index);
    for (const split of ctx.mesh.trafficSplits) {
      const { namespace } = split.meta;
      split.matches.forEach((m, i) => {
        if (m.kind !== 'HTTPRouteGroup') {
          // The schema leaves this to the rule, whose message says why (the CRD enum would only list HTTPRouteGroup).
          const hint = closestHint(m.kind, ['HTTPRouteGroup'])
            || (m.kind === 'TCPRoute' || m.kind === 'UDPRoute' ? `: a split selects HTTP requests, and a ${m.kind} matches ports, not requests; remove the entry (without \`matches\` a split applies to all traffic)` : '');
          ctx.report('MESH0416', { kind: m.kind === '' ? '""' : m.kind, hint }, { meta: split.meta, path: ['spec', 'matches', i, 'kind'] });
          return;
        }
        if (resolves(ctx, 'HTTPRouteGroup', namespace, m.name)) return;
        const otherKind = ['TCPRoute', 'UDPRoute'].find((k) => look.exists(k, namespace, m.name));
        const hint = otherKind
          ? `; ${namespace}/${m.name} is a ${otherKind}, and splits can only match HTTP requests`
          : (elsewhereHint(ctx, 'HTTPRouteGroup', namespace, m.name) || closestHint(m.name, look.names('HTTPRouteGroup', namespace))) + defaultedNote(split.meta);
        ctx.report('MESH0415', { name: m.name, namespace, hint }, { meta: split.meta, path: ['spec', 'matches', i, 'name'] });
      });
    }
  },
};
