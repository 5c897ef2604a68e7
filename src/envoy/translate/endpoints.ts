/**
 * What meshc knows about where a Service port's traffic goes: endpoint
 * addresses (for EDS) from Endpoints/EndpointSlice objects, or from bare Pods
 * that carry status.podIP; otherwise nothing (the cluster resolves the
 * Service's DNS name instead).
 */
import { keyOf } from '../../core/types.ts';
import { isIP } from 'node:net';
import { compareText as cmp } from '../../core/compare.ts';
import type { EndpointSet, Service, Workload } from '../../model/types.ts';
import type { ReachPort } from '../../reach/types.ts';
import type { LocalityIR } from './ir.ts';

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

function group(addresses: { ip: string; port: number; zone: string }[]): LocalityIR[] {
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
 * Endpoint addresses of one Service port, grouped by zone, or null when they
 * are unknown. An Endpoints object that lists no ready address for the port
 * is *known to be empty* (an empty assignment), not unknown.
 */
export function resolveEndpoints(
  port: ReachPort,
  servicePort: Service['ports'][number] | undefined,
  sets: EndpointSet[] | undefined,
  workloads: Workload[],
): LocalityIR[] | null {
  if (sets && sets.length > 0) {
    const addresses: { ip: string; port: number; zone: string }[] = [];
    for (const set of sets) {
      const candidates = set.ports.filter((p) => p.protocol === port.protocol);
      let ep = port.name !== undefined ? candidates.find((p) => p.name === port.name) : undefined;
      if (!ep && candidates.length === 1 && (port.name === undefined || candidates[0].name === undefined)) ep = candidates[0];
      if (!ep && port.targetPort !== null) ep = candidates.find((p) => p.port === port.targetPort);
      if (!ep) continue;
      for (const a of set.addresses) {
        if (!a.ready || isIP(a.ip) === 0) continue;
        addresses.push({ ip: a.ip, port: ep.port, zone: a.zone ?? '' });
      }
    }
    return group(addresses);
  }
  if (workloads.length > 0 && workloads.every((w) => w.workloadKind === 'Pod' && w.podIP && isIP(w.podIP) !== 0)) {
    const addresses: { ip: string; port: number; zone: string }[] = [];
    for (const w of workloads) {
      const tp = targetPortOn(port, servicePort, w);
      if (tp !== null) addresses.push({ ip: w.podIP!, port: tp, zone: '' });
    }
    return group(addresses);
  }
  return null;
}
