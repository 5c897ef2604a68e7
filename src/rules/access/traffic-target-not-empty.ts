import type { Rule } from '../types.ts';

export const trafficTargetNotEmpty: Rule = {
  id: 'traffic-target-not-empty',
  description: 'A TrafficTarget has at least one rule and at least one source',
  codes: ['MESH0203', 'MESH0204'],
  inputs: ['trafficTargets'],
  run(ctx) {
    for (const tt of ctx.mesh.trafficTargets) {
      if (tt.rules.length === 0) ctx.report('MESH0203', {}, { meta: tt.meta, path: ['spec', 'rules'], key: true });
      if (tt.sources.length === 0) ctx.report('MESH0204', {}, { meta: tt.meta, path: ['spec', 'sources'], key: true });
    }
  },
};
