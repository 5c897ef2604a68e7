// ProxyResources invariants Envoy checks only in code, go-control-plane's
// Consistent(), and what @grpc/grpc-js-xds accepts: one test per invariant,
// each breaking a valid snapshot in exactly one place.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkInvariants, type ProxyResources, type Target } from '../src/envoy/validate/invariants.ts';
import { violationDiagnostic } from '../src/envoy/validate/diagnostics.ts';
import { catalogEntry } from '../src/core/catalog/index.ts';

const T = 'type.googleapis.com/';
const HCM = `${T}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`;
const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': `${T}envoy.extensions.filters.http.router.v3.Router` } };
const RBAC = { name: 'envoy.filters.http.rbac', typed_config: { '@type': `${T}envoy.extensions.filters.http.rbac.v3.RBAC` } };
const TCP = `${T}envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`;
const V1 = 'bookstore/bookstore-v1|14001';
const V2 = 'bookstore/bookstore-v2|14001';

type J = Record<string, any>;

const edsCluster = (name: string): J => ({ '@type': `${T}envoy.config.cluster.v3.Cluster`, name, type: 'EDS', connect_timeout: '1s', eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } }, lb_policy: 'ROUND_ROBIN' });
const cla = (name: string, address = '10.0.0.1', port = 14001): J => ({
  '@type': `${T}envoy.config.endpoint.v3.ClusterLoadAssignment`,
  cluster_name: name,
  endpoints: [{ locality: { zone: 'z' }, load_balancing_weight: 1, lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: port } } } }] }],
});

function envoySnapshot(): { listeners: J[]; routes: J[]; clusters: J[]; endpoints: J[] } {
  return {
    listeners: [
      {
        '@type': `${T}envoy.config.listener.v3.Listener`,
        name: 'outbound-listener',
        address: { socket_address: { address: '0.0.0.0', port_value: 15001 } },
        filter_chains: [{
          filter_chain_match: { destination_port: 14001 },
          filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: { '@type': HCM, stat_prefix: 'out', rds: { config_source: { ads: {}, resource_api_version: 'V3' }, route_config_name: 'rds-outbound.14001' }, http_filters: [RBAC, ROUTER] } }],
        }],
      },
      {
        '@type': `${T}envoy.config.listener.v3.Listener`,
        name: 'inbound-listener',
        address: { socket_address: { address: '0.0.0.0', port_value: 15003 } },
        filter_chains: [{ filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP, stat_prefix: 'in', cluster: V1 } }] }],
      },
    ],
    routes: [{
      '@type': `${T}envoy.config.route.v3.RouteConfiguration`,
      name: 'rds-outbound.14001',
      virtual_hosts: [
        {
          name: 'bookstore',
          domains: ['bookstore', 'bookstore:14001'],
          routes: [{ match: { prefix: '/' }, route: { weighted_clusters: { clusters: [{ name: V1, weight: 80 }, { name: V2, weight: 20 }] } }, typed_per_filter_config: { 'envoy.filters.http.rbac': { '@type': `${T}envoy.extensions.filters.http.rbac.v3.RBACPerRoute` } } }],
        },
        { name: 'other', domains: ['other'], routes: [{ match: { prefix: '/' }, route: { cluster: V2 } }] },
      ],
    }],
    clusters: [edsCluster(V1), edsCluster(V2)],
    endpoints: [cla(V1), cla(V2, '10.0.0.2')],
  };
}

function grpcSnapshot(): { listeners: J[]; routes: J[]; clusters: J[]; endpoints: J[] } {
  const s = envoySnapshot();
  return {
    listeners: [{
      '@type': `${T}envoy.config.listener.v3.Listener`,
      name: 'bookstore.bookstore.svc.cluster.local:14001',
      api_listener: { api_listener: { '@type': HCM, stat_prefix: 'grpc', rds: { config_source: { ads: {}, resource_api_version: 'V3' }, route_config_name: 'rds-outbound.14001' }, http_filters: [ROUTER] } },
    }],
    routes: [{
      '@type': `${T}envoy.config.route.v3.RouteConfiguration`,
      name: 'rds-outbound.14001',
      virtual_hosts: [{ name: 'bookstore', domains: ['bookstore.bookstore.svc.cluster.local:14001', '*.example'], routes: [{ match: { prefix: '' }, route: { weighted_clusters: { clusters: [{ name: V1, weight: 1 }, { name: V2, weight: 2 }] } } }] }],
    }],
    clusters: s.clusters,
    endpoints: s.endpoints,
  };
}

