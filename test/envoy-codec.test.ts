// The Envoy API codec: proto3 JSON ⇄ protobuf bytes, strictness, canonical form.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decodeDelimited, encodeDelimited, EnvoyJsonError, loadEnvoyApi, resourceName,
  CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL,
} from '../src/envoy/protos/index.ts';
import { formatFieldMask, parseFieldMask, parseTimestamp } from '../src/envoy/protos/wkt.ts';

const api = await loadEnvoyApi();

const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ROUTER = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';

function listener(overrides: Record<string, unknown> = {}) {
  return {
    '@type': LISTENER_TYPE_URL,
    name: 'outbound-listener',
    address: { socket_address: { address: '0.0.0.0', port_value: 15001 } },
    filter_chains: [{
      filters: [{
        name: 'envoy.filters.network.http_connection_manager',
        typed_config: {
          '@type': HCM,
          stat_prefix: 'outbound',
          rds: { config_source: { ads: {}, resource_api_version: 'V3' }, route_config_name: 'rds-outbound.80' },
          http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER } }],
        },
      }],
    }],
    ...overrides,
  };
}

function expectError(fn: () => unknown, path: string, rule: string, includes: string): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, EnvoyJsonError);
    const err = e as EnvoyJsonError;
    assert.is(err.path, path);
    assert.is(err.rule, rule);
    assert.ok(err.detail.includes(includes), `"${err.detail}" should include "${includes}"`);
    return;
  }
  assert.unreachable('expected an EnvoyJsonError');
}

test('a canonical listener round-trips through Any bytes exactly (JSON and bytes)', () => {
  const json = listener();
  const bytes = api.encodeAny(json);
  const back = api.decodeAny(bytes);
  assert.equal(back, json);
  assert.equal(JSON.stringify(back), JSON.stringify(json));
  assert.equal(Buffer.from(api.encodeAny(back)), Buffer.from(bytes));
});

test('encodeAny is a google.protobuf.Any whose value is the encoded message', () => {
  const json = listener();
  const any = api.toAny(json);
  assert.is(any.type_url, LISTENER_TYPE_URL);
  const { '@type': _, ...body } = json;
  assert.equal(Buffer.from(any.value), Buffer.from(api.encode(LISTENER_TYPE_URL, body)));
  const decoded = api.type('google.protobuf.Any').decode(api.encodeAny(json)) as unknown as { type_url: string; value: Uint8Array };
  assert.is(decoded.type_url, LISTENER_TYPE_URL);
  assert.equal(Buffer.from(decoded.value), Buffer.from(any.value));
});

test('proto3 JSON output: key order by field number, "@type" first, defaults dropped, map keys sorted', () => {
  const messy = {
    filter_chains: listener().filter_chains,
    address: { socket_address: { port_value: 15001, address: '0.0.0.0', protocol: 'TCP' } },
    '@type': LISTENER_TYPE_URL,
    name: 'outbound-listener',
    metadata: { filter_metadata: { zeta: { b: 1, a: [true, null, 'x', { y: 2 }] }, alpha: {} } },
  };
  const canon = api.canonicalJson(messy);
  assert.equal(Object.keys(canon), ['@type', 'name', 'address', 'filter_chains', 'metadata']);
  assert.equal(canon.address, { socket_address: { address: '0.0.0.0', port_value: 15001 } }, 'protocol TCP is the enum default');
  assert.equal(Object.keys((canon.metadata as Record<string, Record<string, unknown>>).filter_metadata!), ['alpha', 'zeta']);
  assert.equal((canon.metadata as any).filter_metadata.zeta, { a: [true, null, 'x', { y: 2 }], b: 1 });
  // same input, same text; and a re-ordered input gives the same text too
  assert.is(JSON.stringify(api.canonicalJson(messy)), JSON.stringify(canon));
  assert.is(JSON.stringify(api.canonicalJson({ ...listener(), metadata: messy.metadata })), JSON.stringify(canon));
});

