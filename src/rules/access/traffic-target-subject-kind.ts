import type { Rule } from '../types.ts';
import { draftAccess, subjectsOf } from '../util/refs.ts';

export const trafficTargetSubjectKind: Rule = {
  id: 'traffic-target-subject-kind',
  description: 'TrafficTarget destination and sources are ServiceAccounts (IdentityBinding only with the access v1alpha4 draft)',
  codes: ['MESH0201', 'MESH0202'],
  inputs: ['trafficTargets'],
  run(ctx) {
    for (const tt of ctx.mesh.trafficTargets) {
      const draft = draftAccess(ctx, tt);
      for (const { subject, role, path } of subjectsOf(tt)) {
        if (subject.kind === 'ServiceAccount') continue;
        const at = { meta: tt.meta, path: [...path, 'kind'] };
        if (subject.kind === 'IdentityBinding') {
          if (!draft) ctx.report('MESH0202', { role, apiVersion: tt.meta.apiVersion }, at);
        } else {
          ctx.report('MESH0201', { role, kind: subject.kind }, at);
        }
      }
    }
  },
};
