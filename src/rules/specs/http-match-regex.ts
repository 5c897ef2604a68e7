import type { Rule } from '../types.ts';
import { checkRe2 } from '../../regex/re2.ts';
import { anchoringAgnostic } from '../../regex/anchoring.ts';

/** Patterns are quoted in messages, shortened when very long. */
function show(pattern: string): string {
  const json = JSON.stringify(pattern);
  return json.length <= 80 ? json : `${json.slice(0, 76)}…"`;
}

export const httpMatchRegex: Rule = {
  id: 'http-match-regex',
  description: 'pathRegex, header and (Gateway API) query-parameter values are valid RE2; empty pathRegex; pathRegex whose meaning depends on anchoring',
  codes: ['MESH0303', 'MESH0304', 'MESH0305'],
  inputs: ['httpRouteGroups'],
  run(ctx) {
    for (const group of ctx.mesh.httpRouteGroups) {
      group.matches.forEach((m, i) => {
        const base = ['spec', 'matches', i];
        if (m.pathRegex !== undefined) {
          // (Objects for the report only when there is one: thousands of matches pass.)
          const at = () => ({ meta: group.meta, path: [...base, 'pathRegex'] });
          if (m.pathRegex === '') {
            ctx.report('MESH0304', {}, at());
          } else {
            const result = checkRe2(m.pathRegex);
            if (!result.ok) ctx.report('MESH0303', { field: 'pathRegex', pattern: show(m.pathRegex), error: result.error }, at());
            else if (!anchoringAgnostic(m.pathRegex)) ctx.report('MESH0305', { pattern: show(m.pathRegex) }, at());
          }
        }
        for (const h of m.headers) {
          const result = checkRe2(h.value);
          if (!result.ok) {
            ctx.report('MESH0303', { field: `header "${h.name}" value`, pattern: show(h.value), error: result.error },
              { meta: group.meta, path: [...base, 'headers', h.name] });
          }
        }
        // Gateway API queryParams of type RegularExpression (groups lowered from routes): Envoy compiles them as RE2.
        (m.queryParams ?? []).forEach((q, j) => {
          const result = q.type === 'RegularExpression' ? checkRe2(q.value) : { ok: true as const };
          if (!result.ok) {
            ctx.report('MESH0303', { field: `query parameter "${q.name}" value`, pattern: show(q.value), error: result.error },
              { meta: group.meta, path: [...base, 'queryParams', j, 'value'] });
          }
        });
      });
    }
  },
};
