// What @grpc/grpc-js-xds accepts (xds-protocol.md section 8: listener, route,
// cluster and endpoint resource types of grpc-js-xds 1.14, gRFC A28):
// resources that Envoy takes but a gRPC client NACKs.
import { isIP } from 'node:net';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL,
} from '../protos/type-urls.ts';
import { connectionManagers, isEds, UINT32_MAX, type Reporter } from './invariants.ts';
import { HCM, ROUTER, type J, arr, isType, obj, str, uint } from './json-util.ts';

const AGGREGATE = 'envoy.extensions.clusters.aggregate.v3.ClusterConfig';
const UPSTREAM_TLS = 'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';
/** HTTP filter types grpc-js-xds registers (fault injection on by default; RBAC only with GRPC_XDS_EXPERIMENTAL_RBAC=true). */
const GRPC_HTTP_FILTERS = new Set([ROUTER, 'envoy.extensions.filters.http.fault.v3.HTTPFault', 'envoy.extensions.filters.http.rbac.v3.RBAC']);
/** Per-route override types grpc-js-xds registers (fault injection; RBAC with GRPC_XDS_EXPERIMENTAL_RBAC=true). */
const GRPC_OVERRIDES = new Set(['envoy.extensions.filters.http.fault.v3.HTTPFault', 'envoy.extensions.filters.http.rbac.v3.RBACPerRoute']);
const FILTER_CONFIG = 'envoy.config.route.v3.FilterConfig';
const PATH_SPECIFIERS = ['prefix', 'path', 'safe_regex'];
const ALL_PATH_SPECIFIERS = ['prefix', 'path', 'safe_regex', 'connect_matcher', 'path_separated_prefix', 'path_match_policy'];
const HEADER_MATCHERS = ['exact_match', 'safe_regex_match', 'range_match', 'present_match', 'prefix_match', 'suffix_match', 'string_match'];
const ALL_HEADER_MATCHERS = [...HEADER_MATCHERS, 'contains_match'];

interface Resources {
  listeners: J[];
  routes: J[];
  clusters: J[];
  endpoints: J[];
}

export function checkGrpc(s: Resources, r: Reporter): void {
  for (const l of s.listeners) listener(l, (p, rule, m) => r.report(LISTENER_TYPE_URL, str(l.name), p, rule, m));
  for (const rc of s.routes) routeConfiguration(rc, '', (p, rule, m) => r.report(ROUTE_CONFIGURATION_TYPE_URL, str(rc.name), p, rule, m));
  for (const c of s.clusters) cluster(c, (p, rule, m) => r.report(CLUSTER_TYPE_URL, str(c.name), p, rule, m));
  for (const e of s.endpoints) endpoints(e, (p, rule, m) => r.report(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, str(e.cluster_name), p, rule, m));
}

type Rep = (path: string, rule: string, message: string) => void;