test('Durations, wrappers, 64-bit integers and enums use their proto3 JSON forms', () => {
  const cluster = {
    '@type': CLUSTER_TYPE_URL,
    name: 'bookstore/bookstore-v1|14001',
    type: 'EDS',
    connect_timeout: '0.25s',
    per_connection_buffer_limit_bytes: 32768,
    eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3', initial_fetch_timeout: '1.5s' } },
    lb_policy: 'RING_HASH',
    ring_hash_lb_config: { minimum_ring_size: 1024, maximum_ring_size: '8388608' },
    dns_refresh_rate: '5s',
  };
  const canon = api.canonicalJson(cluster);
  assert.is(canon.connect_timeout, '0.250s');
  assert.is(canon.per_connection_buffer_limit_bytes, 32768, 'UInt32Value is a bare number');
  assert.equal(canon.ring_hash_lb_config, { minimum_ring_size: '1024', maximum_ring_size: '8388608' }, 'UInt64Value as a string');
  assert.is(canon.lb_policy, 'RING_HASH');
  assert.is((canon as any).eds_cluster_config.eds_config.initial_fetch_timeout, '1.500s');
  assert.is(canon.dns_refresh_rate, '5s');
  // canonical output is a fixed point
  assert.equal(api.canonicalJson(canon), canon);
});

test('durations: fractions, zero, limits and bad forms', () => {
  const rc = (timeout: unknown) => ({ '@type': ROUTE_CONFIGURATION_TYPE_URL, name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'c', timeout } }] }] });
  const timeoutOf = (j: any) => j.virtual_hosts[0].routes[0].route.timeout;
  assert.is(timeoutOf(api.canonicalJson(rc('0s'))), '0s', 'an explicitly set zero duration is kept (message presence)');
  assert.is(timeoutOf(api.canonicalJson(rc('1.000000001s'))), '1.000000001s');
  assert.is(timeoutOf(api.canonicalJson(rc('1.00002s'))), '1.000020s');
  assert.is(timeoutOf(api.canonicalJson(rc('-2.5s'))), '-2.500s');
  expectError(() => api.encodeAny(rc('5')), 'virtual_hosts[0].routes[0].route.timeout', 'json.duration', 'suffix "s"');
  expectError(() => api.encodeAny(rc('1.5ms')), 'virtual_hosts[0].routes[0].route.timeout', 'json.duration', 'invalid Duration');
  expectError(() => api.encodeAny(rc(5)), 'virtual_hosts[0].routes[0].route.timeout', 'json.type', 'expected a Duration string');
  expectError(() => api.encodeAny(rc('315576000001s')), 'virtual_hosts[0].routes[0].route.timeout', 'json.duration', 'out of range');
});

test('oneof members keep their default value (prefix: "" is a match-all route)', () => {
  const rc = { '@type': ROUTE_CONFIGURATION_TYPE_URL, name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{ match: { prefix: '' }, route: { cluster: 'c' } }] }] };
  assert.equal(api.canonicalJson(rc), rc);
});

test('unknown fields are errors, at any depth and inside Any', () => {
  expectError(() => api.encodeAny({ ...listener(), nmae: 'x' }), 'nmae', 'json.unknown_field', 'unknown field "nmae" in envoy.config.listener.v3.Listener');
  const l = listener();
  (l.filter_chains[0]!.filters[0]!.typed_config as Record<string, unknown>).route_config_name = 'x';
  expectError(() => api.encodeAny(l), 'filter_chains[0].filters[0].typed_config.route_config_name', 'json.unknown_field', 'HttpConnectionManager');
  expectError(() => api.encodeAny({ ...listener(), address: { socket_address: { address: 'a', port: 1 } } }), 'address.socket_address.port', 'json.unknown_field', 'envoy.config.core.v3.SocketAddress');
});

test('an Any with an unknown or missing "@type" is an error, not an empty Any', () => {
  const l = listener();
  l.filter_chains[0]!.filters[0]!.typed_config = { '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManagr' } as never;
  expectError(() => api.encodeAny(l), 'filter_chains[0].filters[0].typed_config', 'any.unknown_type', 'HttpConnectionManagr');
  l.filter_chains[0]!.filters[0]!.typed_config = { stat_prefix: 'x' } as never;
  expectError(() => api.encodeAny(l), 'filter_chains[0].filters[0].typed_config', 'any.missing_type', 'without "@type"');
  expectError(() => api.encodeAny({ name: 'x' }), '', 'any.missing_type', 'without "@type"');
  expectError(() => api.encodeAny({ '@type': 'envoy.config.listener.v3.Listener' }), '', 'any.unknown_type', 'unknown type');
  expectError(() => api.encodeAny({ '@type': 'type.googleapis.com/v3.Listener' }), '', 'any.unknown_type', 'unknown type', );
});

