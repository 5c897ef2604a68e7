import { closestHint } from '../../core/suggest.ts';
import type { Rule } from '../types.ts';
import { lookups } from '../util/lookups.ts';
import { IMPLICIT_SERVICE_ACCOUNT, resolves } from '../util/refs.ts';

/**
 * MESH0505: a workload runs as a ServiceAccount its namespace's declared ones do not include. Judged only where the
 * input declares ServiceAccounts in that namespace (it then manages them); elsewhere they may come from anywhere.
 */
export const workloadServiceAccountExists: Rule = {
  id: 'workload-service-account-exists',
  description: 'Workloads run as a ServiceAccount their namespace declares (where the input declares ServiceAccounts there)',
  codes: ['MESH0505'],
  inputs: ['workloads', 'serviceAccounts'],
  run(ctx) {
    const look = lookups(ctx.mesh, ctx.index);
    for (const w of ctx.mesh.workloads) {
      const account = w.serviceAccountName;
      const ns = w.meta.namespace;
      if (account === null || account === IMPLICIT_SERVICE_ACCOUNT) continue;
      const declared = look.names('ServiceAccount', ns);
      if (declared.size === 0 || resolves(ctx, 'ServiceAccount', ns, account)) continue;
      ctx.report('MESH0505', { kind: w.workloadKind, name: w.meta.name, namespace: ns, account, hint: closestHint(account, declared) },
        { meta: w.meta, path: [...w.podSpecPath, 'serviceAccountName'] });
    }
  },
};
