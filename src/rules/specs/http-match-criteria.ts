import type { Rule } from '../types.ts';

export const httpMatchCriteria: Rule = {
  id: 'http-match-criteria',
  // Unknown methods are schema findings (MESH0112, the method enum; MESH0307 is retired).
  description: 'HTTP matches restrict path or methods; methods are listed once and not empty',
  codes: ['MESH0306', 'MESH0308', 'MESH0309', 'MESH0330'],
  inputs: ['httpRouteGroups'],
  run(ctx) {
    for (const group of ctx.mesh.httpRouteGroups) {
      group.matches.forEach((m, i) => {
        const base = ['spec', 'matches', i];
        const methods = m.methods;
        // A Gateway API match defaults its path to PathPrefix / (lowered to no pathRegex): a header-only match is how it is written.
        if (m.pathRegex === undefined && (methods === undefined || methods.length === 0) && !group.synthesizedFrom) {
          const scope = m.headers.length > 0
            ? 'any path and method qualifies, only its headers restrict it'
            : 'it matches every request';
          ctx.report('MESH0306', { name: m.name, scope }, { meta: group.meta, path: base });
        }
        if (methods === undefined) return;
        if (methods.length === 0) {
          ctx.report('MESH0309', { name: m.name }, { meta: group.meta, path: [...base, 'methods'] });
          return;
        }
        const seen = new Set<string>();
        const repeated: string[] = [];
        methods.forEach((method) => {
          if (seen.has(method) && !repeated.includes(method)) repeated.push(method);
          seen.add(method);
        });
        if (repeated.length > 0) ctx.report('MESH0330', { name: m.name, methods: repeated.join(', ') }, { meta: group.meta, path: [...base, 'methods'] });
        if (seen.has('*') && seen.size > 1) {
          const others = [...seen].filter((method) => method !== '*').join(', ');
          ctx.report('MESH0308', { name: m.name, others }, { meta: group.meta, path: [...base, 'methods'] });
        }
      });
    }
  },
};