test('wrong JSON types, out-of-range numbers, unknown enum names and oneof conflicts are errors', () => {
  expectError(() => api.encodeAny({ ...listener(), name: 5 }), 'name', 'json.type', 'expected a string, got a number 5');
  expectError(() => api.encodeAny({ ...listener(), address: { socket_address: { address: 'a', port_value: 4294967296 } } }), 'address.socket_address.port_value', 'json.range', 'out of range for uint32');
  expectError(() => api.encodeAny({ ...listener(), address: { socket_address: { address: 'a', port_value: 1.5 } } }), 'address.socket_address.port_value', 'json.type', 'integer');
  expectError(() => api.encodeAny({ ...listener(), traffic_direction: 'SIDEWAYS' }), 'traffic_direction', 'json.enum', 'unknown value "SIDEWAYS"');
  expectError(() => api.encodeAny({ ...listener(), address: { socket_address: { address: 'a', port_value: 1, named_port: 'http' } } }), 'address.socket_address.named_port', 'json.oneof', 'oneof "port_specifier"');
  expectError(() => api.encodeAny({ ...listener(), filter_chains: {} }), 'filter_chains', 'json.type', 'expected an array');
  expectError(() => api.encodeAny({ ...listener(), filter_chains: [null] }), 'filter_chains[0]', 'json.type', 'null is not allowed');
  expectError(() => api.encodeAny({ ...listener(), name: 'a', 'name ': 'b' }), 'name ', 'json.unknown_field', 'unknown field');
});

test('uint64 values beyond 2^53 are exact; int64 range is enforced', () => {
  const cluster = { '@type': CLUSTER_TYPE_URL, name: 'c', ring_hash_lb_config: { maximum_ring_size: '18446744073709551615' } };
  assert.is((api.canonicalJson(cluster) as any).ring_hash_lb_config.maximum_ring_size, '18446744073709551615');
  expectError(() => api.encodeAny({ ...cluster, ring_hash_lb_config: { maximum_ring_size: '18446744073709551616' } }), 'ring_hash_lb_config.maximum_ring_size', 'json.range', 'out of range for uint64');
  expectError(() => api.encodeAny({ ...cluster, ring_hash_lb_config: { maximum_ring_size: '-1' } }), 'ring_hash_lb_config.maximum_ring_size', 'json.range', 'out of range');
});

test('lowerCamelCase JSON names are accepted on input; output always uses proto names', () => {
  const camel = { '@type': LISTENER_TYPE_URL, name: 'l', address: { socketAddress: { address: '0.0.0.0', portValue: 80 } } };
  assert.equal(api.canonicalJson(camel), { '@type': LISTENER_TYPE_URL, name: 'l', address: { socket_address: { address: '0.0.0.0', port_value: 80 } } });
  expectError(() => api.encodeAny({ ...camel, address: { socket_address: { address: 'a' }, socketAddress: { address: 'b' } } }), 'address.socket_address', 'json.duplicate', 'given twice');
});

test('null means "not set" for fields, but a JSON null in a Struct is a null value', () => {
  const withNull = { ...listener(), per_connection_buffer_limit_bytes: null, metadata: { filter_metadata: { a: { x: null } } } };
  const canon = api.canonicalJson(withNull);
  assert.not.ok('per_connection_buffer_limit_bytes' in canon);
  assert.equal((canon as any).metadata.filter_metadata.a, { x: null });
});

