import type { Rule } from '../types.ts';
import { resolves } from '../util/refs.ts';
import { missingHint, serviceAccountDeclared } from '../util/osm.ts';

/** The match kinds OSM's webhook accepts, with the apiGroup each must name. */
const MATCH_GROUPS: Record<string, string> = {
  HTTPRouteGroup: 'specs.smi-spec.io/v1alpha4',
  UpstreamTrafficSetting: 'policy.openservicemesh.io/v1alpha1',
};

export const egressRefs: Rule = {
  id: 'egress-refs',
  description: 'Egress sources are ServiceAccounts of the input; matches are HTTPRouteGroups or one UpstreamTrafficSetting of its namespace',
  codes: ['MESH1120', 'MESH1121', 'MESH1122'],
  inputs: ['egresses'],
  run(ctx) {
    for (const eg of ctx.mesh.egresses) {
      eg.sources.forEach((s, i) => {
        if (s.kind !== 'ServiceAccount' || serviceAccountDeclared(ctx, s.namespace, s.name)) return;
        ctx.report('MESH1120', { namespace: s.namespace, name: s.name, hint: missingHint(ctx, 'ServiceAccount', s.namespace, s.name) }, { meta: eg.meta, path: ['spec', 'sources', i, 'name'] });
      });
      let upstreamSettings = 0;
      eg.matches.forEach((m, i) => {
        const at = (field: string) => ({ meta: eg.meta, path: ['spec', 'matches', i, field] });
        const group = MATCH_GROUPS[m.kind];
        if (!group) {
          ctx.report('MESH1122', { what: `kind ${m.kind} is not supported: use HTTPRouteGroup or UpstreamTrafficSetting` }, at('kind'));
          return;
        }
        if (m.apiGroup !== group) {
          ctx.report('MESH1122', { what: `apiGroup ${JSON.stringify(m.apiGroup)} does not go with kind ${m.kind}: write apiGroup: ${group}` }, at('apiGroup'));
          return;
        }
        if (m.kind === 'UpstreamTrafficSetting' && ++upstreamSettings === 2) {
          ctx.report('MESH1122', { what: 'is a second UpstreamTrafficSetting: an Egress takes at most one' }, at('name'));
        }
        if (!resolves(ctx, m.kind, eg.meta.namespace, m.name)) {
          ctx.report('MESH1121', { kind: m.kind, namespace: eg.meta.namespace, name: m.name, hint: missingHint(ctx, m.kind, eg.meta.namespace, m.name) }, at('name'));
        }
      });
    }
  },
};
