/**
 * Whole-snapshot consistency of one node, on the canonical JSON that is
 * written and served (go-control-plane `Consistent()` and more; see
 * linting-conventions.md 14.4):
 *
 * - names unique per type;
 * - every cluster named by a route or a tcp_proxy exists in the node's CDS;
 * - every RDS name an HCM (filter chain or api_listener) uses exists, and
 *   every RouteConfiguration is used;
 * - every EDS cluster has its ClusterLoadAssignment and every CLA an EDS cluster;
 * - weighted clusters: weights sum to more than 0 and at most 4294967295;
 * - virtual-host domains unique within a RouteConfiguration;
 * - listeners have filter chains (or are gRPC api_listeners); router filter last.
 */
import type { JsonObject } from '../envoy/protos/index.ts';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, HTTP_CONNECTION_MANAGER_TYPE_URL, LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL, ROUTER_TYPE_URL, TCP_PROXY_TYPE_URL,
} from '../envoy/protos/type-urls.ts';

export interface Finding {
  /** Short type name (Listener, Cluster, …). */
  type: string;
  resource: string;
  /** Field path inside the resource (proto field names). */
  field: string;
  reason: string;
}

type J = Record<string, unknown>;
const arr = (v: unknown): J[] => (Array.isArray(v) ? (v as J[]) : []);
const short = (url: string) => url.slice(url.lastIndexOf('.') + 1);
const UINT32_MAX = 4294967295;

export function checkConsistency(byType: Map<string, JsonObject[]>): Finding[] {
  const out: Finding[] = [];
  const name = (r: J) => String(r.name ?? r.cluster_name ?? '');
  for (const [url, list] of byType) {
    const seen = new Set<string>();
    for (const r of list) {
      if (seen.has(name(r))) out.push({ type: short(url), resource: name(r), field: 'name', reason: 'two resources of this type have this name' });
      seen.add(name(r));
    }
  }
  const clusters = byType.get(CLUSTER_TYPE_URL) ?? [];
  const clusterNames = new Set(clusters.map((c) => String(c.name)));
  const routeConfigs = byType.get(ROUTE_CONFIGURATION_TYPE_URL) ?? [];
  const routeNames = new Set(routeConfigs.map((r) => String(r.name)));
  const usedRoutes = new Set<string>();

  const needCluster = (type: string, resource: string, field: string, cluster: unknown) => {
    if (!clusterNames.has(String(cluster))) out.push({ type, resource, field, reason: `names cluster "${String(cluster)}", which is not in the node's clusters` });
  };
  const checkWeighted = (type: string, resource: string, field: string, wc: J) => {
    let sum = 0;
    arr(wc.clusters).forEach((c, i) => {
      needCluster(type, resource, `${field}.clusters[${i}].name`, c.name);
      sum += Number(c.weight ?? 0);
    });
    if (sum <= 0 || sum > UINT32_MAX) out.push({ type, resource, field: `${field}.clusters`, reason: `weights sum to ${sum}; must be more than 0 and at most ${UINT32_MAX}` });
  };
  const checkRouteConfig = (type: string, resource: string, base: string, rc: J) => {
    const domains = new Set<string>();
    arr(rc.virtual_hosts).forEach((vh, v) => {
      arr(vh.domains).forEach((d, i) => {
        const key = String(d).toLowerCase();
        if (domains.has(key)) out.push({ type, resource, field: `${base}virtual_hosts[${v}].domains[${i}]`, reason: `domain "${String(d)}" is used by two virtual hosts` });
        domains.add(key);
      });
      arr(vh.routes).forEach((r, i) => {
        const action = r.route as J | undefined;
        const at = `${base}virtual_hosts[${v}].routes[${i}].route`;
        if (!action) return;
        if (action.cluster !== undefined) needCluster(type, resource, `${at}.cluster`, action.cluster);
        if (action.weighted_clusters) checkWeighted(type, resource, `${at}.weighted_clusters`, action.weighted_clusters as J);
      });
    });
  };
  const checkHcm = (resource: string, field: string, hcm: J) => {
    const rds = hcm.rds as J | undefined;
    if (rds) {
      const rn = String(rds.route_config_name);
      usedRoutes.add(rn);
      if (!routeNames.has(rn)) out.push({ type: 'Listener', resource, field: `${field}.rds.route_config_name`, reason: `route configuration "${rn}" is not in the node's routes` });
    }
    if (hcm.route_config) checkRouteConfig('Listener', resource, `${field}.route_config.`, hcm.route_config as J);
    const filters = arr(hcm.http_filters);
    const routerAt = filters.findIndex((f) => (f.typed_config as J | undefined)?.['@type'] === ROUTER_TYPE_URL);
    if (routerAt !== filters.length - 1 || filters.filter((f) => (f.typed_config as J | undefined)?.['@type'] === ROUTER_TYPE_URL).length !== 1) {
      out.push({ type: 'Listener', resource, field: `${field}.http_filters`, reason: 'the router filter (with typed_config) must appear exactly once, last' });
    }
  };

  for (const l of byType.get(LISTENER_TYPE_URL) ?? []) {
    const resource = String(l.name);
    const api = (l.api_listener as J | undefined)?.api_listener as J | undefined;
    if (api) {
      if (api['@type'] === HTTP_CONNECTION_MANAGER_TYPE_URL) checkHcm(resource, 'api_listener.api_listener', api);
      continue;
    }
    const chains = arr(l.filter_chains);
    if (chains.length === 0 && !l.default_filter_chain) out.push({ type: 'Listener', resource, field: 'filter_chains', reason: 'a listener needs at least one filter chain' });
    chains.forEach((chain, c) => {
      arr(chain.filters).forEach((f, i) => {
        const tc = f.typed_config as J | undefined;
        const at = `filter_chains[${c}].filters[${i}].typed_config`;
        if (tc?.['@type'] === HTTP_CONNECTION_MANAGER_TYPE_URL) checkHcm(resource, at, tc);
        if (tc?.['@type'] === TCP_PROXY_TYPE_URL) {
          if (tc.cluster !== undefined) needCluster('Listener', resource, `${at}.cluster`, tc.cluster);
          if (tc.weighted_clusters) checkWeighted('Listener', resource, `${at}.weighted_clusters`, tc.weighted_clusters as J);
        }
      });
    });
  }
  for (const rc of routeConfigs) {
    const resource = String(rc.name);
    checkRouteConfig('RouteConfiguration', resource, '', rc);
    if (!usedRoutes.has(resource)) out.push({ type: 'RouteConfiguration', resource, field: 'name', reason: 'no listener of the node uses this route configuration' });
  }
  const claNames = new Set((byType.get(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL) ?? []).map((e) => String(e.cluster_name)));
  const edsNames = new Set<string>();
  for (const c of clusters) {
    if (c.type !== 'EDS') continue;
    const svc = String((c.eds_cluster_config as J | undefined)?.service_name ?? c.name);
    edsNames.add(svc);
    if (!claNames.has(svc)) out.push({ type: 'Cluster', resource: String(c.name), field: 'eds_cluster_config.service_name', reason: `no ClusterLoadAssignment "${svc}" in the node's endpoints` });
  }
  for (const n of claNames) {
    if (!edsNames.has(n)) out.push({ type: 'ClusterLoadAssignment', resource: n, field: 'cluster_name', reason: 'no EDS cluster of the node uses this assignment' });
  }
  return out;
}