test('bytes are base64; Timestamps RFC 3339 (offsets normalised to Z); FieldMask lowerCamel', () => {
  const secret = { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret', name: 's', tls_certificate: { certificate_chain: { inline_bytes: 'LS0tLS1CRUdJTg==' } } };
  assert.equal(api.canonicalJson(secret), secret);
  assert.equal(Buffer.from(api.encode('envoy.config.core.v3.DataSource', { inline_bytes: 'AAEC' })), Buffer.from([0x12, 0x03, 0x00, 0x01, 0x02]), 'field 2, length 3');
  expectError(() => api.encodeAny({ ...secret, tls_certificate: { certificate_chain: { inline_bytes: 'not base64!' } } }), 'tls_certificate.certificate_chain.inline_bytes', 'json.type', 'base64');
  const ts = api.decode('google.protobuf.Timestamp', api.encode('google.protobuf.Timestamp', '2021-07-01T10:20:30.5+02:00'));
  assert.is(ts as unknown as string, '2021-07-01T08:20:30.500Z');
  assert.type(parseTimestamp('2021-02-30T00:00:00Z'), 'string', 'no such date');
  assert.equal(parseTimestamp('0001-01-01T00:00:00Z'), { seconds: -62135596800, nanos: 0 });
  assert.equal(parseFieldMask('fooBar,a.bC'), ['foo_bar', 'a.b_c']);
  assert.is(formatFieldMask(['foo_bar', 'a.b_c']), 'fooBar,a.bC');
  assert.type(parseFieldMask('foo_bar'), 'string', 'snake_case paths are not proto3 JSON');
});

test('well-known types inside an Any use {"@type", "value"}', () => {
  const json = { '@type': 'type.googleapis.com/google.protobuf.Duration', value: '3s' };
  assert.equal(api.decodeAny(api.encodeAny(json)), json);
  const sv = { '@type': 'type.googleapis.com/google.protobuf.StringValue', value: 'x' };
  assert.equal(api.decodeAny(api.encodeAny(sv)), sv);
  expectError(() => api.encodeAny({ '@type': 'type.googleapis.com/google.protobuf.Duration', seconds: 3 }), 'seconds', 'json.unknown_field', 'only "value"');
});

test('decoding is strict too: unknown field numbers and unknown Any types in bytes are errors', () => {
  const good = api.encode(LISTENER_TYPE_URL, { name: 'x' });
  const unknownField = Buffer.concat([Buffer.from(good), Buffer.from([0xf8, 0x7f, 0x01])]); // field 2047, varint 1
  expectError(() => api.decode(LISTENER_TYPE_URL, unknownField), '', 'wire.unknown_field', 'field number 2047');
  const anyType = api.type('google.protobuf.Any');
  const bogus = anyType.encode(anyType.create({ type_url: 'type.googleapis.com/no.such.Type', value: new Uint8Array() })).finish();
  expectError(() => api.decodeAny(bogus), '', 'any.unknown_type', 'no.such.Type');
  expectError(() => api.decodeAny(Buffer.from([0x0a, 0x05, 0x61])), 'type_url', 'wire.decode', 'runs past the end');
});

test('length-delimited framing round-trips and rejects truncated files', () => {
  const a = api.encodeAny(listener());
  const b = api.encodeAny(listener({ name: 'other' }));
  const framed = encodeDelimited([a, b, new Uint8Array()]);
  const parts = decodeDelimited(framed);
  assert.is(parts.length, 3);
  assert.equal(Buffer.from(parts[0]!), Buffer.from(a));
  assert.equal(Buffer.from(parts[1]!), Buffer.from(b));
  assert.is(parts[2]!.length, 0);
  assert.is(framed[0], a.length & 0x7f | 0x80, 'a 2-byte varint prefix for a message longer than 127 bytes');
  assert.throws(() => decodeDelimited(framed.subarray(0, framed.length - 5)), /runs past the end/);
});

test('resourceName: cluster_name for a ClusterLoadAssignment, name otherwise', () => {
  assert.is(resourceName(listener()), 'outbound-listener');
  assert.is(resourceName({ '@type': 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment', cluster_name: 'c' }), 'c');
});

test('the API covers the types meshc and its ADS server need', () => {
  for (const name of [
    'envoy.config.listener.v3.Listener', 'envoy.config.route.v3.RouteConfiguration', 'envoy.config.cluster.v3.Cluster',
    'envoy.config.endpoint.v3.ClusterLoadAssignment', 'envoy.config.bootstrap.v3.Bootstrap',
    'envoy.service.discovery.v3.DiscoveryRequest', 'envoy.service.discovery.v3.DiscoveryResponse',
    'envoy.service.discovery.v3.DeltaDiscoveryRequest', 'envoy.service.discovery.v3.DeltaDiscoveryResponse',
    'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    'envoy.extensions.filters.http.router.v3.Router', 'envoy.extensions.filters.http.rbac.v3.RBAC',
    'envoy.extensions.filters.http.rbac.v3.RBACPerRoute', 'envoy.extensions.filters.network.rbac.v3.RBAC',
    'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', 'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
    'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', 'envoy.extensions.transport_sockets.tls.v3.Secret',
    'envoy.extensions.filters.http.health_check.v3.HealthCheck', 'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
    'envoy.extensions.filters.http.fault.v3.HTTPFault', 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
    'envoy.extensions.clusters.aggregate.v3.ClusterConfig', 'envoy.extensions.filters.listener.original_dst.v3.OriginalDst',
    'envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector', 'envoy.extensions.access_loggers.stream.v3.StdoutAccessLog',
  ]) {
    assert.ok(api.findType(name), `${name} is loaded`);
  }
  assert.ok(api.files.length > 400, `${api.files.length} proto files`);
});

test.run();