function listener(l: J, rep: Rep): void {
  if (arr(l.listener_filters).length) rep('listener_filters', 'grpc.listener', 'gRPC clients reject listeners with listener_filters');
  if (obj(l).use_original_dst === true) rep('use_original_dst', 'grpc.listener', 'gRPC clients reject use_original_dst: true');
  const api = obj(obj(l.api_listener).api_listener);
  if (l.api_listener) {
    if (!isType(api, HCM)) rep('api_listener.api_listener', 'grpc.api_listener', 'api_listener must hold an HttpConnectionManager');
  } else if (arr(l.filter_chains).length === 0 && !l.default_filter_chain) {
    rep('api_listener', 'grpc.api_listener', 'a listener for gRPC clients needs api_listener (with an HttpConnectionManager) or filter chains');
  } else {
    // Server side (XdsServer): each chain has exactly one filter, the connection manager.
    const chains: [J, string][] = arr(l.filter_chains).map((fc, i) => [obj(fc), `filter_chains[${i}]`]);
    if (l.default_filter_chain) chains.push([obj(l.default_filter_chain), 'default_filter_chain']);
    for (const [fc, p] of chains) {
      const filters = arr(fc.filters).map(obj);
      if (filters.length !== 1 || !isType(obj(filters[0]!.typed_config), HCM)) rep(`${p}.filters`, 'grpc.server_filter_chain', 'a gRPC server filter chain must have exactly one filter, the HttpConnectionManager');
    }
  }
  for (const { hcm, path, api: isApi } of connectionManagers(l)) {
    if (hcm.rds) {
      const cs = obj(obj(hcm.rds).config_source);
      if (!cs.ads && !cs.self) rep(`${path}.rds.config_source`, 'grpc.rds_config_source', 'gRPC clients need rds.config_source to be ads (or self)');
    } else if (hcm.route_config) {
      routeConfiguration(obj(hcm.route_config), `${path}.route_config`, rep, !isApi);
    } else {
      rep(path, 'grpc.route_specifier', 'gRPC clients need rds or an inline route_config (scoped routes are not supported)');
    }
    const names = new Set<string>();
    const filters = arr(hcm.http_filters).map(obj);
    filters.forEach((f, i) => {
      const fp = `${path}.http_filters[${i}]`;
      const name = str(f.name);
      if (names.has(name)) rep(`${fp}.name`, 'grpc.http_filter_name', `duplicate HTTP filter name "${name}"`);
      names.add(name);
      const tc = obj(f.typed_config);
      const type = typeof tc['@type'] === 'string' ? String(tc['@type']).slice(String(tc['@type']).lastIndexOf('/') + 1) : '';
      if (!GRPC_HTTP_FILTERS.has(type) && f.is_optional !== true) rep(`${fp}.typed_config`, 'grpc.http_filter_type', `gRPC clients do not support HTTP filter type "${type || '(none)'}" (mark it is_optional or remove it)`);
      if (type === ROUTER && i !== filters.length - 1) rep(fp, 'grpc.router_last', 'the router filter must be the last HTTP filter and appear only once');
    });
  }
}

/** typed_per_filter_config values must be override types the client knows, or optional FilterConfig wrappers. */
function overrides(holder: J, path: string, rep: Rep): void {
  const tpfc = obj(holder.typed_per_filter_config);
  for (const key of Object.keys(tpfc).sort()) {
    const any = obj(tpfc[key]);
    const url = str(any['@type']);
    let type = url.slice(url.lastIndexOf('/') + 1);
    let optional = false;
    if (type === FILTER_CONFIG) {
      optional = any.is_optional === true;
      const inner = str(obj(any.config)['@type']);
      type = inner.slice(inner.lastIndexOf('/') + 1);
    }
    if (!GRPC_OVERRIDES.has(type) && !optional) {
      rep(`${path}.typed_per_filter_config[${JSON.stringify(key)}]`, 'grpc.per_filter_config', `gRPC clients do not support the per-route override type "${type || '(none)'}" (wrap it in an optional envoy.config.route.v3.FilterConfig or remove it)`);
    }
  }
}

