/**
 * What meshc knows about where a Service port's traffic goes: endpoint
 * addresses (for EDS) from Endpoints/EndpointSlice objects, or from bare Pods
 * that carry status.podIP; otherwise nothing (the cluster resolves the
 * Service's DNS name instead). Each address is attributed to the identity its
 * pod runs as when that can be told (see `identityOfPod`), so that a client's
 * cluster can hold only the pods that admit it (src/reach/delivery.ts).
 */
import { keyOf } from '../core/types.ts';
import { isIP } from 'node:net';
import { compareText as cmp } from '../core/compare.ts';
import type { EndpointSet, Service, Workload } from '../model/types.ts';
import type { IdentityKey, ReachPort } from './types.ts';
import { identityOf } from './workloads.ts';

/** Endpoints grouped by zone ('' = unknown zone), as EDS takes them. */
export interface Locality {
  zone: string;
  endpoints: { ip: string; port: number }[];
}

/** One endpoint address of a Service port, with the identity of the pod behind it (null: cannot be told). */
export interface ResolvedAddress {
  ip: string;
  port: number;
  zone: string;
  identity: IdentityKey | null;
}

/** Endpoint sets per Service key (`namespace/name`); several EndpointSlices of one Service are merged. */
export function endpointSetsByService(sets: EndpointSet[]): Map<string, EndpointSet[]> {
  const out = new Map<string, EndpointSet[]>();
  for (const s of sets) {
    const k = keyOf({ namespace: s.meta.namespace, name: s.serviceName });
    const list = out.get(k);
    if (list) list.push(s);
    else out.set(k, [s]);
  }
  return out;
}

/** The container port a Service port reaches on one workload (named target ports resolve per workload). */
export function targetPortOn(port: ReachPort, servicePort: Service['ports'][number] | undefined, workload: Workload): number | null {
  const tp = servicePort?.targetPort ?? port.targetPort;
  if (typeof tp === 'number') return tp;
  if (typeof tp === 'string') {
    const cp = workload.containerPorts.find((c) => c.name === tp && c.protocol === port.protocol);
    if (cp) return cp.containerPort;
  }
  return port.targetPort;
}

/** Addresses grouped by zone, each address once, zones and addresses sorted. */
export function groupByZone(addresses: { ip: string; port: number; zone: string }[]): Locality[] {
  const seen = new Set<string>();
  const byZone = new Map<string, { ip: string; port: number }[]>();
  for (const a of addresses) {
    const k = `${a.ip}|${a.port}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const list = byZone.get(a.zone);
    if (list) list.push({ ip: a.ip, port: a.port });
    else byZone.set(a.zone, [{ ip: a.ip, port: a.port }]);
  }
  return [...byZone.keys()].sort(cmp).map((zone) => ({
    zone,
    endpoints: byZone.get(zone)!.sort((a, b) => cmp(a.ip, b.ip) || a.port - b.port),
  }));
}

/**
 * The pod a Service's endpoint address belongs to, among the workloads the Service selects: a bare Pod of that
 * name, or the controller whose pod names Kubernetes derives from its own (Deployment `NAME-HASH-XXXXX`,
 * StatefulSet `NAME-ORDINAL`, DaemonSet/ReplicaSet `NAME-XXXXX`); exactly one must match. When every workload runs
 * as one identity, every address is that identity's. Null: the identity cannot be told.
 */
export function identityOfPod(podName: string | undefined, workloads: Workload[]): IdentityKey | null {
  const ids = new Set(workloads.map(identityOf));
  if (ids.size === 1) return [...ids][0];
  if (podName === undefined) return null;
  const bare = workloads.find((w) => w.workloadKind === 'Pod' && w.meta.name === podName);
  if (bare) return identityOf(bare);
  const owners = workloads.filter((w) => {
    if (!podName.startsWith(`${w.meta.name}-`)) return false;
    const rest = podName.slice(w.meta.name.length + 1);
    if (w.workloadKind === 'Deployment') return /^[a-z0-9]{1,10}-[a-z0-9]{5}$/.test(rest);
    if (w.workloadKind === 'StatefulSet') return /^\d+$/.test(rest);
    if (w.workloadKind === 'DaemonSet' || w.workloadKind === 'ReplicaSet') return /^[a-z0-9]{5}$/.test(rest);
    return false;
  });
  return owners.length === 1 ? identityOf(owners[0]) : null;
}

/**
 * Endpoint addresses of one Service port with the identity of their pods, or
 * null when they are unknown. An Endpoints object that lists no ready address
 * for the port is *known to be empty*, not unknown.
 */
export function resolveAddresses(
  port: ReachPort,
  servicePort: Service['ports'][number] | undefined,
  sets: EndpointSet[] | undefined,
  workloads: Workload[],
): ResolvedAddress[] | null {
  if (sets && sets.length > 0) {
    const addresses: ResolvedAddress[] = [];
    for (const set of sets) {
      const candidates = set.ports.filter((p) => p.protocol === port.protocol);
      let ep = port.name !== undefined ? candidates.find((p) => p.name === port.name) : undefined;
      if (!ep && candidates.length === 1 && (port.name === undefined || candidates[0].name === undefined)) ep = candidates[0];
      if (!ep && port.targetPort !== null) ep = candidates.find((p) => p.port === port.targetPort);
      if (!ep) continue;
      for (const a of set.addresses) {
        if (!a.ready || isIP(a.ip) === 0) continue;
        addresses.push({ ip: a.ip, port: ep.port, zone: a.zone ?? '', identity: identityOfPod(a.podName, workloads) });
      }
    }
    return addresses;
  }
  if (workloads.length > 0 && workloads.every((w) => w.workloadKind === 'Pod' && w.podIP && isIP(w.podIP) !== 0)) {
    const addresses: ResolvedAddress[] = [];
    for (const w of workloads) {
      const tp = targetPortOn(port, servicePort, w);
      if (tp !== null) addresses.push({ ip: w.podIP!, port: tp, zone: '', identity: identityOf(w) });
    }
    return addresses;
  }
  return null;
}

/** Endpoint addresses of one Service port, grouped by zone, or null when they are unknown. */
export function resolveEndpoints(
  port: ReachPort,
  servicePort: Service['ports'][number] | undefined,
  sets: EndpointSet[] | undefined,
  workloads: Workload[],
): Locality[] | null {
  const addresses = resolveAddresses(port, servicePort, sets, workloads);
  return addresses && groupByZone(addresses);
}
