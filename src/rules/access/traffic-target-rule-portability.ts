import type { Rule } from '../types.ts';

export const trafficTargetRulePortability: Rule = {
  id: 'traffic-target-rule-portability',
  description: 'TrafficTarget rules that SMI implementations read differently: HTTPRouteGroup rules without matches, UDPRoute rules',
  codes: ['MESH0213', 'MESH0214'],
  inputs: ['trafficTargets'],
  run(ctx) {
    for (const tt of ctx.mesh.trafficTargets) {
      tt.rules.forEach((rule, i) => {
        if (rule.kind === 'HTTPRouteGroup' && (!rule.matches || rule.matches.length === 0)) {
          const how = rule.matches ? 'has an empty `matches` list' : 'has no `matches`';
          const path = rule.matches ? ['spec', 'rules', i, 'matches'] : ['spec', 'rules', i];
          ctx.report('MESH0213', { name: rule.name, how }, { meta: tt.meta, path, key: !!rule.matches });
        } else if (rule.kind === 'UDPRoute') {
          ctx.report('MESH0214', { name: rule.name }, { meta: tt.meta, path: ['spec', 'rules', i, 'kind'] });
        }
      });
    }
  },
};