function routeConfiguration(rc: J, base: string, rep: Rep, server = false): void {
  const at = (p: string) => (base ? `${base}.${p}` : p);
  arr(rc.virtual_hosts).forEach((vhRaw, v) => {
    const vh = obj(vhRaw);
    const vp = at(`virtual_hosts[${v}]`);
    overrides(vh, vp, rep);
    arr(vh.domains).forEach((d, i) => {
      const domain = str(d);
      const stars = domain.split('*').length - 1;
      if (stars > 1 || (stars === 1 && !domain.startsWith('*') && !domain.endsWith('*'))) {
        rep(`${vp}.domains[${i}]`, 'grpc.domain_wildcard', `domain "${domain}": gRPC clients allow at most one "*", at the start or the end`);
      }
    });
    arr(vh.routes).forEach((rRaw, ri) => {
      const route = obj(rRaw);
      const rp = `${vp}.routes[${ri}]`;
      overrides(route, rp, rep);
      const match = obj(route.match);
      const spec = ALL_PATH_SPECIFIERS.find((k) => k in match);
      if (!spec || !PATH_SPECIFIERS.includes(spec)) rep(`${rp}.match`, 'grpc.path_specifier', `gRPC clients need the path specifier prefix, path or safe_regex${spec ? ` (not ${spec})` : ''}`);
      arr(match.headers).forEach((hRaw, hi) => {
        const h = obj(hRaw);
        const kind = ALL_HEADER_MATCHERS.find((k) => k in h);
        if (kind && !HEADER_MATCHERS.includes(kind)) rep(`${rp}.match.headers[${hi}]`, 'grpc.header_matcher', `gRPC clients do not support the header matcher ${kind}`);
      });
      if (server) {
        if (!route.non_forwarding_action) rep(rp, 'grpc.route_action', 'routes of a gRPC server listener must use non_forwarding_action');
        return;
      }
      if (route.non_forwarding_action) return;
      if (!route.route) {
        const kind = ['redirect', 'direct_response', 'filter_action'].find((k) => k in route) ?? 'none';
        rep(rp, 'grpc.route_action', `gRPC clients need a route action (route or non_forwarding_action), not ${kind}`);
        return;
      }
      const action = obj(route.route);
      const spec2 = ['cluster', 'weighted_clusters', 'cluster_header', 'cluster_specifier_plugin', 'inline_cluster_specifier_plugin'].find((k) => k in action);
      if (spec2 && !['cluster', 'weighted_clusters', 'cluster_header'].includes(spec2)) rep(`${rp}.route.${spec2}`, 'grpc.cluster_specifier', `gRPC clients do not support the cluster specifier ${spec2}`);
      if (action.weighted_clusters) {
        arr(obj(action.weighted_clusters).clusters).forEach((c, ci) => overrides(obj(c), `${rp}.route.weighted_clusters.clusters[${ci}]`, rep));
        const sum = arr(obj(action.weighted_clusters).clusters).reduce<number>((s, c) => s + uint(obj(c).weight), 0);
        if (sum <= 0 || sum > UINT32_MAX) rep(`${rp}.route.weighted_clusters`, 'grpc.weight_sum', `gRPC clients need the weights to sum to more than 0 and at most 4294967295 (sum ${sum})`);
      }
      const retry = action.retry_policy ? obj(action.retry_policy) : null;
      if (retry) {
        if (retry.num_retries !== undefined && uint(retry.num_retries) < 1) rep(`${rp}.route.retry_policy.num_retries`, 'grpc.retry_policy', 'gRPC clients need num_retries ≥ 1');
        const backOff = retry.retry_back_off ? obj(retry.retry_back_off) : null;
        if (backOff) {
          const base = seconds(backOff.base_interval);
          if (backOff.base_interval === undefined || base <= 0) rep(`${rp}.route.retry_policy.retry_back_off.base_interval`, 'grpc.retry_policy', 'gRPC clients need retry_back_off.base_interval > 0');
          if (backOff.max_interval !== undefined && seconds(backOff.max_interval) < base) rep(`${rp}.route.retry_policy.retry_back_off.max_interval`, 'grpc.retry_policy', 'retry_back_off.max_interval must be at least base_interval');
        }
      }
    });
  });
}

function seconds(d: unknown): number {
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(str(d));
  return m ? Number(m[1]) : 0;
}

