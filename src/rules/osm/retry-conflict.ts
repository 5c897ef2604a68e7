import type { Rule } from '../types.ts';
import type { Retry } from '../../model/osm-types.ts';

const byName = (a: Retry, b: Retry) => (a.meta.namespace + '/' + a.meta.name < b.meta.namespace + '/' + b.meta.name ? -1 : 1);

export const retryConflict: Rule = {
  id: 'retry-conflict',
  description: 'One retry policy per source and destination: a second Retry for the pair is ignored',
  codes: ['MESH1152'],
  inputs: ['retries'],
  run(ctx) {
    // compile applies the first by namespace/name (src/osm retry selection); the others are reported.
    const first = new Map<string, Retry>();
    for (const r of [...ctx.mesh.retries].sort(byName)) {
      if (r.source.kind !== 'ServiceAccount') continue;
      const source = `${r.source.namespace}/${r.source.name}`;
      r.destinations.forEach((d, i) => {
        if (d.kind !== 'Service') return;
        const key = `${source}>${d.namespace}/${d.name}`;
        const winner = first.get(key);
        if (!winner) {
          first.set(key, r);
          return;
        }
        ctx.report('MESH1152', {
          name: `${r.meta.namespace}/${r.meta.name}`, other: `${winner.meta.namespace}/${winner.meta.name}`, source, destination: `${d.namespace}/${d.name}`,
          winner: `${winner.meta.namespace}/${winner.meta.name}`,
        }, { meta: r.meta, path: ['spec', 'destinations', i] }, [{ message: `Retry ${winner.meta.name}`, at: { meta: winner.meta, path: ['metadata', 'name'] } }]);
      });
    }
  },
};
