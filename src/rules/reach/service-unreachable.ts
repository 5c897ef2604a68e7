import { keyOf } from '../../core/types.ts';
import type { Reachability } from '../../reach/types.ts';
import type { Rule } from '../types.ts';
import { reachabilityOf } from './shared.ts';
import { listNames } from '../util/text.ts';
import { osmSettings } from '../../model/osm-settings.ts';

/** Whether some backend of the split rooted at `root` selects a pod (has an identity to admit callers to). */
function backendsServed(reach: Reachability, root: string): boolean {
  return reach.splits[root]?.rules.some((r) => r.backends.some((b) => (reach.services[b.service]?.identities.length ?? 0) > 0)) ?? false;
}

/** MESH0601: a Service that no identity may reach in SMI mode (an IngressBackend's backend is reached from outside). */
export const serviceUnreachable: Rule = {
  id: 'service-unreachable',
  description: 'Services that no identity may reach (SMI deny-by-default)',
  codes: ['MESH0601'],
  inputs: ['services'],
  run(ctx) {
    if (ctx.config.permissive) return;
    const reach = reachabilityOf(ctx);
    const reached = new Set<string>();
    for (const list of Object.values(reach.outbound)) {
      for (const pa of list) {
        if (pa.grants.length > 0 || (pa.split && pa.split.rules.some((r) => r.allowedWeight > 0))) reached.add(pa.service);
      }
    }
    // A backend of an IngressBackend in force is reached from outside the mesh by design (no identity to name).
    if (osmSettings(ctx.mesh, ctx.config).features.enableIngressBackendPolicy) {
      for (const ib of ctx.mesh.ingressBackends) for (const b of ib.backends) reached.add(`${ib.meta.namespace}/${b.name}`);
    }
    const seen = new Set<string>();
    for (const svc of ctx.mesh.services) {
      const key = keyOf(svc.meta);
      const info = reach.services[key];
      if (!info || seen.has(key) || reached.has(key) || svc.ports.length === 0) continue;
      seen.add(key);
      // Selecting no pod is a topology finding (and an input without workloads says nothing about who runs where).
      // A split root is judged through its backends: skipped too when none of them selects a pod.
      if (info.identities.length === 0 && !(info.splitRoot && backendsServed(reach, key))) continue;
      const identities = info.identities.length > 0 ? listNames(info.identities) : `the backends of TrafficSplit ${reach.splits[key]?.split}`;
      ctx.report('MESH0601', { service: key, identities }, { meta: svc.meta, path: ['metadata', 'name'] });
    }
  },
};
