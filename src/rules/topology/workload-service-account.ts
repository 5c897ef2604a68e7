import type { Rule } from '../types.ts';

export const workloadServiceAccount: Rule = {
  id: 'workload-service-account',
  description: 'Workloads run under a ServiceAccount of their own (serviceAccountName is set)',
  codes: ['MESH0502'],
  inputs: ['workloads'],
  run(ctx) {
    for (const w of ctx.mesh.workloads) {
      if (w.serviceAccountName !== null) continue;
      ctx.report('MESH0502', { kind: w.workloadKind, name: w.meta.name, namespace: w.meta.namespace },
        { meta: w.meta, path: w.podSpecPath, key: true });
    }
  },
};
