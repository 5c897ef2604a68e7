import type { Rule } from '../types.ts';
import { resolves } from '../util/refs.ts';
import { missingHint, serviceAccountDeclared } from '../util/osm.ts';

export const retryRefs: Rule = {
  id: 'retry-refs',
  description: 'A Retry goes from a ServiceAccount of the input to Services of the input',
  codes: ['MESH1150', 'MESH1151', 'MESH1153'],
  inputs: ['retries'],
  run(ctx) {
    for (const r of ctx.mesh.retries) {
      const s = r.source;
      if (s.kind !== 'ServiceAccount') {
        ctx.report('MESH1153', { kind: JSON.stringify(s.kind) }, { meta: r.meta, path: ['spec', 'source', 'kind'] });
      } else if (!serviceAccountDeclared(ctx, s.namespace, s.name)) {
        ctx.report('MESH1150', { namespace: s.namespace, name: s.name, hint: missingHint(ctx, 'ServiceAccount', s.namespace, s.name) }, { meta: r.meta, path: ['spec', 'source', 'name'] });
      }
      r.destinations.forEach((d, i) => {
        const at = (field: string) => ({ meta: r.meta, path: ['spec', 'destinations', i, field] });
        if (d.kind !== 'Service') {
          ctx.report('MESH1151', { kind: d.kind, namespace: d.namespace, name: d.name, why: 'is not a Service: Retry destinations are written kind: Service' }, at('kind'));
        } else if (!resolves(ctx, 'Service', d.namespace, d.name)) {
          ctx.report('MESH1151', { kind: d.kind, namespace: d.namespace, name: d.name, why: `is not in the input${missingHint(ctx, 'Service', d.namespace, d.name)}` }, at('name'));
        }
      });
    }
  },
};