const found = (s: ProxyResources, target: Target = 'envoy') => checkInvariants(s, target).map((v) => `${v.rule} ${v.resource!.name} ${v.path}`);
const one = (s: ProxyResources, expected: string, target: Target = 'envoy') => assert.equal(found(s, target), [expected]);

test('the base snapshots are clean', () => {
  assert.equal(found(envoySnapshot()), []);
  assert.equal(found(grpcSnapshot(), 'grpc'), []);
});

test('duplicate names: clusters, listeners, route configurations, ClusterLoadAssignments', () => {
  let s = envoySnapshot();
  s.clusters.push(edsCluster(V1));
  one(s, `invariant.duplicate_name ${V1} name`);
  s = envoySnapshot();
  s.listeners.push({ ...s.listeners[1], address: { socket_address: { address: '0.0.0.0', port_value: 15004 } } });
  one(s, 'invariant.duplicate_name inbound-listener name');
  s = envoySnapshot();
  s.routes.push({ ...s.routes[0] });
  one(s, 'invariant.duplicate_name rds-outbound.14001 name');
  s = envoySnapshot();
  s.endpoints.push(cla(V2));
  one(s, `invariant.duplicate_name ${V2} cluster_name`);
  assert.match(checkInvariants(s, 'envoy')[0]!.message, /duplicate ClusterLoadAssignment cluster name .* \(resources 1 and 2\)/);
});

test('a route to a cluster that is not in the snapshot (route: unknown cluster)', () => {
  const s = envoySnapshot();
  s.routes[0].virtual_hosts[1].routes[0].route.cluster = 'bookstore/bookstore-v3|14001';
  one(s, 'invariant.unknown_cluster rds-outbound.14001 virtual_hosts[1].routes[0].route.cluster');
  assert.is(checkInvariants(s, 'envoy')[0]!.message, "route: unknown cluster 'bookstore/bookstore-v3|14001'");
});

test('a weighted cluster that is not in the snapshot (OSM dangling weighted cluster)', () => {
  const s = envoySnapshot();
  s.clusters = [edsCluster(V1)];
  s.endpoints = [cla(V1)];
  const vs = checkInvariants(s, 'envoy');
  assert.equal(vs.map((v) => `${v.rule} ${v.path}`), [
    'invariant.unknown_cluster virtual_hosts[0].routes[0].route.weighted_clusters.clusters[1].name',
    'invariant.unknown_cluster virtual_hosts[1].routes[0].route.cluster',
  ]);
  assert.is(vs[0]!.message, `route: unknown weighted cluster '${V2}'`);
});

test('weighted cluster sums: more than 0, at most 4294967295; total_weight must match', () => {
  let s = envoySnapshot();
  s.routes[0].virtual_hosts[0].routes[0].route.weighted_clusters.clusters = [{ name: V1, weight: 0 }, { name: V2 }];
  one(s, 'invariant.weight_sum rds-outbound.14001 virtual_hosts[0].routes[0].route.weighted_clusters.clusters');
  assert.is(checkInvariants(s, 'envoy')[0]!.message, 'Sum of weights in the weighted_cluster must be greater than 0 (it is 0)');
  s = envoySnapshot();
  s.routes[0].virtual_hosts[0].routes[0].route.weighted_clusters.clusters = [{ name: V1, weight: 4294967295 }, { name: V2, weight: 1 }];
  one(s, 'invariant.weight_sum rds-outbound.14001 virtual_hosts[0].routes[0].route.weighted_clusters.clusters');
  s = envoySnapshot();
  s.routes[0].virtual_hosts[0].routes[0].route.weighted_clusters.total_weight = 90;
  one(s, 'invariant.total_weight rds-outbound.14001 virtual_hosts[0].routes[0].route.weighted_clusters.total_weight');
  s.routes[0].virtual_hosts[0].routes[0].route.weighted_clusters.total_weight = 100;
  assert.equal(found(s), [], 'total_weight equal to the sum (80 + 20) is fine');
});

