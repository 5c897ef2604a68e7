// Invariants across the resources of one node's snapshot that Envoy checks
// only in C++ (linting-conventions 11.6) and go-control-plane's Consistent(),
// on proto3 JSON resources ("@type" on every Any). Target 'grpc' adds what
// @grpc/grpc-js-xds accepts (grpc.ts). Pure JSON: no protobufjs needed.
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL,
} from '../protos/type-urls.ts';
import { checkGrpc } from './grpc.ts';
import type { Target } from '../translate/ir.ts';
import type { Violation } from './types.ts';
import { HCM, ROUTER, TCP_PROXY, type J, arr, isType, obj, str, uint } from './json-util.ts';
import { typeNameOf } from '../protos/type-urls.ts';

/** One node's resources, proto3 JSON by kind. */
export interface ProxyResources {
  listeners?: readonly unknown[];
  routes?: readonly unknown[];
  clusters?: readonly unknown[];
  endpoints?: readonly unknown[];
}

export type { Target } from '../translate/ir.ts';

import { UINT32_MAX } from '../../core/compare.ts';

export { UINT32_MAX };

/** A connection manager found in a listener, with where it is. */
export interface FoundHcm {
  hcm: J;
  path: string;
  listener: string;
  api: boolean;
}

export class Reporter {
  readonly out: Violation[] = [];
  report(typeUrl: string, name: string, path: string, rule: string, message: string): void {
    this.out.push({ path, rule, message, severity: 'error', resource: { typeUrl, name } });
  }
}

export function connectionManagers(listener: J): FoundHcm[] {
  const name = str(listener.name);
  const found: FoundHcm[] = [];
  const chain = (fc: J, path: string) => {
    arr(fc.filters).forEach((f, i) => {
      const tc = obj(obj(f).typed_config);
      if (isType(tc, HCM)) found.push({ hcm: tc, path: `${path}.filters[${i}].typed_config`, listener: name, api: false });
    });
  };
  arr(listener.filter_chains).forEach((fc, i) => chain(obj(fc), `filter_chains[${i}]`));
  if (listener.default_filter_chain) chain(obj(listener.default_filter_chain), 'default_filter_chain');
  const api = obj(obj(listener.api_listener).api_listener);
  if (isType(api, HCM)) found.push({ hcm: api, path: 'api_listener.api_listener', listener: name, api: true });
  return found;
}

/** Name under which EDS looks up a cluster's ClusterLoadAssignment. */
export function edsServiceName(cluster: J): string {
  return str(obj(cluster.eds_cluster_config).service_name) || str(cluster.name);
}

export function isEds(cluster: J): boolean {
  return cluster.type === 'EDS' || cluster.type === 3;
}

function uniqueNames(r: Reporter, typeUrl: string, list: readonly unknown[], key: string, what: string): void {
  const seen = new Map<string, number>();
  list.forEach((res, i) => {
    const name = str(obj(res)[key]);
    const first = seen.get(name);
    if (first !== undefined) r.report(typeUrl, name, key, 'invariant.duplicate_name', `duplicate ${what} name "${name}" (resources ${first} and ${i}); xDS clients reject the whole response`);
    else seen.set(name, i);
  });
}

/**
 * Checks one node's snapshot. Resources are proto3 JSON; the checks assume
 * each resource passed validateMessage (types and PGV rules) and look only at
 * relations between fields and resources.
 */
