import { UINT32_MAX } from '../../core/compare.ts';
import type { Rule } from '../types.ts';

/** Envoy and gRPC clients read weighted-cluster weights, and their total, as uint32. */

const gcd = (a: number, b: number): number => {
  while (b) [a, b] = [b, a % b];
  return a;
};
const digits = (n: number) => n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 0 });

/**
 * Integer weights that look half-converted from v1alpha1 quantities (where 1 = 1000m): whole units
 * (1–9) next to milli-looking weights (hundreds, multiples of 50) at least 100 times larger.
 * Each small backend, with the largest one to compare.
 */
function halfConverted(backends: { service: string; weight: number }[]) {
  const large = backends.filter((b) => b.weight >= 100 && b.weight % 50 === 0);
  if (large.length === 0) return [];
  const other = large.reduce((a, b) => (b.weight > a.weight ? b : a));
  return backends.flatMap((b, index) => (b.weight >= 1 && b.weight <= 9 && other.weight >= 100 * b.weight ? [{ index, weight: b.weight, service: b.service, other }] : []));
}

export const trafficSplitWeights: Rule = {
  id: 'traffic-split-weights',
  description: 'TrafficSplit weights are whole numbers ≥ 0 whose sum is above 0 and fits in 32 bits (they need not sum to 100)',
  codes: ['MESH0408', 'MESH0409', 'MESH0410', 'MESH0417', 'MESH0420'],
  inputs: ['trafficSplits'],
  run(ctx) {
    for (const split of ctx.mesh.trafficSplits) {
      if (split.backends.length === 0) continue;
      let sum = 0;
      let valid = true;
      split.backends.forEach((b, i) => {
        const whole = Number.isInteger(b.weight) && b.weight >= 0;
        // v1alpha1 weights are milli-units the model computed: their size is judged by the sum (MESH0410), which names the unit.
        const tooLarge = whole && split.weightUnit === 'integer' && b.weight > UINT32_MAX;
        if (whole && !tooLarge) {
          sum += b.weight;
          return;
        }
        valid = false;
        const path = ['spec', 'backends', i, 'weight'];
        // As written: an integer beyond 2^53 reaches the model as a float that has lost digits.
        const weight = split.weightUnit === 'milli' ? `${b.weight}m` : ctx.sources.shown(split.meta.origin, path, b.weight);
        const at = { meta: split.meta, path };
        if (tooLarge) ctx.report('MESH0420', { weight, service: b.service, max: UINT32_MAX }, at);
        else ctx.report('MESH0408', { weight, service: b.service }, at);
      });
      if (!valid) continue;
      // compile divides the weights by their greatest common divisor (the same ratio): judge the sum it writes.
      const divisor = split.backends.reduce((g, b) => gcd(g, b.weight), 0);
      const reduced = divisor > 1 ? sum / divisor : sum;
      if (sum === 0) {
        ctx.report('MESH0409', { service: split.service }, { meta: split.meta, path: ['spec', 'backends'], key: true });
      } else if (reduced > UINT32_MAX) {
        const unit = split.weightUnit === 'milli' ? ' milli-units (v1alpha1 weights count 1 as 1000)' : '';
        const shown = divisor > 1 ? `${digits(sum)}${unit}, ${digits(reduced)} after dividing them by their greatest common divisor ${digits(divisor)}` : `${digits(sum)}${unit}`;
        ctx.report('MESH0410', { sum: shown, unit: '' }, { meta: split.meta, path: ['spec', 'backends'], key: true });
      } else if (split.weightUnit === 'integer') {
        halfConverted(split.backends).forEach(({ index, weight, service, other }) => {
          const share = `${Number(((weight / sum) * 100).toPrecision(2))}%`;
          ctx.report('MESH0417', { weight, service, other: other.weight, otherService: other.service, share, milli: weight * 1000 },
            { meta: split.meta, path: ['spec', 'backends', index, 'weight'] });
        });
      }
    }
  },
};
