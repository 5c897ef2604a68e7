import { keyOf } from '../core/types.ts';
import type { MeshIndex } from '../model/index-lookup.ts';
import type { Mesh, Service, Workload } from '../model/types.ts';
import type { IdentityKey, ReachPort } from './types.ts';

export const identityOf = (w: Workload): IdentityKey => keyOf({ namespace: w.meta.namespace, name: w.serviceAccountName ?? 'default' });
export const workloadKey = (w: Workload): string => `${w.meta.namespace}/${w.workloadKind}/${w.meta.name}`;

/**
 * Service selector → workloads, through an index of pod labels per namespace
 * (label key and value → workloads). A selector is matched by scanning the
 * shortest candidate list, so resolving every Service costs about
 * O(services × workloads-per-label) instead of O(services × workloads).
 */
export class SelectorIndex {
  private readonly byLabel = new Map<string, Workload[]>();

  constructor(mesh: Mesh) {
    for (const w of mesh.workloads) {
      for (const [k, v] of Object.entries(w.podLabels)) {
        // '\0' can appear in neither label keys nor values: the pair key is unambiguous.
        const key = `${w.meta.namespace}\0${k}\0${v}`;
        const list = this.byLabel.get(key);
        if (list) list.push(w);
        else this.byLabel.set(key, [w]);
      }
    }
  }

  /** Workloads whose pods a Service selects (none for a selector-less or empty-selector Service). */
  select(service: Service): Workload[] {
    const sel = service.selector;
    if (!sel) return [];
    const entries = Object.entries(sel);
    if (entries.length === 0) return [];
    let best: Workload[] | undefined;
    for (const [k, v] of entries) {
      const list = this.byLabel.get(`${service.meta.namespace}\0${k}\0${v}`);
      if (!list) return [];
      if (!best || list.length < best.length) best = list;
    }
    return best!.filter((w) => entries.every(([k, v]) => w.podLabels[k] === v));
  }
}

/** Service ports with numeric target ports (named ones resolved through the workloads' container ports). */
export function resolvePorts(service: Service, workloads: Workload[]): ReachPort[] {
  return service.ports.map((p) => {
    let targetPort: number | null = null;
    if (typeof p.targetPort === 'number') targetPort = p.targetPort;
    else {
      for (const w of workloads) {
        const cp = w.containerPorts.find((c) => c.name === p.targetPort && c.protocol === p.protocol);
        if (cp) { targetPort = cp.containerPort; break; }
      }
    }
    const out: ReachPort = { port: p.port, targetPort, protocol: p.protocol };
    if (p.name !== undefined) out.name = p.name;
    if (p.appProtocol !== undefined) out.appProtocol = p.appProtocol;
    return out;
  });
}

export type { MeshIndex };