export function checkInvariants(snapshot: ProxyResources, target: Target): Violation[] {
  const r = new Reporter();
  const listeners = (snapshot.listeners ?? []).map(obj);
  const routes = (snapshot.routes ?? []).map(obj);
  const clusters = (snapshot.clusters ?? []).map(obj);
  const endpoints = (snapshot.endpoints ?? []).map(obj);

  // Each list holds one resource type: a resource of another "@type" would be served under the wrong type URL.
  for (const [typeUrl, list, key] of [[LISTENER_TYPE_URL, listeners, 'name'], [ROUTE_CONFIGURATION_TYPE_URL, routes, 'name'], [CLUSTER_TYPE_URL, clusters, 'name'], [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, endpoints, 'cluster_name']] as const) {
    for (const res of list) {
      const t = res['@type'];
      if (t !== undefined && t !== typeUrl) r.report(typeUrl, str(res[key]), '@type', 'invariant.wrong_type', `a resource of type ${String(t)} is in the list of ${typeUrl.slice(typeUrl.lastIndexOf('.') + 1)} resources`);
    }
  }
  uniqueNames(r, LISTENER_TYPE_URL, listeners, 'name', 'listener');
  uniqueNames(r, ROUTE_CONFIGURATION_TYPE_URL, routes, 'name', 'route configuration');
  uniqueNames(r, CLUSTER_TYPE_URL, clusters, 'name', 'cluster');
  uniqueNames(r, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, endpoints, 'cluster_name', 'ClusterLoadAssignment cluster');

  const clusterNames = new Set(clusters.map((c) => str(c.name)));
  const routeByName = new Map(routes.map((rc) => [str(rc.name), rc]));
  /** HTTP filter names of the connection managers that use each route configuration. */
  const filtersOfRoute = new Map<string, Set<string>>();
  const referencedRoutes = new Set<string>();

  const addresses = new Map<string, string>();
  for (const listener of listeners) {
    const name = str(listener.name);
    const rep = (path: string, rule: string, message: string) => r.report(LISTENER_TYPE_URL, name, path, rule, message);
    checkListenerShape(listener, target, rep, addresses);
    for (const { hcm, path } of connectionManagers(listener)) {
      checkHttpFilters(hcm, path, rep);
      const filterNames = new Set(arr(hcm.http_filters).map((f) => str(obj(f).name)));
      if (hcm.rds) {
        const rdsName = str(obj(hcm.rds).route_config_name);
        referencedRoutes.add(rdsName);
        if (!routeByName.has(rdsName)) rep(`${path}.rds.route_config_name`, 'invariant.missing_route_configuration', `connection manager uses RDS route configuration "${rdsName}", which is not in the snapshot`);
        const set = filtersOfRoute.get(rdsName) ?? new Set();
        for (const f of filterNames) set.add(f);
        filtersOfRoute.set(rdsName, set);
      } else if (hcm.route_config) {
        checkRouteConfiguration(obj(hcm.route_config), `${path}.route_config`, clusterNames, filterNames, rep);
      } else if (!hcm.scoped_routes) {
        rep(path, 'invariant.route_specifier', 'connection manager has neither rds nor route_config');
      }

    }
    checkTcpProxies(listener, clusterNames, rep);
  }

  for (const rc of routes) {
    const name = str(rc.name);
    const rep = (path: string, rule: string, message: string) => r.report(ROUTE_CONFIGURATION_TYPE_URL, name, path, rule, message);
    checkRouteConfiguration(rc, '', clusterNames, filtersOfRoute.get(name) ?? null, rep);
    if (!referencedRoutes.has(name)) rep('name', 'invariant.orphan_route_configuration', `route configuration "${name}" is not used by any connection manager (go-control-plane Consistent() rejects the snapshot)`);
  }

  const endpointNames = new Set(endpoints.map((e) => str(e.cluster_name)));
  const edsNames = new Set<string>();
  for (const cluster of clusters) {
    const name = str(cluster.name);
    if (!isEds(cluster)) continue;
    const service = edsServiceName(cluster);
    edsNames.add(service);
    if (!endpointNames.has(service)) {
      r.report(CLUSTER_TYPE_URL, name, cluster.eds_cluster_config && obj(cluster.eds_cluster_config).service_name ? 'eds_cluster_config.service_name' : 'name', 'invariant.missing_endpoints', `EDS cluster "${name}" has no ClusterLoadAssignment "${service}" in the snapshot`);
    }
  }
  for (const cla of endpoints) {
    const name = str(cla.cluster_name);
    if (!edsNames.has(name)) r.report(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, name, 'cluster_name', 'invariant.orphan_endpoints', `ClusterLoadAssignment "${name}" belongs to no EDS cluster of the snapshot`);
  }

  if (target === 'grpc') checkGrpc({ listeners, routes, clusters, endpoints }, r);
  return r.out;
}

const NF = 'envoy.extensions.filters.network.';
/** Network filters Envoy treats as terminal (the last of a chain), and well-known ones that are not; others are not judged. */
const TERMINAL_NETWORK_FILTERS = new Set([HCM, TCP_PROXY, ...['redis_proxy.v3.RedisProxy', 'thrift_proxy.v3.ThriftProxy', 'dubbo_proxy.v3.DubboProxy', 'direct_response.v3.Config', 'echo.v3.Echo'].map((t) => NF + t)]);
const NON_TERMINAL_NETWORK_FILTERS = new Set([
  'rbac.v3.RBAC', 'local_ratelimit.v3.LocalRateLimit', 'ratelimit.v3.RateLimit', 'ext_authz.v3.ExtAuthz', 'connection_limit.v3.ConnectionLimit',
  'sni_cluster.v3.SniCluster', 'sni_dynamic_forward_proxy.v3.FilterConfig', 'mongo_proxy.v3.MongoProxy', 'zookeeper_proxy.v3.ZooKeeperProxy', 'wasm.v3.Wasm',
].map((t) => NF + t));

