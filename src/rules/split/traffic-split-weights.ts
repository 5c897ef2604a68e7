import type { Rule } from '../types.ts';

const UINT32_MAX = 4294967295;

export const trafficSplitWeights: Rule = {
  id: 'traffic-split-weights',
  description: 'TrafficSplit weights are whole numbers ≥ 0 whose sum is above 0 and fits in 32 bits (they need not sum to 100)',
  codes: ['MESH0408', 'MESH0409', 'MESH0410'],
  inputs: ['trafficSplits'],
  run(ctx) {
    for (const split of ctx.mesh.trafficSplits) {
      if (split.backends.length === 0) continue;
      let sum = 0;
      let valid = true;
      split.backends.forEach((b, i) => {
        if (Number.isSafeInteger(b.weight) && b.weight >= 0) {
          sum += b.weight;
          return;
        }
        valid = false;
        const weight = split.weightUnit === 'milli' ? `${b.weight}m` : String(b.weight);
        ctx.report('MESH0408', { weight, service: b.service }, { meta: split.meta, path: ['spec', 'backends', i, 'weight'] });
      });
      if (!valid) continue;
      if (sum === 0) {
        ctx.report('MESH0409', { service: split.service }, { meta: split.meta, path: ['spec', 'backends'], key: true });
      } else if (sum > UINT32_MAX) {
        const unit = split.weightUnit === 'milli' ? ' milli-units (v1alpha1 weights count 1 as 1000)' : '';
        ctx.report('MESH0410', { sum: sum.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 0 }), unit }, { meta: split.meta, path: ['spec', 'backends'], key: true });
      }
    }
  },
};