test('virtual-host domains are unique within a route configuration (case-insensitive)', () => {
  const s = envoySnapshot();
  s.routes[0].virtual_hosts[1].domains = ['other', 'Bookstore'];
  one(s, 'invariant.duplicate_domain rds-outbound.14001 virtual_hosts[1].domains[1]');
  assert.match(checkInvariants(s, 'envoy')[0]!.message, /^Only unique values for domains are permitted\. Duplicate entry of domain Bookstore/);
});

test('RDS consistency: a referenced route configuration must exist; an unreferenced one is an orphan', () => {
  let s = envoySnapshot();
  s.routes[0].name = 'rds-outbound.8080';
  assert.equal(found(s), [
    'invariant.missing_route_configuration outbound-listener filter_chains[0].filters[0].typed_config.rds.route_config_name',
    'invariant.orphan_route_configuration rds-outbound.8080 name',
  ]);
  s = envoySnapshot();
  s.routes.push({ ...s.routes[0], name: 'unused' });
  one(s, 'invariant.orphan_route_configuration unused name');
});

test('EDS consistency: every EDS cluster has its ClusterLoadAssignment (service_name first), none is orphaned', () => {
  let s = envoySnapshot();
  s.endpoints = [cla(V1)];
  one(s, `invariant.missing_endpoints ${V2} name`);
  s = envoySnapshot();
  s.endpoints.push(cla('leftover'));
  one(s, 'invariant.orphan_endpoints leftover cluster_name');
  s = envoySnapshot();
  s.clusters[1].eds_cluster_config.service_name = 'v2-endpoints';
  assert.equal(found(s), [`invariant.missing_endpoints ${V2} eds_cluster_config.service_name`, `invariant.orphan_endpoints ${V2} cluster_name`]);
  s.endpoints[1].cluster_name = 'v2-endpoints';
  assert.equal(found(s), []);
  // non-EDS clusters carry their endpoints inline
  s = envoySnapshot();
  s.clusters.push({ '@type': `${T}envoy.config.cluster.v3.Cluster`, name: 'local', type: 'STRICT_DNS', load_assignment: cla('local') });
  assert.equal(found(s), []);
});

test('a listener needs filter chains (or a default chain); each chain network filters ending in a terminal one', () => {
  let s = envoySnapshot();
  s.listeners[1].filter_chains = [];
  one(s, 'invariant.no_filter_chains inbound-listener filter_chains');
  s.listeners[1].default_filter_chain = { filters: [{ name: 'tcp', typed_config: { '@type': TCP, stat_prefix: 'x', cluster: V1 } }] };
  assert.equal(found(s), []);
  s = envoySnapshot();
  s.listeners[1].filter_chains[0].filters = [];
  one(s, 'invariant.no_network_filters inbound-listener filter_chains[0].filters');
  s = envoySnapshot();
  s.listeners[1].filter_chains[0].filters.push({ name: 'envoy.filters.network.rbac', typed_config: { '@type': `${T}envoy.extensions.filters.network.rbac.v3.RBAC`, stat_prefix: 'r' } });
  assert.equal(found(s), [
    'invariant.terminal_filter_order inbound-listener filter_chains[0].filters[0]',
    'invariant.terminal_filter_order inbound-listener filter_chains[0].filters[1]',
  ]);
  // filter types meshc does not know to be terminal or not are not judged
  s.listeners[1].filter_chains[0].filters = [{ name: 'x', typed_config: { '@type': `${T}envoy.extensions.filters.network.kafka_broker.v3.KafkaBroker`, stat_prefix: 'k' } }];
  assert.equal(found(s), []);
});

