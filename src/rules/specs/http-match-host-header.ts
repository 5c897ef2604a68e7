import type { Rule } from '../types.ts';

export const httpMatchHostHeader: Rule = {
  id: 'http-match-host-header',
  description: 'HTTP matches on the host header (OSM maps it to :authority)',
  codes: ['MESH0310'],
  inputs: ['httpRouteGroups'],
  run(ctx) {
    for (const group of ctx.mesh.httpRouteGroups) {
      group.matches.forEach((m, i) => {
        for (const h of m.headers) {
          if (h.name !== 'host') continue;
          ctx.report('MESH0310', { header: h.name }, { meta: group.meta, path: ['spec', 'matches', i, 'headers', h.name], key: true });
        }
      });
    }
  },
};