function cluster(c: J, rep: Rep): void {
  const type = c.type ?? 'STATIC';
  const clusterType = obj(c.cluster_type);
  if (c.cluster_type) {
    const tc = obj(clusterType.typed_config);
    if (!isType(tc, AGGREGATE)) rep('cluster_type', 'grpc.cluster_type', 'gRPC clients support only the aggregate custom cluster type');
    else if (arr(tc.clusters).length === 0) rep('cluster_type.typed_config.clusters', 'grpc.cluster_type', 'an aggregate cluster needs at least one cluster');
  } else if (isEds(c)) {
    const eds = obj(obj(c.eds_cluster_config).eds_config);
    if (!eds.ads && !eds.self) rep('eds_cluster_config.eds_config', 'grpc.eds_config', 'gRPC clients need eds_cluster_config.eds_config to be ads (or self)');
    if (str(c.name).startsWith('xdstp:') && !str(obj(c.eds_cluster_config).service_name)) rep('eds_cluster_config.service_name', 'grpc.eds_config', 'an xdstp: cluster needs eds_cluster_config.service_name');
  } else if (type === 'LOGICAL_DNS' || type === 2) {
    const eps = arr(obj(c.load_assignment).endpoints).map(obj);
    const lbs = eps.flatMap((e) => arr(e.lb_endpoints).map(obj));
    const sa = obj(obj(obj(lbs[0]?.endpoint).address).socket_address);
    if (eps.length !== 1 || lbs.length !== 1 || !str(sa.address) || sa.port_value === undefined) {
      rep('load_assignment', 'grpc.logical_dns', 'a LOGICAL_DNS cluster for gRPC needs exactly one locality with one endpoint with an address and port_value');
    }
  } else {
    rep('type', 'grpc.cluster_type', `gRPC clients NACK cluster type ${String(type)} ("Unsupported type"); use EDS, LOGICAL_DNS or an aggregate cluster`);
  }
  if (!c.load_balancing_policy) {
    const lb = c.lb_policy ?? 'ROUND_ROBIN';
    if (lb !== 'ROUND_ROBIN' && lb !== 0 && lb !== 'RING_HASH' && lb !== 2) rep('lb_policy', 'grpc.lb_policy', `gRPC clients support lb_policy ROUND_ROBIN or RING_HASH, not ${String(lb)}`);
    if ((lb === 'RING_HASH' || lb === 2) && c.ring_hash_lb_config) {
      const hf = obj(c.ring_hash_lb_config).hash_function ?? 'XX_HASH';
      if (hf !== 'XX_HASH' && hf !== 0) rep('ring_hash_lb_config.hash_function', 'grpc.lb_policy', 'gRPC clients need hash_function XX_HASH');
    }
  }
  if (c.lrs_server && !obj(c.lrs_server).self) rep('lrs_server', 'grpc.lrs_server', 'gRPC clients need lrs_server to be {self: {}}');
  if (c.transport_socket) {
    const tc = obj(obj(c.transport_socket).typed_config);
    if (!isType(tc, UPSTREAM_TLS)) rep('transport_socket', 'grpc.transport_socket', 'gRPC clients support only an UpstreamTlsContext transport socket');
    else {
      const common = obj(tc.common_tls_context);
      if (arr(common.tls_certificate_sds_secret_configs).length || common.validation_context_sds_secret_config) rep('transport_socket.typed_config.common_tls_context', 'grpc.transport_socket', 'gRPC clients do not support SDS; use certificate provider instances');
      const vc = obj(common.validation_context ?? obj(common.combined_validation_context).default_validation_context);
      if (!vc.ca_certificate_provider_instance) rep('transport_socket.typed_config.common_tls_context', 'grpc.transport_socket', 'gRPC clients need validation_context.ca_certificate_provider_instance');
    }
  }
}

function endpoints(e: J, rep: Rep): void {
  const seenLocality = new Set<string>();
  const seenAddress = new Set<string>();
  const weightByPriority = new Map<number, number>();
  arr(e.endpoints).forEach((lRaw, li) => {
    const l = obj(lRaw);
    const lp = `endpoints[${li}]`;
    if (!l.locality) rep(`${lp}.locality`, 'grpc.locality', 'gRPC clients NACK a locality without locality set');
    if (!l.load_balancing_weight || uint(l.load_balancing_weight) === 0) rep(`${lp}.load_balancing_weight`, 'grpc.load_balancing_weight', 'gRPC clients silently drop a locality without load_balancing_weight');
    const priority = uint(l.priority);
    const key = `${JSON.stringify(l.locality ?? {})}/${priority}`;
    if (seenLocality.has(key)) rep(`${lp}.locality`, 'grpc.locality', 'duplicate (locality, priority)');
    seenLocality.add(key);
    weightByPriority.set(priority, (weightByPriority.get(priority) ?? 0) + uint(l.load_balancing_weight));
    arr(l.lb_endpoints).forEach((epRaw, ei) => {
      const sa = obj(obj(obj(obj(epRaw).endpoint).address).socket_address);
      const ap = `${lp}.lb_endpoints[${ei}].endpoint.address.socket_address`;
      if (isIP(str(sa.address)) === 0) rep(`${ap}.address`, 'grpc.ip_literal', `gRPC clients need IP-literal endpoint addresses, not "${str(sa.address)}"`);
      if (sa.port_value === undefined) rep(`${ap}.port_value`, 'grpc.ip_literal', 'gRPC clients need port_value');
      const addr = `${str(sa.address)}:${uint(sa.port_value)}`;
      if (seenAddress.has(addr)) rep(`${ap}`, 'grpc.duplicate_address', `duplicate endpoint address ${addr}`);
      seenAddress.add(addr);
    });
  });
  const priorities = [...weightByPriority.keys()].sort((a, b) => a - b);
  const gap = priorities.findIndex((p, i) => p !== i);
  if (gap >= 0) rep('endpoints', 'grpc.priorities', `priorities must be contiguous from 0 (priority ${gap} is missing)`);
  priorities.forEach((p) => {
    if ((weightByPriority.get(p) ?? 0) > UINT32_MAX) rep('endpoints', 'grpc.weight_sum', `total locality weight of priority ${p} exceeds 4294967295`);
  });
}