test('the router filter: present, last, once, with typed_config', () => {
  const hcm = (s: ReturnType<typeof envoySnapshot>) => s.listeners[0].filter_chains[0].filters[0].typed_config;
  let s = envoySnapshot();
  hcm(s).http_filters = [RBAC];
  one(s, 'invariant.router_missing outbound-listener filter_chains[0].filters[0].typed_config.http_filters');
  s = envoySnapshot();
  hcm(s).http_filters = [ROUTER, RBAC];
  one(s, 'invariant.router_not_last outbound-listener filter_chains[0].filters[0].typed_config.http_filters[0]');
  s = envoySnapshot();
  hcm(s).http_filters = [RBAC, { name: 'envoy.filters.http.router' }];
  one(s, 'invariant.filter_typed_config outbound-listener filter_chains[0].filters[0].typed_config.http_filters[1]');
  assert.match(checkInvariants(s, 'envoy')[0]!.message, /Didn't find a registered implementation for 'envoy.filters.http.router' with type URL: ''/);
});

test('typed_per_filter_config keys must name an HTTP filter of the connection managers that use the routes', () => {
  const s = envoySnapshot();
  s.routes[0].virtual_hosts[0].routes[0].typed_per_filter_config = { rbac: { '@type': `${T}envoy.extensions.filters.http.rbac.v3.RBACPerRoute` } };
  one(s, 'invariant.per_filter_config rds-outbound.14001 virtual_hosts[0].routes[0].typed_per_filter_config["rbac"]');
  assert.match(checkInvariants(s, 'envoy')[0]!.message, /names no HTTP filter .* \(filters: envoy\.filters\.http\.rbac, envoy\.filters\.http\.router\); the configuration would never apply/);
});

test('inline route configurations are checked like RDS ones', () => {
  const s = envoySnapshot();
  const hcm = s.listeners[0].filter_chains[0].filters[0].typed_config;
  delete hcm.rds;
  hcm.route_config = { ...s.routes[0], '@type': undefined };
  delete hcm.route_config['@type'];
  hcm.route_config.virtual_hosts[1].routes[0].route.cluster = 'nowhere';
  s.routes = [];
  one(s, 'invariant.unknown_cluster outbound-listener filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[1].routes[0].route.cluster');
  delete hcm.route_config;
  one(s, 'invariant.route_specifier outbound-listener filter_chains[0].filters[0].typed_config');
});

test('TCP proxy clusters must exist; weighted TCP clusters are summed too', () => {
  const s = envoySnapshot();
  s.listeners[1].filter_chains[0].filters[0].typed_config.cluster = 'gone';
  one(s, 'invariant.unknown_cluster inbound-listener filter_chains[0].filters[0].typed_config.cluster');
  delete s.listeners[1].filter_chains[0].filters[0].typed_config.cluster;
  s.listeners[1].filter_chains[0].filters[0].typed_config.weighted_clusters = { clusters: [{ name: V1, weight: 0 }] };
  one(s, 'invariant.weight_sum inbound-listener filter_chains[0].filters[0].typed_config.weighted_clusters.clusters');
});

test('each list holds its own resource type; Envoy listeners need an address', () => {
  let s = envoySnapshot();
  s.clusters.push({ ...s.routes[0], name: 'misplaced' });
  assert.ok(found(s).includes('invariant.wrong_type misplaced @type'));
  s = envoySnapshot();
  delete s.listeners[1].address;
  one(s, 'invariant.listener_address inbound-listener address');
  assert.is(checkInvariants(s, 'envoy')[0]!.message, "error adding listener named 'inbound-listener': address is necessary");
});

test('listeners: unique addresses, unique filter_chain_match, no api_listener for Envoy', () => {
  let s = envoySnapshot();
  s.listeners[1].address.socket_address.port_value = 15001;
  one(s, 'invariant.duplicate_address inbound-listener address');
  s = envoySnapshot();
  s.listeners[0].filter_chains.push({ ...s.listeners[0].filter_chains[0] });
  one(s, 'invariant.duplicate_filter_chain_match outbound-listener filter_chains[1].filter_chain_match');
  s = envoySnapshot();
  s.listeners[1].filter_chains[0].filter_chain_match = {};
  s.listeners[1].filter_chains.push({ filters: s.listeners[1].filter_chains[0].filters });
  one(s, 'invariant.duplicate_filter_chain_match inbound-listener filter_chains[1].filter_chain_match');
  const g = grpcSnapshot();
  assert.equal(found(g, 'envoy'), ['invariant.api_listener bookstore.bookstore.svc.cluster.local:14001 api_listener']);
});

// ---- target grpc (@grpc/grpc-js-xds) ----

test('grpc: client listeners need api_listener with an HttpConnectionManager; no listener filters', () => {
  let s = grpcSnapshot();
  s.listeners[0].api_listener = { api_listener: { '@type': TCP, stat_prefix: 'x', cluster: V1 } };
  assert.equal(found(s, 'grpc'), [
    'invariant.orphan_route_configuration rds-outbound.14001 name',
    'grpc.api_listener bookstore.bookstore.svc.cluster.local:14001 api_listener.api_listener',
  ]);
  s = grpcSnapshot();
  delete s.listeners[0].api_listener;
  assert.equal(found(s, 'grpc'), [
    'invariant.orphan_route_configuration rds-outbound.14001 name',
    'grpc.api_listener bookstore.bookstore.svc.cluster.local:14001 api_listener',
  ]);
  s = grpcSnapshot();
  s.listeners[0].listener_filters = [{ name: 'x' }];
  one(s, 'grpc.listener bookstore.bookstore.svc.cluster.local:14001 listener_filters', 'grpc');
});

test('grpc: server listeners (XdsServer) have one HCM filter per chain and non-forwarding routes', () => {
  const s = grpcSnapshot();
  const hcm = { '@type': HCM, stat_prefix: 's', route_config: { name: 'inline', virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{ match: { prefix: '' }, non_forwarding_action: {} }] }] }, http_filters: [ROUTER] };
  s.listeners.push({ '@type': `${T}envoy.config.listener.v3.Listener`, name: '[::1]:50051', address: { socket_address: { address: '::1', port_value: 50051 } }, filter_chains: [{ filters: [{ name: 'hcm', typed_config: hcm }] }] });
  assert.equal(found(s, 'grpc'), []);
  hcm.route_config.virtual_hosts[0]!.routes.push({ match: { prefix: '/x' }, route: { cluster: V1 } } as never);
  one(s, 'grpc.route_action [::1]:50051 filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[1]', 'grpc');
  s.listeners[1].filter_chains[0].filters.unshift({ name: 'rbac', typed_config: { '@type': `${T}envoy.extensions.filters.network.rbac.v3.RBAC`, stat_prefix: 'r' } });
  assert.ok(found(s, 'grpc').includes('grpc.server_filter_chain [::1]:50051 filter_chains[0].filters'));
});

