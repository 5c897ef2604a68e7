// Checks of an Envoy bootstrap that Envoy makes in code at start-up
// (source/common/config/utility.cc, the listener and cluster managers):
// node id and cluster for xDS, the xDS cluster statically defined, and the
// static listeners and clusters held to the snapshot invariants (their inline
// route configurations validate clusters by default, against static clusters).
import { checkHttpFilters, checkListenerShape, checkRouteConfiguration, checkTcpProxies, connectionManagers, isEds, type Rep } from './invariants.ts';
import { type J, arr, obj, str } from './json-util.ts';
import type { Violation } from './types.ts';

/** Violations of a bootstrap in proto3 JSON; paths start at the bootstrap (`static_resources.listeners[0]…`). */
export function checkBootstrap(bootstrap: J): Violation[] {
  const out: Violation[] = [];
  const rep: Rep = (path, rule, message) => out.push({ path, rule, message, severity: 'error' });
  const staticResources = obj(bootstrap.static_resources);
  const listeners = arr(staticResources.listeners).map(obj);
  const clusters = arr(staticResources.clusters).map(obj);
  const dynamic = obj(bootstrap.dynamic_resources);
  const usesXds = Object.keys(dynamic).length > 0;

  const node = obj(bootstrap.node);
  if (usesXds && (!str(node.id) || !str(node.cluster))) {
    rep(str(node.id) ? 'node.cluster' : 'node.id', 'invariant.bootstrap_node', "ads: node 'id' and 'cluster' are required. Set it either in 'node' config or via --service-node and --service-cluster options.");
  }

  // Every gRPC config source must name a statically defined, non-EDS cluster.
  const staticClusters = new Map(clusters.map((c) => [str(c.name), c]));
  const apiSources: [J, string][] = [];
  if (dynamic.ads_config) apiSources.push([obj(dynamic.ads_config), 'dynamic_resources.ads_config']);
  for (const key of ['lds_config', 'cds_config']) {
    const cs = obj(dynamic[key]);
    if (cs.api_config_source) apiSources.push([obj(cs.api_config_source), `dynamic_resources.${key}.api_config_source`]);
    if (cs.ads && !dynamic.ads_config) rep(`dynamic_resources.${key}.ads`, 'invariant.ads_config', `${key} uses ADS, but dynamic_resources.ads_config is not set`);
  }
  for (const [source, path] of apiSources) {
    arr(source.grpc_services).forEach((g, i) => {
      const name = str(obj(obj(g).envoy_grpc).cluster_name);
      if (!obj(g).envoy_grpc) return;
      const cluster = staticClusters.get(name);
      if (!cluster || isEds(cluster)) {
        rep(`${path}.grpc_services[${i}].envoy_grpc.cluster_name`, 'invariant.xds_cluster', `envoy.config.core.v3.ApiConfigSource must have a statically defined non-EDS cluster: '${name}' does not exist, was added via api, or is an EDS cluster`);
      }
    });
  }

  const seen = new Map<string, number>();
  clusters.forEach((c, i) => {
    const name = str(c.name);
    if (seen.has(name)) rep(`static_resources.clusters[${i}].name`, 'invariant.duplicate_name', `duplicate cluster name "${name}" (static clusters ${seen.get(name)} and ${i})`);
    else seen.set(name, i);
  });
  const listenerNames = new Map<string, number>();
  const addresses = new Map<string, string>();
  const clusterNames = new Set(staticClusters.keys());
  listeners.forEach((l, i) => {
    const base = `static_resources.listeners[${i}]`;
    const at: Rep = (path, rule, message) => rep(path ? `${base}.${path}` : base, rule, message);
    const name = str(l.name);
    if (listenerNames.has(name)) at('name', 'invariant.duplicate_name', `duplicate listener name "${name}" (static listeners ${listenerNames.get(name)} and ${i})`);
    else listenerNames.set(name, i);
    checkListenerShape(l, 'envoy', at, addresses);
    checkTcpProxies(l, clusterNames, at);
    for (const { hcm, path } of connectionManagers(l)) {
      checkHttpFilters(hcm, path, at);
      if (hcm.route_config) {
        const rc = obj(hcm.route_config);
        // validate_clusters defaults to true for a static route configuration: Envoy refuses to start
        // when a route names a cluster that is not defined statically.
        if (rc.validate_clusters === false) continue;
        const filters = new Set(arr(hcm.http_filters).map((f) => str(obj(f).name)));
        checkRouteConfiguration(rc, `${path}.route_config`, clusterNames, filters, at);
      }
    }
  });
  return out;
}
