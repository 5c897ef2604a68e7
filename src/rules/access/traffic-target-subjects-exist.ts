import type { Rule, RuleContext } from '../types.ts';
import type { IdentitySubject } from '../../model/types.ts';
import { lookups } from '../util/lookups.ts';
import { defaultedNote, noneDeclaredHint, draftAccess, elsewhereHint, resolves, subjectsOf } from '../util/refs.ts';
import { didYouMean } from '../util/text.ts';

/** Kubernetes creates the `default` ServiceAccount in every namespace. */
const IMPLICIT_SERVICE_ACCOUNT = 'default';

function declared(ctx: RuleContext, s: IdentitySubject): boolean {
  if (resolves(ctx, s.kind, s.namespace, s.name)) return true;
  if (s.kind !== 'ServiceAccount') return false;
  // A workload in the files runs as it, so it exists wherever the workload runs.
  return s.name === IMPLICIT_SERVICE_ACCOUNT || ctx.index.workloadsByIdentity.has(`${s.namespace}/${s.name}`);
}

export const trafficTargetSubjectsExist: Rule = {
  id: 'traffic-target-subjects-exist',
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
        if (declared(ctx, s)) continue;
        const hint = (elsewhereHint(ctx, s.kind, s.namespace, s.name) || didYouMean(s.name, look.names(s.kind, s.namespace)))
          + (s.namespaceExplicit ? '' : defaultedNote(tt.meta))
          + (ctx.mesh.workloads.length === 0 ? noneDeclaredHint(ctx, s.kind) : '');
        ctx.report('MESH0212', { role, kind: s.kind, namespace: s.namespace, name: s.name, hint }, { meta: tt.meta, path: [...path, 'name'] });
      }
    }
  },
};
