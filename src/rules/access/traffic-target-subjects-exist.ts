import type { Rule } from '../types.ts';
import { lookups } from '../util/lookups.ts';
import { SUBJECTS_EXIST_RULE, defaultedNote, impossibleSubject, noneDeclaredHint, draftAccess, elsewhereHint, subjectDeclared, subjectsOf } from '../util/refs.ts';
import { closestHint } from '../../core/suggest.ts';

export const trafficTargetSubjectsExist: Rule = {
  id: SUBJECTS_EXIST_RULE,
  description: 'TrafficTarget destination and source identities are declared (or assumed external)',
  codes: ['MESH0212'],
  inputs: ['trafficTargets'],
  run(ctx) {
    const look = lookups(ctx.mesh, ctx.index);
    for (const tt of ctx.mesh.trafficTargets) {
      const draft = draftAccess(ctx, tt);
      for (const { subject: s, role, path } of subjectsOf(tt)) {
        // Unsupported kinds are reported by traffic-target-subject-kind.
        if (s.kind !== 'ServiceAccount' && !(s.kind === 'IdentityBinding' && draft)) continue;
        const impossible = impossibleSubject(s);
        if (impossible) {
          const at = impossible.field === 'namespace' && s.namespaceExplicit ? 'namespace' : 'name';
          ctx.report('MESH0212', { role, kind: s.kind, namespace: s.namespace, name: s.name, hint: impossible.hint }, { meta: tt.meta, path: [...path, at] });
          continue;
        }
        if (subjectDeclared(ctx, s)) continue;
        const hint = (elsewhereHint(ctx, s.kind, s.namespace, s.name) || closestHint(s.name, look.names(s.kind, s.namespace)))
          + (s.namespaceExplicit ? '' : defaultedNote(tt.meta))
          + (ctx.mesh.workloads.length === 0 ? noneDeclaredHint(ctx, s.kind) : '');
        ctx.report('MESH0212', { role, kind: s.kind, namespace: s.namespace, name: s.name, hint }, { meta: tt.meta, path: [...path, 'name'] });
      }
    }
  },
};
