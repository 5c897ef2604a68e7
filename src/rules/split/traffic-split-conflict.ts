import { keyOf } from '../../core/types.ts';
import type { Rule } from '../types.ts';
import type { TrafficSplit } from '../../model/types.ts';
import { rootName } from '../util/split-root.ts';

export const trafficSplitConflict: Rule = {
  id: 'traffic-split-conflict',
  description: 'At most one TrafficSplit per root service',
  codes: ['MESH0413'],
  inputs: ['trafficSplits'],
  run(ctx) {
    const first = new Map<string, TrafficSplit>();
    for (const split of ctx.mesh.trafficSplits) {
      const root = rootName(ctx, split).name;
      const key = keyOf({ namespace: split.meta.namespace, name: root });
      const earlier = first.get(key);
      // The rules of Gateway API routes on one Service are one merged table (lowered as one split per rule).
      if (earlier?.gamma && split.gamma) continue;
      if (!earlier) {
        first.set(key, split);
        continue;
      }
      const name = keyOf(earlier.meta);
      ctx.report('MESH0413', { service: root, first: name }, { meta: split.meta, path: ['spec', 'service'] },
        [{ message: `TrafficSplit ${name}`, at: { meta: earlier.meta, path: ['spec', 'service'] } }]);
    }
  },
};
