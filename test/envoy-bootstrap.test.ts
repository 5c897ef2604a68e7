// Bootstrap checks Envoy makes at start-up, run by validateMessage on a Bootstrap.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadValidator } from '../src/envoy/validate/index.ts';

const v = await loadValidator();
const T = 'type.googleapis.com/';
const HCM = `${T}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`;
const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': `${T}envoy.extensions.filters.http.router.v3.Router` } };

const ads = (): Record<string, any> => ({
  node: { id: 'bookstore/deployment/bookbuyer', cluster: 'bookbuyer.bookstore' },
  static_resources: {
    clusters: [{
      name: 'meshc-xds', type: 'STATIC', connect_timeout: '1s',
      load_assignment: { cluster_name: 'meshc-xds', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 18000 } } } }] }] },
      typed_extension_protocol_options: { 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': `${T}envoy.extensions.upstreams.http.v3.HttpProtocolOptions`, explicit_http_config: { http2_protocol_options: {} } } },
    }],
  },
  dynamic_resources: {
    lds_config: { ads: {}, resource_api_version: 'V3' },
    cds_config: { ads: {}, resource_api_version: 'V3' },
    ads_config: { api_type: 'GRPC', transport_api_version: 'V3', grpc_services: [{ envoy_grpc: { cluster_name: 'meshc-xds' } }], set_node_on_first_message_only: true },
  },
  admin: { address: { socket_address: { address: '127.0.0.1', port_value: 15000 } } },
});

const staticBootstrap = (): Record<string, any> => ({
  node: { id: 'n', cluster: 'c' },
  static_resources: {
    listeners: [{
      name: 'l', address: { socket_address: { address: '0.0.0.0', port_value: 10000 } },
      filter_chains: [{ filters: [{ name: 'hcm', typed_config: { '@type': HCM, stat_prefix: 's', http_filters: [ROUTER], route_config: { name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'a' } }] }] } } }] }],
    }],
    clusters: [{ name: 'a', type: 'STATIC', connect_timeout: '1s', load_assignment: { cluster_name: 'a', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 8080 } } } }] }] } }],
  },
});

const errs = (b: unknown) => v.validateMessage('envoy.config.bootstrap.v3.Bootstrap', b).filter((x) => x.severity === 'error').map((x) => `${x.rule} ${x.path}`);

test('an ADS bootstrap as meshc writes it, and a fully static one, are clean', () => {
  assert.equal(errs(ads()), []);
  assert.equal(errs(staticBootstrap()), []);
});

test("xDS needs node id and cluster (Envoy: ads: node 'id' and 'cluster' are required)", () => {
  const b = ads();
  delete b.node.cluster;
  assert.equal(errs(b), ['invariant.bootstrap_node node.cluster']);
  const s = staticBootstrap();
  delete s.node;
  assert.equal(errs(s), [], 'a fully static bootstrap needs no node');
});

test('the ADS cluster must be a static, non-EDS cluster; LDS/CDS over ADS need ads_config', () => {
  let b = ads();
  b.dynamic_resources.ads_config.grpc_services[0].envoy_grpc.cluster_name = 'xds';
  assert.equal(errs(b), ['invariant.xds_cluster dynamic_resources.ads_config.grpc_services[0].envoy_grpc.cluster_name']);
  assert.match(v.validateMessage('envoy.config.bootstrap.v3.Bootstrap', b).at(-1)!.message, /must have a statically defined non-EDS cluster: 'xds' does not exist/);
  b = ads();
  b.static_resources.clusters[0].type = 'EDS';
  b.static_resources.clusters[0].eds_cluster_config = { eds_config: { ads: {} } };
  assert.ok(errs(b).includes('invariant.xds_cluster dynamic_resources.ads_config.grpc_services[0].envoy_grpc.cluster_name'));
  b = ads();
  delete b.dynamic_resources.ads_config;
  assert.equal(errs(b), ['invariant.ads_config dynamic_resources.lds_config.ads', 'invariant.ads_config dynamic_resources.cds_config.ads']);
  b = ads();
  delete b.dynamic_resources.ads_config.api_type;
  assert.equal(errs(b), ['envoy.api_type dynamic_resources.ads_config.api_type']);
});

test('static route configurations validate their clusters against the static clusters (unless validate_clusters: false)', () => {
  const s = staticBootstrap();
  const rc = s.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config;
  rc.virtual_hosts[0].routes[0].route.cluster = 'b';
  assert.equal(errs(s), ['invariant.unknown_cluster static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].route.cluster']);
  rc.validate_clusters = false;
  assert.equal(errs(s), []);
});

test('static listeners and clusters: unique names, filter chains, router', () => {
  const s = staticBootstrap();
  s.static_resources.clusters.push({ ...s.static_resources.clusters[0] });
  s.static_resources.listeners.push({ ...s.static_resources.listeners[0], address: { socket_address: { address: '0.0.0.0', port_value: 10001 } }, filter_chains: [] });
  s.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters = [];
  assert.equal(errs(s), [
    'invariant.duplicate_name static_resources.clusters[1].name',
    'invariant.router_missing static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters',
    'invariant.duplicate_name static_resources.listeners[1].name',
    'invariant.no_filter_chains static_resources.listeners[1].filter_chains',
  ]);
});

test.run();
