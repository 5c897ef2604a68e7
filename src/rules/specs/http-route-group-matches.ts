import type { Rule } from '../types.ts';
import { listAt } from '../util/refs.ts';

export const httpRouteGroupMatches: Rule = {
  id: 'http-route-group-matches',
  description: 'An HTTPRouteGroup has at least one match, and match names are unique within it',
  codes: ['MESH0301', 'MESH0302'],
  inputs: ['httpRouteGroups'],
  run(ctx) {
    for (const group of ctx.mesh.httpRouteGroups) {
      if (group.matches.length === 0) {
        ctx.report('MESH0301', {}, listAt(ctx, group.meta, ['spec', 'matches']));
        continue;
      }
      const first = new Map<string, number>();
      group.matches.forEach((m, i) => {
        const seen = first.get(m.name);
        if (seen === undefined) {
          first.set(m.name, i);
          return;
        }
        // At the duplicate (the later one), naming the line of the first: that is where the copy was made.
        const firstAt = ctx.sources.locate(group.meta.origin, ['spec', 'matches', seen, 'name']);
        ctx.report('MESH0302', { name: m.name, first: `line ${firstAt.line}` }, { meta: group.meta, path: ['spec', 'matches', i, 'name'] },
          [{ message: `first match named "${m.name}"`, at: { meta: group.meta, path: ['spec', 'matches', seen, 'name'] } }]);
      });
    }
  },
};