export type Rep = (path: string, rule: string, message: string) => void;

export function checkListenerShape(listener: J, target: Target, rep: Rep, addresses: Map<string, string>): void {
  const chains = arr(listener.filter_chains);
  if (target === 'envoy') {
    if (listener.api_listener) rep('api_listener', 'invariant.api_listener', 'Envoy ignores a listener with api_listener when it comes over LDS (only one, from the bootstrap, is allowed); serve it to gRPC clients only');
    else if (chains.length === 0 && !listener.default_filter_chain) rep('filter_chains', 'invariant.no_filter_chains', 'listener has no filter chains and no default filter chain; Envoy rejects it');
    if (!listener.api_listener && !listener.address && !listener.internal_listener) rep('address', 'invariant.listener_address', `error adding listener named '${str(listener.name)}': address is necessary`);
    const sa = obj(obj(listener.address).socket_address);
    if (sa.address !== undefined) {
      const key = `${str(sa.address)}:${sa.port_value ?? sa.named_port ?? 0}/${str(sa.protocol) || 'TCP'}`;
      const other = addresses.get(key);
      if (other !== undefined) rep('address', 'invariant.duplicate_address', `listener "${str(listener.name)}" has the same address ${key} as listener "${other}"`);
      else addresses.set(key, str(listener.name));
    }
  }
  // Identical filter_chain_match values make Envoy reject the listener ("multiple filter chains with the same matching rules").
  const seen = new Map<string, number>();
  chains.forEach((fc, i) => {
    const key = canonical(obj(fc).filter_chain_match ?? {});
    const first = seen.get(key);
    if (first !== undefined) rep(`filter_chains[${i}].filter_chain_match`, 'invariant.duplicate_filter_chain_match', `filter chains ${first} and ${i} have the same filter_chain_match; Envoy rejects the listener`);
    else seen.set(key, i);
  });
  // The last network filter must be terminal (connection manager or TCP proxy), and only the last.
  const chainPaths: [J, string][] = chains.map((fc, i) => [obj(fc), `filter_chains[${i}]`]);
  if (listener.default_filter_chain) chainPaths.push([obj(listener.default_filter_chain), 'default_filter_chain']);
  for (const [fc, path] of chainPaths) {
    const filters = arr(fc.filters).map(obj);
    if (filters.length === 0) {
      rep(`${path}.filters`, 'invariant.no_network_filters', 'filter chain has no network filters');
      continue;
    }
    filters.forEach((f, i) => {
      const tc = obj(f.typed_config);
      if (!f.typed_config && !f.config_discovery) rep(`${path}.filters[${i}]`, 'invariant.filter_typed_config', `network filter "${str(f.name)}" has no typed_config`);
      const type = typeNameOf(str(tc['@type']));
      if (TERMINAL_NETWORK_FILTERS.has(type) && i !== filters.length - 1) rep(`${path}.filters[${i}]`, 'invariant.terminal_filter_order', `terminal filter "${str(f.name)}" must be the last network filter of its chain`);
      if (NON_TERMINAL_NETWORK_FILTERS.has(type) && i === filters.length - 1) rep(`${path}.filters[${i}]`, 'invariant.terminal_filter_order', `the last network filter "${str(f.name)}" is not a terminal filter (e.g. a connection manager or TCP proxy)`);
    });
  }
}

export function checkHttpFilters(hcm: J, path: string, rep: Rep): void {
  const filters = arr(hcm.http_filters).map(obj);
  const routerAt: number[] = [];
  filters.forEach((f, i) => {
    const fp = `${path}.http_filters[${i}]`;
    if (!f.typed_config && !f.config_discovery) {
      rep(fp, 'invariant.filter_typed_config', `HTTP filter "${str(f.name)}" has no typed_config (Envoy ≥ 1.22 fails with "Didn't find a registered implementation for '${str(f.name)}' with type URL: ''")`);
    }
    // Without a typed_config, older Envoy found the router by its name.
    if (isType(obj(f.typed_config), ROUTER) || (!f.typed_config && str(f.name) === 'envoy.filters.http.router')) routerAt.push(i);
  });
  if (routerAt.length === 0) rep(`${path}.http_filters`, 'invariant.router_missing', 'connection manager has no router filter (envoy.extensions.filters.http.router.v3.Router); requests are never routed');
  else if (routerAt.length > 1 || routerAt[0] !== filters.length - 1) {
    rep(`${path}.http_filters[${routerAt[0]}]`, 'invariant.router_not_last', 'the router filter must be the last HTTP filter, and appear only once');
  }
}

