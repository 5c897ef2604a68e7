import { keyOf } from '../../core/types.ts';
import type { Rule, RuleContext } from '../types.ts';
import type { TrafficTarget } from '../../model/types.ts';
import { lookups } from '../util/lookups.ts';
import { defaultedNote, elsewhereHint, resolves } from '../util/refs.ts';
import { closestHint } from '../../core/suggest.ts';

export const SPEC_KINDS = ['HTTPRouteGroup', 'TCPRoute', 'UDPRoute'] as const;

/** Rule kinds are HTTPRouteGroup, TCPRoute or UDPRoute: the schema rejects any other (MESH0112; MESH0211 is retired). */
function checkRule(ctx: RuleContext, tt: TrafficTarget, i: number): void {
  const rule = tt.rules[i]!;
  const { namespace } = tt.meta;
  const base: (string | number)[] = ['spec', 'rules', i];
  if (rule.kind !== 'HTTPRouteGroup' && rule.matches && rule.matches.length > 0) {
    ctx.report('MESH0210', { kind: rule.kind }, { meta: tt.meta, path: [...base, 'matches'], key: true });
  }
  const look = lookups(ctx.mesh, ctx.index);
  const group = rule.kind === 'HTTPRouteGroup' ? ctx.index.httpRouteGroups.get(keyOf({ namespace, name: rule.name })) : undefined;
  const lowered = group?.synthesizedFrom;
  if (lowered) {
    // The matches meshc lowered from a Gateway API route rule: GAMMA routes route, TrafficTargets authorize (reach/grants.ts).
    const hint = ` (it is the matches of ${lowered.kind} ${lowered.namespace}/${lowered.name}, lowered by meshc: Gateway API routes do not authorize; name an HTTPRouteGroup)`;
    ctx.report('MESH0207', { kind: rule.kind, name: rule.name, namespace, hint }, { meta: tt.meta, path: [...base, 'name'] });
    return;
  }
  if (!resolves(ctx, rule.kind, namespace, rule.name)) {
    const actual = SPEC_KINDS.find((k) => k !== rule.kind && look.exists(k, namespace, rule.name));
    if (actual) {
      ctx.report('MESH0208', { kind: rule.kind, name: rule.name, namespace, actual }, { meta: tt.meta, path: [...base, 'kind'] });
    } else {
      const hint = (elsewhereHint(ctx, rule.kind, namespace, rule.name, ' (rules always refer to the TrafficTarget\'s namespace)')
        || closestHint(rule.name, look.names(rule.kind, namespace))) + defaultedNote(tt.meta);
      ctx.report('MESH0207', { kind: rule.kind, name: rule.name, namespace, hint }, { meta: tt.meta, path: [...base, 'name'] });
    }
    return;
  }
  if (rule.kind !== 'HTTPRouteGroup' || !rule.matches) return;
  // Only a modelled group has known match names (a rejected or external one does not).
  if (!group) return;
  const names = look.matchNames(group);
  rule.matches.forEach((match, j) => {
    if (names.has(match)) return;
    ctx.report('MESH0209', { group: rule.name, match, hint: closestHint(match, names) },
      { meta: tt.meta, path: [...base, 'matches', j] },
      [{ message: `HTTPRouteGroup ${namespace}/${rule.name}`, at: { meta: group.meta, path: ['spec', 'matches'], key: true } }]);
  });
}

export const trafficTargetRuleRefs: Rule = {
  id: 'traffic-target-rule-refs',
  description: 'Every TrafficTarget rule names an existing HTTPRouteGroup, TCPRoute or UDPRoute of that kind in its namespace, and existing match names',
  codes: ['MESH0207', 'MESH0208', 'MESH0209', 'MESH0210'],
  inputs: ['trafficTargets'],
  run(ctx) {
    for (const tt of ctx.mesh.trafficTargets) for (let i = 0; i < tt.rules.length; i++) checkRule(ctx, tt, i);
  },
};
