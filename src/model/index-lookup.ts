import { keyOf } from '../core/types.ts';
import type { Mesh, Service, ServiceAccount, Workload, HTTPRouteGroup, TCPRoute, UDPRoute, TrafficSplit, TrafficTarget } from './types.ts';

const key = (namespace: string, name: string) => keyOf({ namespace, name });

function byKey<T extends { meta: { namespace: string; name: string } }>(items: T[]): Map<string, T> {
  const map = new Map<string, T>();
  // First definition wins; duplicates are reported by the model builder.
  for (const item of items) {
    const k = keyOf(item.meta);
    if (!map.has(k)) map.set(k, item);
  }
  return map;
}

/** Lookups over a mesh, built once per run and shared by rules and reachability. */
export class MeshIndex {
  readonly services: Map<string, Service>;
  readonly serviceAccounts: Map<string, ServiceAccount>;
  readonly httpRouteGroups: Map<string, HTTPRouteGroup>;
  readonly tcpRoutes: Map<string, TCPRoute>;
  readonly udpRoutes: Map<string, UDPRoute>;
  /** TrafficTargets by 'namespace/name' (the first of duplicates). */
  readonly trafficTargets: Map<string, TrafficTarget>;
  /** TrafficSplits by 'namespace/name' (the first of duplicates). */
  readonly trafficSplits: Map<string, TrafficSplit>;
  /** TrafficSplits by root service key, in input order. */
  readonly splitsByRoot: Map<string, TrafficSplit[]>;
  /** TrafficTargets by destination identity key (namespace/serviceaccount). */
  readonly targetsByDestination: Map<string, TrafficTarget[]>;
  /** Workloads by the identity they run as ('default' when unset). */
  readonly workloadsByIdentity: Map<string, Workload[]>;
  /** Rejected (schema-invalid) resources: kind/namespace/name. */
  readonly rejected: Set<string>;

  constructor(readonly mesh: Mesh) {
    this.services = byKey(mesh.services);
    this.serviceAccounts = byKey(mesh.serviceAccounts);
    this.httpRouteGroups = byKey(mesh.httpRouteGroups);
    this.tcpRoutes = byKey(mesh.tcpRoutes);
    this.udpRoutes = byKey(mesh.udpRoutes);
    this.trafficTargets = byKey(mesh.trafficTargets);
    this.trafficSplits = byKey(mesh.trafficSplits);
    this.splitsByRoot = new Map();
    for (const split of mesh.trafficSplits) push(this.splitsByRoot, key(split.meta.namespace, split.service), split);
    this.targetsByDestination = new Map();
    for (const tt of mesh.trafficTargets) push(this.targetsByDestination, keyOf(tt.destination), tt);
    this.workloadsByIdentity = new Map();
    for (const w of mesh.workloads) push(this.workloadsByIdentity, key(w.meta.namespace, w.serviceAccountName ?? 'default'), w);
    this.rejected = new Set(mesh.rejected.map((r) => `${r.ref.kind}/${r.ref.namespace}/${r.ref.name}`));
  }

  /** True when the input holds this object, even if it was rejected by validation. */
  exists(kind: string, namespace: string, name: string): boolean {
    if (this.rejected.has(`${kind}/${namespace}/${name}`)) return true;
    const k = key(namespace, name);
    switch (kind) {
      case 'Service': return this.services.has(k);
      case 'ServiceAccount': return this.serviceAccounts.has(k);
      case 'HTTPRouteGroup': return this.httpRouteGroups.has(k);
      case 'TCPRoute': return this.tcpRoutes.has(k);
      case 'UDPRoute': return this.udpRoutes.has(k);
      default: return false;
    }
  }

  /** Workloads whose pod labels match a Service selector (in the Service's namespace). */
  workloadsForService(service: Service): Workload[] {
    if (!service.selector || Object.keys(service.selector).length === 0) return [];
    return this.mesh.workloads.filter((w) => w.meta.namespace === service.meta.namespace && selectorMatches(service.selector!, w.podLabels));
  }
}

export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
