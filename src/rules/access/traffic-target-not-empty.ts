import type { Rule } from '../types.ts';
import { listAt } from '../util/refs.ts';

export const trafficTargetNotEmpty: Rule = {
  id: 'traffic-target-not-empty',
  description: 'A TrafficTarget has at least one rule and at least one source',
  codes: ['MESH0203', 'MESH0204'],
  inputs: ['trafficTargets'],
  run(ctx) {
    for (const tt of ctx.mesh.trafficTargets) {
      if (tt.rules.length === 0) ctx.report('MESH0203', {}, listAt(ctx, tt.meta, ['spec', 'rules']));
      if (tt.sources.length === 0) ctx.report('MESH0204', {}, listAt(ctx, tt.meta, ['spec', 'sources']));
    }
  },
};
