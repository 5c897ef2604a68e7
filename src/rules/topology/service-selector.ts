import type { Rule } from '../types.ts';
import type { WorkloadKind } from '../../model/types.ts';
import { lookups } from '../util/lookups.ts';
import { mayHaveExternal } from '../util/external.ts';

export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod'];

const showSelector = (s: Record<string, string>) =>
  `{${Object.entries(s).map(([k, v]) => `${k}: ${v === '' ? '""' : v}`).join(', ')}}`;

export const serviceSelector: Rule = {
  id: 'service-selector',
  description: 'A Service selector matches at least one workload',
  codes: ['MESH0501'],
  inputs: ['services'],
  run(ctx) {
    // Without any workload in the input there is nothing to match against.
    if (ctx.mesh.workloads.length === 0) return;
    const look = lookups(ctx.mesh, ctx.index);
    // A workload rejected by validation has unknown labels: do not guess for its namespace.
    const unknown = new Set(ctx.mesh.rejected.filter((r) => (WORKLOAD_KINDS as readonly string[]).includes(r.ref.kind)).map((r) => r.ref.namespace));
    for (const service of ctx.mesh.services) {
      const { selector } = service;
      if (!selector || Object.keys(selector).length === 0) continue;
      const { namespace } = service.meta;
      if (look.workloadsOf(service).length > 0) continue;
      if (unknown.has(namespace) || mayHaveExternal(ctx.config, WORKLOAD_KINDS, namespace)) continue;
      ctx.report('MESH0501', { selector: showSelector(selector), namespace }, { meta: service.meta, path: ['spec', 'selector'], key: true });
    }
  },
};