test('grpc: RDS over ADS (or self) only; HTTP filters known or optional, unique, router last', () => {
  let s = grpcSnapshot();
  s.listeners[0].api_listener.api_listener.rds.config_source = { path_config_source: { path: '/x' } };
  one(s, 'grpc.rds_config_source bookstore.bookstore.svc.cluster.local:14001 api_listener.api_listener.rds.config_source', 'grpc');
  s = grpcSnapshot();
  s.listeners[0].api_listener.api_listener.http_filters = [{ name: 'lua', typed_config: { '@type': `${T}envoy.extensions.filters.http.lua.v3.Lua` } }, ROUTER];
  one(s, 'grpc.http_filter_type bookstore.bookstore.svc.cluster.local:14001 api_listener.api_listener.http_filters[0].typed_config', 'grpc');
  s.listeners[0].api_listener.api_listener.http_filters[0].is_optional = true;
  assert.equal(found(s, 'grpc'), []);
  s.listeners[0].api_listener.api_listener.http_filters = [RBAC, RBAC, ROUTER];
  one(s, 'grpc.http_filter_name bookstore.bookstore.svc.cluster.local:14001 api_listener.api_listener.http_filters[1].name', 'grpc');
  s.listeners[0].api_listener.api_listener.http_filters = [ROUTER, RBAC];
  assert.equal(found(s, 'grpc'), [
    'invariant.router_not_last bookstore.bookstore.svc.cluster.local:14001 api_listener.api_listener.http_filters[0]',
    'grpc.router_last bookstore.bookstore.svc.cluster.local:14001 api_listener.api_listener.http_filters[0]',
  ]);
});

