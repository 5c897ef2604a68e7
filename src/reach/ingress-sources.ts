/**
 * The addresses an IngressBackend source of kind Service stands for: OSM admits the endpoint IPs of that Service
 * (each as a /32 source prefix range) and, when it has none, drops the whole IngressBackend
 * (osm-translation.md section 14). The `ingress-backend-sources` rule (check) and the IR builder (compile) both
 * read them from here, so what check reports is what compile leaves out.
 */
import { isIP } from 'node:net';
import { compareText as cmp } from '../core/compare.ts';
import type { MeshIndex } from '../model/index-lookup.ts';

/** The source's addresses (sorted, unique; possibly known to be none; `from`: why none, for messages), or why they cannot be known from the input. */
export type SourceAddresses = { known: true; ips: string[]; from: string } | { known: false; why: string };

/**
 * Ready endpoint addresses of the Service's Endpoints/EndpointSlices (every port: OSM lists the Service's
 * endpoints, not a port's); without any, the pod IPs of the bare Pods it selects. A Service without a selector and
 * without Endpoints has none. Undefined when the Service is not in the input (MESH1134 reports that).
 */
export function ingressSourceAddresses(index: MeshIndex, namespace: string, name: string): SourceAddresses | undefined {
  const service = index.services.get(`${namespace}/${name}`);
  if (!service) return undefined;
  const sets = index.mesh.endpoints.filter((e) => e.meta.namespace === namespace && e.serviceName === name);
  const unique = (ips: string[]) => [...new Set(ips)].sort(cmp);
  if (sets.length > 0) {
    const ips = sets.flatMap((s) => s.addresses.filter((a) => a.ready && isIP(a.ip) !== 0).map((a) => a.ip));
    return { known: true, ips: unique(ips), from: 'its Endpoints (or EndpointSlices) list no ready address' };
  }
  if (!service.selector || Object.keys(service.selector).length === 0) {
    return { known: true, ips: [], from: 'it has no selector and no Endpoints object' };
  }
  const workloads = index.workloadsForService(service);
  if (workloads.length === 0) return { known: false, why: 'its selector matches no workload of the input and the input has no Endpoints for it' };
  if (workloads.every((w) => w.workloadKind === 'Pod' && w.podIP !== undefined && isIP(w.podIP) !== 0)) {
    return { known: true, ips: unique(workloads.map((w) => w.podIP!)), from: 'the pods it selects have no IP' };
  }
  return { known: false, why: 'its pods get their IPs at run time and the input has no Endpoints (or EndpointSlices) for it' };
}
