import type { Mesh } from './types.ts';

/** Number of resources meshc modelled (SMI and Kubernetes), as the summary line counts them. */
export function countResources(mesh: Mesh): number {
  return mesh.namespaces.length + mesh.serviceAccounts.length + mesh.services.length + mesh.workloads.length +
    mesh.endpoints.length + mesh.httpRouteGroups.length + mesh.tcpRoutes.filter((t) => !t.synthesizedFrom).length +
    mesh.udpRoutes.length + mesh.trafficTargets.length + mesh.identityBindings.length + mesh.trafficSplits.length +
    mesh.meshConfigs.length + mesh.egresses.length + mesh.ingressBackends.length + mesh.upstreamTrafficSettings.length +
    mesh.retries.length + mesh.rejected.length;
}