test('grpc: per-route overrides must be types the client knows (RBACPerRoute, HTTPFault) or optional', () => {
  const s = grpcSnapshot();
  s.listeners[0].api_listener.api_listener.http_filters = [RBAC, ROUTER];
  const route = s.routes[0].virtual_hosts[0].routes[0];
  route.typed_per_filter_config = { 'envoy.filters.http.rbac': { '@type': `${T}envoy.extensions.filters.http.rbac.v3.RBACPerRoute` } };
  assert.equal(found(s, 'grpc'), []);
  route.typed_per_filter_config['envoy.filters.http.rbac'] = { '@type': `${T}envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit`, stat_prefix: 'x' };
  one(s, 'grpc.per_filter_config rds-outbound.14001 virtual_hosts[0].routes[0].typed_per_filter_config["envoy.filters.http.rbac"]', 'grpc');
  route.typed_per_filter_config['envoy.filters.http.rbac'] = { '@type': `${T}envoy.config.route.v3.FilterConfig`, is_optional: true, config: { '@type': `${T}envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit`, stat_prefix: 'x' } };
  assert.equal(found(s, 'grpc'), []);
});

test('grpc: domain wildcards only at the start or the end, at most one', () => {
  const s = grpcSnapshot();
  s.routes[0].virtual_hosts[0].domains = ['*', 'a.*', '*.b', 'c*d', '*e*'];
  assert.equal(found(s, 'grpc'), [
    'grpc.domain_wildcard rds-outbound.14001 virtual_hosts[0].domains[3]',
    'grpc.domain_wildcard rds-outbound.14001 virtual_hosts[0].domains[4]',
  ]);
});

test('grpc: path specifiers prefix/path/safe_regex; supported header matchers; route actions and cluster specifiers', () => {
  const route = (s: ReturnType<typeof grpcSnapshot>) => s.routes[0].virtual_hosts[0].routes[0];
  let s = grpcSnapshot();
  route(s).match = { path_separated_prefix: '/api' };
  one(s, 'grpc.path_specifier rds-outbound.14001 virtual_hosts[0].routes[0].match', 'grpc');
  s = grpcSnapshot();
  route(s).match = { prefix: '/', headers: [{ name: 'x', exact_match: 'a' }, { name: 'y', contains_match: 'b' }] };
  one(s, 'grpc.header_matcher rds-outbound.14001 virtual_hosts[0].routes[0].match.headers[1]', 'grpc');
  s = grpcSnapshot();
  delete route(s).route;
  route(s).redirect = { path_redirect: '/x' };
  one(s, 'grpc.route_action rds-outbound.14001 virtual_hosts[0].routes[0]', 'grpc');
  s = grpcSnapshot();
  route(s).route = { cluster_specifier_plugin: 'p' };
  one(s, 'grpc.cluster_specifier rds-outbound.14001 virtual_hosts[0].routes[0].route.cluster_specifier_plugin', 'grpc');
  s = grpcSnapshot();
  route(s).route = { cluster: V1, retry_policy: { num_retries: 0, retry_back_off: { base_interval: '0s' } } };
  assert.equal(found(s, 'grpc'), [
    'grpc.retry_policy rds-outbound.14001 virtual_hosts[0].routes[0].route.retry_policy.num_retries',
    'grpc.retry_policy rds-outbound.14001 virtual_hosts[0].routes[0].route.retry_policy.retry_back_off.base_interval',
  ]);
});

test('grpc: clusters EDS over ADS, LOGICAL_DNS with one endpoint, or aggregate; ROUND_ROBIN or RING_HASH', () => {
  let s = grpcSnapshot();
  s.clusters.push({ '@type': `${T}envoy.config.cluster.v3.Cluster`, name: 'static', type: 'STATIC', load_assignment: cla('static') });
  one(s, 'grpc.cluster_type static type', 'grpc');
  assert.match(checkInvariants(s, 'grpc')[0]!.message, /gRPC clients NACK cluster type STATIC \("Unsupported type"\)/);
  s = grpcSnapshot();
  s.clusters[0].eds_cluster_config.eds_config = { path_config_source: { path: '/eds' } };
  one(s, `grpc.eds_config ${V1} eds_cluster_config.eds_config`, 'grpc');
  s = grpcSnapshot();
  s.clusters[0].lb_policy = 'LEAST_REQUEST';
  one(s, `grpc.lb_policy ${V1} lb_policy`, 'grpc');
  s = grpcSnapshot();
  const dns = { '@type': `${T}envoy.config.cluster.v3.Cluster`, name: 'dns', type: 'LOGICAL_DNS', load_assignment: cla('dns', 'bookstore.example') };
  s.clusters.push(dns);
  assert.equal(found(s, 'grpc'), []);
  dns.load_assignment.endpoints[0].lb_endpoints.push(dns.load_assignment.endpoints[0].lb_endpoints[0]);
  one(s, 'grpc.logical_dns dns load_assignment', 'grpc');
  s = grpcSnapshot();
  s.clusters.push({ '@type': `${T}envoy.config.cluster.v3.Cluster`, name: 'agg', cluster_type: { name: 'envoy.clusters.aggregate', typed_config: { '@type': `${T}envoy.extensions.clusters.aggregate.v3.ClusterConfig`, clusters: [V1, V2] } } });
  assert.equal(found(s, 'grpc'), []);
  s.clusters[2].cluster_type.typed_config.clusters = [];
  one(s, 'grpc.cluster_type agg cluster_type.typed_config.clusters', 'grpc');
});