export function checkTcpProxies(listener: J, clusterNames: Set<string>, rep: Rep): void {
  const chains: [J, string][] = arr(listener.filter_chains).map((fc, i) => [obj(fc), `filter_chains[${i}]`]);
  if (listener.default_filter_chain) chains.push([obj(listener.default_filter_chain), 'default_filter_chain']);
  for (const [fc, path] of chains) {
    arr(fc.filters).forEach((f, i) => {
      const tc = obj(obj(f).typed_config);
      if (!isType(tc, TCP_PROXY)) return;
      const p = `${path}.filters[${i}].typed_config`;
      if (typeof tc.cluster === 'string' && !clusterNames.has(tc.cluster)) rep(`${p}.cluster`, 'invariant.unknown_cluster', `TCP proxy: unknown cluster '${tc.cluster}'`);
      const wc = obj(tc.weighted_clusters);
      checkWeights(arr(wc.clusters).map(obj), `${p}.weighted_clusters`, clusterNames, 'TCP proxy', rep, undefined);
    });
  }
}

function checkWeights(list: J[], path: string, clusterNames: Set<string>, what: string, rep: Rep, totalWeight: unknown): void {
  if (list.length === 0) return;
  let sum = 0;
  list.forEach((c, i) => {
    const name = str(c.name);
    if (name && !clusterNames.has(name)) rep(`${path}.clusters[${i}].name`, 'invariant.unknown_cluster', `${what}: unknown weighted cluster '${name}'`);
    sum += uint(c.weight);
  });
  if (sum <= 0) rep(`${path}.clusters`, 'invariant.weight_sum', `Sum of weights in the weighted_cluster must be greater than 0 (it is ${sum})`);
  else if (sum > UINT32_MAX) rep(`${path}.clusters`, 'invariant.weight_sum', `Sum of weights in the weighted_cluster must be at most 4294967295 (it is ${sum})`);
  if (totalWeight !== undefined && uint(totalWeight) !== sum) {
    rep(`${path}.total_weight`, 'invariant.total_weight', `Sum of weights in the weighted_cluster should add up to ${uint(totalWeight)} (total_weight), but adds up to ${sum}`);
  }
}

/** Checks a RouteConfiguration (RDS or inline). `filters`: HTTP filter names of the connection managers using it (null = unknown). */
export function checkRouteConfiguration(rc: J, base: string, clusterNames: Set<string>, filters: Set<string> | null, rep: Rep): void {
  const at = (p: string) => (base ? `${base}.${p}` : p);
  const domains = new Map<string, number>();
  const perFilter = (holder: J, path: string) => {
    const tpfc = obj(holder.typed_per_filter_config);
    for (const key of Object.keys(tpfc).sort()) {
      if (filters && !filters.has(key)) {
        rep(`${path}.typed_per_filter_config[${JSON.stringify(key)}]`, 'invariant.per_filter_config', `typed_per_filter_config key "${key}" names no HTTP filter of the connection managers using this route configuration (filters: ${[...filters].sort().join(', ') || 'none'}); the configuration would never apply`);
      }
    }
  };
  arr(rc.virtual_hosts).forEach((vhRaw, v) => {
    const vh = obj(vhRaw);
    const vp = at(`virtual_hosts[${v}]`);
    arr(vh.domains).forEach((d, i) => {
      const domain = str(d).toLowerCase();
      const first = domains.get(domain);
      if (first !== undefined) rep(`${vp}.domains[${i}]`, 'invariant.duplicate_domain', `Only unique values for domains are permitted. Duplicate entry of domain ${str(d)} (also in virtual host ${first})`);
      else domains.set(domain, v);
    });
    perFilter(vh, vp);
    arr(vh.routes).forEach((rRaw, ri) => {
      const route = obj(rRaw);
      const rp = `${vp}.routes[${ri}]`;
      perFilter(route, rp);
      const action = route.route ? obj(route.route) : null;
      if (!action) return;
      if (typeof action.cluster === 'string' && !clusterNames.has(action.cluster)) rep(`${rp}.route.cluster`, 'invariant.unknown_cluster', `route: unknown cluster '${action.cluster}'`);
      if (action.weighted_clusters) {
        const wc = obj(action.weighted_clusters);
        const list = arr(wc.clusters).map(obj);
        checkWeights(list, `${rp}.route.weighted_clusters`, clusterNames, 'route', rep, wc.total_weight);
        list.forEach((c, i) => perFilter(c, `${rp}.route.weighted_clusters.clusters[${i}]`));
      }
    });
  });
}

/** Order-independent canonical text of a JSON value (object keys sorted). */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as J)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

