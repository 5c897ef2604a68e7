import type { Rule } from '../types.ts';
import { subjectsOf } from '../util/refs.ts';

const CONSEQUENCE = {
  destination: 'OSM rejects a TrafficTarget whose destination namespace is not set to its own',
  source: 'the spec leaves it undefined and OSM matches no caller for it',
};

export const trafficTargetNamespaces: Rule = {
  id: 'traffic-target-namespaces',
  description: 'The destination is in the TrafficTarget\'s namespace; destination and source namespaces are written out',
  codes: ['MESH0205', 'MESH0206'],
  inputs: ['trafficTargets'],
  run(ctx) {
    for (const tt of ctx.mesh.trafficTargets) {
      const dest = tt.destination;
      if (dest.namespaceExplicit && dest.namespace !== tt.meta.namespace) {
        const defaulted = tt.meta.namespaceDefaulted ? ' (metadata.namespace is not set; the namespace comes from --namespace)' : '';
        ctx.report('MESH0205', { destination: dest.namespace, namespace: tt.meta.namespace, defaulted },
          { meta: tt.meta, path: ['spec', 'destination', 'namespace'] });
      }
      for (const { subject, role, path } of subjectsOf(tt)) {
        if (subject.namespaceExplicit) continue;
        ctx.report('MESH0206', { role, namespace: subject.namespace, consequence: CONSEQUENCE[role] },
          { meta: tt.meta, path, key: role === 'destination' });
      }
    }
  },
};