test('grpc: endpoints need locality, load_balancing_weight, IP literals, unique addresses, contiguous priorities', () => {
  let s = grpcSnapshot();
  delete s.endpoints[0].endpoints[0].locality;
  one(s, `grpc.locality ${V1} endpoints[0].locality`, 'grpc');
  s = grpcSnapshot();
  delete s.endpoints[0].endpoints[0].load_balancing_weight;
  one(s, `grpc.load_balancing_weight ${V1} endpoints[0].load_balancing_weight`, 'grpc');
  assert.match(checkInvariants(s, 'grpc')[0]!.message, /silently drop/);
  s = grpcSnapshot();
  s.endpoints[0] = cla(V1, 'bookstore-v1.bookstore');
  one(s, `grpc.ip_literal ${V1} endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address`, 'grpc');
  s = grpcSnapshot();
  s.endpoints[0].endpoints[0].lb_endpoints.push(s.endpoints[0].endpoints[0].lb_endpoints[0]);
  one(s, `grpc.duplicate_address ${V1} endpoints[0].lb_endpoints[1].endpoint.address.socket_address`, 'grpc');
  s = grpcSnapshot();
  s.endpoints[0].endpoints.push({ ...cla(V1, '10.0.0.9').endpoints[0], locality: { zone: 'y' }, priority: 2 });
  one(s, `grpc.priorities ${V1} endpoints`, 'grpc');
});

test('violations map to catalogue entries naming node, resource and field', () => {
  const s = envoySnapshot();
  s.routes[0].virtual_hosts[1].routes[0].route.cluster = 'nowhere';
  const d = violationDiagnostic(checkInvariants(s, 'envoy')[0]!, 'bookstore/deployment/bookbuyer');
  assert.is(d.code, 'MESH0802');
  assert.equal(d.args, { type: 'RouteConfiguration', resource: 'rds-outbound.14001', node: 'bookstore/deployment/bookbuyer', field: 'virtual_hosts[1].routes[0].route.cluster', reason: "route: unknown cluster 'nowhere'", rule: 'invariant.unknown_cluster' });
  assert.ok(catalogEntry('MESH0802').incomplete, 'internal errors exit with 2');
  const g = grpcSnapshot();
  g.clusters[0].lb_policy = 'MAGLEV';
  assert.is(violationDiagnostic(checkInvariants(g, 'grpc')[0]!, 'n').code, 'MESH0803');
  const pgv = violationDiagnostic({ path: 'name', rule: 'string.min_len', message: 'm', severity: 'error' }, 'n', { typeUrl: `${T}envoy.config.cluster.v3.Cluster`, name: '' });
  assert.equal([pgv.code, pgv.args.type], ['MESH0800', 'Cluster']);
  assert.is(violationDiagnostic({ path: 'x', rule: 'json.unknown_field', message: 'm', severity: 'error' }, 'n').code, 'MESH0801');
  assert.is(violationDiagnostic({ path: 'x', rule: 'any.required', message: 'm', severity: 'error' }, 'n').code, 'MESH0800');
  assert.is(violationDiagnostic({ path: 'x', rule: 'deprecated', message: 'm', severity: 'warning' }, 'n').code, 'MESH0804');
  for (const code of ['MESH0800', 'MESH0801', 'MESH0802', 'MESH0803', 'MESH0804', 'MESH0805']) assert.ok(catalogEntry(code).doc.length > 100, code);
});

test.run();
