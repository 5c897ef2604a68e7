// The PGV evaluator: every rule kind with a valid and an invalid value, paths
// and Envoy's wording; required oneofs; recursion into nested messages and Any.
// Rule kinds Envoy uses are tested on real Envoy fields; the others on a small
// annotated test proto parsed with the same protobufjs options path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import protobuf from 'protobufjs';
import { createEnvoyApi, loadEnvoyApi } from '../src/envoy/protos/index.ts';
import { locateProtos, makeResolver } from '../src/envoy/protos/locate.ts';
import { createValidator, type Violation } from '../src/envoy/validate/index.ts';

const envoy = createValidator(await loadEnvoyApi());

function synthetic(): ReturnType<typeof createValidator> {
  const root = new protobuf.Root();
  root.resolvePath = makeResolver(locateProtos().includeDirs);
  root.loadSync(['validate/validate.proto', 'google/protobuf/any.proto', 'google/protobuf/duration.proto', 'google/protobuf/timestamp.proto', 'google/protobuf/wrappers.proto'], { keepCase: true });
  protobuf.parse(`
    syntax = "proto3";
    package t;
    import "validate/validate.proto";
    import "google/protobuf/any.proto";
    import "google/protobuf/duration.proto";
    import "google/protobuf/timestamp.proto";
    message StrConst { string v = 1 [(validate.rules).string.const = "abc"]; }
    message StrLen { string v = 1 [(validate.rules).string.len = 3]; }
    message StrMaxLen { string v = 1 [(validate.rules).string = {max_len: 3}]; }
    message StrLenBytes { string v = 1 [(validate.rules).string = {len_bytes: 2}]; }
    message StrMinBytes { string v = 1 [(validate.rules).string = {min_bytes: 2}]; }
    message StrPattern { string v = 1 [(validate.rules).string = {pattern: "^[a-z]+\\\\d$"}]; }
    message StrUnanchored { string v = 1 [(validate.rules).string = {pattern: "b+"}]; }
    message StrPrefix { string v = 1 [(validate.rules).string = {prefix: "ab", ignore_empty: true}]; }
    message StrSuffix { string v = 1 [(validate.rules).string = {suffix: "yz"}]; }
    message StrContains { string v = 1 [(validate.rules).string = {contains: "mid" not_contains: "bad"}]; }
    message StrNotIn { string v = 1 [(validate.rules).string = {not_in: ["x", "y"]}]; }
    message StrHostname { string v = 1 [(validate.rules).string.hostname = true]; }
    message StrIp { string v = 1 [(validate.rules).string.ip = true]; }
    message StrHeaderNameStrict { string v = 1 [(validate.rules).string = {well_known_regex: HTTP_HEADER_NAME}]; }
    message StrHeaderValueStrict { string v = 1 [(validate.rules).string = {well_known_regex: HTTP_HEADER_VALUE}]; }
    message BytesRules { bytes v = 1 [(validate.rules).bytes = {min_len: 1, max_len: 3, prefix: "a"}]; }
    message BoolConst { bool v = 1 [(validate.rules).bool.const = false]; }
    message Int32In { int32 v = 1 [(validate.rules).int32 = {in: [1, 2, 3]}]; }
    message Int64Const { int64 v = 1 [(validate.rules).int64.const = -9007199254740991]; }
    message UInt64NotIn { uint64 v = 1 [(validate.rules).uint64 = {not_in: [0, 9007199254740991]}]; }
    message Exclusive { int32 v = 1 [(validate.rules).int32 = {lt: 10, gt: 20}]; }
    message DoubleIgnore { double v = 1 [(validate.rules).double = {gt: 0.5, ignore_empty: true}]; }
    enum Color { UNSET = 0; RED = 1; BLUE = 2; }
    message EnumRules { Color v = 1 [(validate.rules).enum = {defined_only: true, not_in: [0]}]; }
    message EnumIn { Color v = 1 [(validate.rules).enum = {in: [2]}]; }
    message RepMax { repeated string v = 1 [(validate.rules).repeated = {max_items: 2, unique: true, ignore_empty: true}]; }
    message MapRules { map<string, string> v = 1 [(validate.rules).map = {min_pairs: 1, max_pairs: 2, keys: {string: {min_len: 2}}, values: {string: {max_len: 3}}}]; }
    message MapIntKeys { map<uint32, string> v = 1 [(validate.rules).map.keys.uint32 = {lte: 100}]; }
    message Inner { string name = 1 [(validate.rules).string.min_len = 1]; }
    message MapSparse { map<string, Inner> v = 1 [(validate.rules).map.no_sparse = true]; }
    message Skip { Inner checked = 1; Inner skipped = 2 [(validate.rules).message.skip = true]; }
    message Disabled { option (validate.disabled) = true; string v = 1 [(validate.rules).string.min_len = 1]; }
    message AnyIn { google.protobuf.Any v = 1 [(validate.rules).any = {required: true, in: ["type.googleapis.com/t.Inner"]}]; }
    message AnyNotIn { google.protobuf.Any v = 1 [(validate.rules).any = {not_in: ["type.googleapis.com/t.Inner"]}]; }
    message DurIn { google.protobuf.Duration v = 1 [(validate.rules).duration = {in: [{seconds: 1}, {nanos: 500000000}]}]; }
    message DurConst { google.protobuf.Duration v = 1 [(validate.rules).duration = {const: {seconds: 2}}]; }
    message TsGt { google.protobuf.Timestamp v = 1 [(validate.rules).timestamp = {required: true, gt: {seconds: 1000}}]; }
    message OneofReq { oneof kind { option (validate.required) = true; string a = 1; Inner b = 2; } }
  `, root, { keepCase: true });
  root.resolveAll();
  return createValidator(createEnvoyApi(root));
}
const t = synthetic();

const errors = (vs: Violation[]) => vs.filter((v) => v.severity === 'error').map(({ path, rule, message }) => ({ path, rule, message }));

/** valid → no violation at all; invalid → exactly the expected one. */
function single(type: string, valid: unknown, invalid: unknown, rule: string, message: string, path = 'v'): void {
  assert.equal(errors(t.validateMessage(type, valid)), [], `${type}: ${JSON.stringify(valid)} is valid`);
  assert.equal(errors(t.validateMessage(type, invalid)), [{ path, rule, message }], `${type}: ${JSON.stringify(invalid)}`);
}

/** On a real Envoy type: valid gives no violation at `path`; invalid gives exactly `expected` there. */
function envoyCase(type: string, valid: unknown, invalid: unknown, path: string, rule: string, message: string): void {
  const at = (vs: Violation[]) => errors(vs).filter((v) => v.path === path);
  assert.equal(at(envoy.validateMessage(type, valid)), [], `${type}.${path} valid: ${JSON.stringify(valid)}`);
  assert.equal(at(envoy.validateMessage(type, invalid)), [{ path, rule, message }], `${type}.${path}: ${JSON.stringify(invalid)}`);
}

// ---- Envoy fields (rule kinds of linting-conventions 11.4) ----

test('string.min_len (Cluster.name, VirtualHost.name)', () => {
  envoyCase('envoy.config.cluster.v3.Cluster', { name: 'c', connect_timeout: '1s' }, { name: '', connect_timeout: '1s' }, 'name', 'string.min_len', 'value length must be at least 1 characters');
  envoyCase('envoy.config.route.v3.VirtualHost', { name: 'v', domains: ['*'] }, { domains: ['*'] }, 'name', 'string.min_len', 'value length must be at least 1 characters');
});

test('string.max_bytes and well_known_regex HTTP_HEADER_NAME, non-strict (HeaderValue.key)', () => {
  envoyCase('envoy.config.core.v3.HeaderValue', { key: 'x-osm' }, { key: 'k'.repeat(16385) }, 'key', 'string.max_bytes', 'value length must be at most 16384 bytes');
  // strict: false only forbids NUL, CR and LF
  envoyCase('envoy.config.core.v3.HeaderValue', { key: 'x osm' }, { key: 'x\nosm' }, 'key', 'string.well_known_regex', 'value must be a valid HTTP header name (no NUL, CR or LF)');
});

test('string.pattern with RE2 semantics (RouteMatch.path_separated_prefix)', () => {
  envoyCase('envoy.config.route.v3.RouteMatch', { path_separated_prefix: '/api' }, { path_separated_prefix: '/api/' }, 'path_separated_prefix', 'string.pattern', 'value does not match regex pattern "^[^?#]+[^?#/]$"');
  single('t.StrPattern', { v: 'abc1' }, { v: 'abc' }, 'string.pattern', 'value does not match regex pattern "^[a-z]+\\\\d$"');
  // PGV patterns are unanchored (RE2 partial match)
  single('t.StrUnanchored', { v: 'abbbc' }, { v: 'ac' }, 'string.pattern', 'value does not match regex pattern "b+"');
});

test('string.in (SchemeHeaderTransformation.scheme_to_overwrite, RateLimit.request_type)', () => {
  envoyCase('envoy.config.core.v3.SchemeHeaderTransformation', { scheme_to_overwrite: 'https' }, { scheme_to_overwrite: 'ftp' }, 'scheme_to_overwrite', 'string.in', 'value must be in list ["http" "https"]');
  // `in: "internal" in: "external" in: "both" in: ""` (repeated keys in the option text) keeps all four values
  envoyCase('envoy.extensions.filters.http.ratelimit.v3.RateLimit', { domain: 'd', request_type: 'both' }, { domain: 'd', request_type: 'all' }, 'request_type', 'string.in', 'value must be in list ["internal" "external" "both" ""]');
});

test('message.required (HttpUri.cluster via oneof; TypedExtensionConfig.typed_config any.required)', () => {
  envoyCase('envoy.config.core.v3.TypedExtensionConfig', { name: 'n', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }, { name: 'n' }, 'typed_config', 'any.required', 'value is required');
  envoyCase('envoy.config.route.v3.Route', { match: { prefix: '/' }, route: { cluster: 'c' } }, { route: { cluster: 'c' } }, 'match', 'message.required', 'value is required');
});

test('oneof required (Route.action, RouteAction.cluster_specifier)', () => {
  envoyCase('envoy.config.route.v3.Route', { match: { prefix: '/' }, route: { cluster: 'c' } }, { match: { prefix: '/' } }, 'action', 'oneof.required', 'value is required (one of route, redirect, direct_response, filter_action, non_forwarding_action)');
  envoyCase('envoy.config.route.v3.RouteAction', { cluster: 'c' }, { timeout: '1s' }, 'cluster_specifier', 'oneof.required', 'value is required (one of cluster, cluster_header, weighted_clusters, cluster_specifier_plugin, inline_cluster_specifier_plugin)');
  single('t.OneofReq', { a: '' }, {}, 'oneof.required', 'value is required (one of a, b)', 'kind');
  // rules inside the chosen member still apply
  assert.equal(errors(t.validateMessage('t.OneofReq', { b: {} })), [{ path: 'b.name', rule: 'string.min_len', message: 'value length must be at least 1 characters' }]);
});

test('uint32 lte (SocketAddress.port_value) and inside range [gte, lt) (DirectResponseAction.status)', () => {
  envoyCase('envoy.config.core.v3.SocketAddress', { address: 'a', port_value: 65535 }, { address: 'a', port_value: 65536 }, 'port_value', 'uint32.lte', 'value must be less than or equal to 65535');
  envoyCase('envoy.config.route.v3.DirectResponseAction', { status: 200 }, { status: 600 }, 'status', 'uint32.gte', 'value must be inside range [200, 600)');
  envoyCase('envoy.config.route.v3.DirectResponseAction', { status: 599 }, { status: 199 }, 'status', 'uint32.gte', 'value must be inside range [200, 600)');
});

test('uint32 on a wrapper (OutlierDetection.max_ejection_percent, a UInt32Value)', () => {
  envoyCase('envoy.config.cluster.v3.OutlierDetection', { max_ejection_percent: 100 }, { max_ejection_percent: 101 }, 'max_ejection_percent', 'uint32.lte', 'value must be less than or equal to 100');
  // an unset wrapper is not checked
  assert.equal(errors(envoy.validateMessage('envoy.config.cluster.v3.OutlierDetection', {})), []);
});

test('uint64 lte on UInt64Value (RingHashLbConfig.maximum_ring_size) and (gt, lt) range', () => {
  envoyCase('envoy.config.cluster.v3.Cluster.RingHashLbConfig', { maximum_ring_size: '8388608' }, { maximum_ring_size: '8388609' }, 'maximum_ring_size', 'uint64.lte', 'value must be less than or equal to 8388608');
  envoyCase('envoy.config.core.v3.UdpSocketConfig', { max_rx_datagram_size: '65535' }, { max_rx_datagram_size: '65536' }, 'max_rx_datagram_size', 'uint64.gt', 'value must be inside range (0, 65536)');
});

test('int32 range (thrift FieldSelector.id) and int64 gt', () => {
  envoyCase('envoy.extensions.filters.http.thrift_to_metadata.v3.FieldSelector', { name: 'n', id: -32768 }, { name: 'n', id: 32768 }, 'id', 'int32.gte', 'value must be inside range [-32768, 32767]');
  envoyCase('envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig', { max_active_downstream_connections: '1' }, { max_active_downstream_connections: '0' }, 'max_active_downstream_connections', 'int64.gt', 'value must be greater than 0');
});

test('double range on DoubleValue (PreconnectPolicy) and gt (RateLimitSettings.fill_rate); float gte', () => {
  envoyCase('envoy.config.cluster.v3.Cluster.PreconnectPolicy', { per_upstream_preconnect_ratio: 1.5 }, { per_upstream_preconnect_ratio: 3.5 }, 'per_upstream_preconnect_ratio', 'double.gte', 'value must be inside range [1, 3]');
  envoyCase('envoy.config.core.v3.RateLimitSettings', { fill_rate: 0.1 }, { fill_rate: 0 }, 'fill_rate', 'double.gt', 'value must be greater than 0');
  envoyCase('envoy.extensions.load_balancing_policies.client_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin', { error_utilization_penalty: 0 }, { error_utilization_penalty: -0.5 }, 'error_utilization_penalty', 'float.gte', 'value must be greater than or equal to 0');
});

test('enum defined_only (Cluster.lb_policy) and not_in given as a single value (HttpHealthCheck.method)', () => {
  envoyCase('envoy.config.cluster.v3.Cluster', { name: 'c', lb_policy: 'MAGLEV' }, { name: 'c', lb_policy: 42 }, 'lb_policy', 'enum.defined_only', 'value must be one of the defined enum values');
  envoyCase('envoy.config.core.v3.HealthCheck.HttpHealthCheck', { path: '/', method: 'GET' }, { path: '/', method: 'CONNECT' }, 'method', 'enum.not_in', 'value must not be in list [CONNECT]');
});

test('duration gt {} (Cluster.connect_timeout), required + [gte, lt) (HttpUri.timeout)', () => {
  envoyCase('envoy.config.cluster.v3.Cluster', { name: 'c', connect_timeout: '0.001s' }, { name: 'c', connect_timeout: '0s' }, 'connect_timeout', 'duration.gt', 'value must be greater than 0s');
  envoyCase('envoy.config.core.v3.HttpUri', { uri: 'u', cluster: 'c', timeout: '1s' }, { uri: 'u', cluster: 'c' }, 'timeout', 'duration.required', 'value is required');
  envoyCase('envoy.config.core.v3.HttpUri', { uri: 'u', cluster: 'c', timeout: '0s' }, { uri: 'u', cluster: 'c', timeout: '4294967296s' }, 'timeout', 'duration.gte', 'value must be inside range [0s, 4294967296s)');
  envoyCase('envoy.config.bootstrap.v3.Bootstrap', { stats_flush_interval: '0.001s' }, { stats_flush_interval: '0.0005s' }, 'stats_flush_interval', 'duration.gte', 'value must be inside range [0.001s, 300s)');
});

test('repeated min_items (VirtualHost.domains, Policy.permissions) with item rules', () => {
  envoyCase('envoy.config.route.v3.VirtualHost', { name: 'v', domains: ['a'] }, { name: 'v', domains: [] }, 'domains', 'repeated.min_items', 'value must contain at least 1 item(s)');
  envoyCase('envoy.config.route.v3.VirtualHost', { name: 'v', domains: ['a'] }, { name: 'v', domains: ['a', 'b\r\n'] }, 'domains[1]', 'string.well_known_regex', 'value must be a valid HTTP header value (no NUL, CR or LF)');
  envoyCase('envoy.config.rbac.v3.Policy', { permissions: [{ any: true }], principals: [{ any: true }] }, { principals: [{ any: true }] }, 'permissions', 'repeated.min_items', 'value must contain at least 1 item(s)');
});

test('repeated items: uint32 range (FilterChainMatch.source_ports), enum defined_only (HealthStatusSet.statuses); unique', () => {
  envoyCase('envoy.config.listener.v3.FilterChainMatch', { source_ports: [1, 65535] }, { source_ports: [80, 0] }, 'source_ports[1]', 'uint32.gte', 'value must be inside range [1, 65535]');
  envoyCase('envoy.config.core.v3.HealthStatusSet', { statuses: ['HEALTHY'] }, { statuses: ['HEALTHY', 17] }, 'statuses[1]', 'enum.defined_only', 'value must be one of the defined enum values');
  envoyCase('envoy.config.route.v3.InternalRedirectPolicy', { response_headers_to_copy: ['a', 'b'] }, { response_headers_to_copy: ['a', 'b', 'a'] }, 'response_headers_to_copy[2]', 'repeated.unique', 'repeated value must contain unique items');
});

test('map keys (Metadata.filter_metadata) and min_pairs (MatchMap.map)', () => {
  envoyCase('envoy.config.core.v3.Metadata', { filter_metadata: { a: {} } }, { filter_metadata: { '': {} } }, 'filter_metadata[""]', 'string.min_len', 'value length must be at least 1 characters');
  envoyCase('envoy.config.common.matcher.v3.Matcher.MatcherTree.MatchMap', { map: { k: { action: { name: 'n', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } } } } }, {}, 'map', 'map.min_pairs', 'value must contain at least 1 pair(s)');
});

test('bool const (Permission.any, RBAC "any: true")', () => {
  envoyCase('envoy.config.rbac.v3.Permission', { any: true }, { any: false }, 'any', 'bool.const', 'value must equal true');
});

test('bytes max_len (HeaderValue.raw_value) and bytes rules', () => {
  envoyCase('envoy.config.core.v3.HeaderValue', { key: 'k', raw_value: Buffer.from('v').toString('base64') }, { key: 'k', raw_value: Buffer.alloc(16385).toString('base64') }, 'raw_value', 'bytes.max_len', 'value length must be at most 16384 bytes');
  single('t.BytesRules', { v: Buffer.from('ab').toString('base64') }, { v: Buffer.from('ba').toString('base64') }, 'bytes.prefix', 'value does not have the required prefix');
  single('t.BytesRules', { v: 'YQ==' }, { v: Buffer.from('abcd').toString('base64') }, 'bytes.max_len', 'value length must be at most 3 bytes');
  // an empty value breaks min_len and (being empty) prefix too
  assert.equal(errors(t.validateMessage('t.BytesRules', {})).map((v) => v.rule), ['bytes.min_len', 'bytes.prefix']);
});

// ---- rule kinds Envoy does not use on meshc's fields (synthetic proto) ----

test('string const, len, max_len, len_bytes, min_bytes (characters vs bytes)', () => {
  single('t.StrConst', { v: 'abc' }, { v: 'abd' }, 'string.const', 'value must equal "abc"');
  single('t.StrLen', { v: 'äöü' }, { v: 'ab' }, 'string.len', 'value length must be 3 characters');
  single('t.StrMaxLen', { v: '日本語' }, { v: 'abcd' }, 'string.max_len', 'value length must be at most 3 characters');
  single('t.StrLenBytes', { v: 'ä' }, { v: 'a' }, 'string.len_bytes', 'value length must be 2 bytes');
  single('t.StrMinBytes', { v: 'é' }, { v: 'e' }, 'string.min_bytes', 'value length must be at least 2 bytes');
});

test('string prefix (with ignore_empty), suffix, contains, not_contains, not_in', () => {
  single('t.StrPrefix', { v: '' }, { v: 'ba' }, 'string.prefix', 'value does not have prefix "ab"');
  single('t.StrSuffix', { v: 'xyz' }, { v: 'zy' }, 'string.suffix', 'value does not have suffix "yz"');
  single('t.StrContains', { v: 'a mid b' }, { v: 'nothing' }, 'string.contains', 'value does not contain substring "mid"');
  single('t.StrContains', { v: 'mid' }, { v: 'mid bad' }, 'string.not_contains', 'value contains substring "bad"');
  single('t.StrNotIn', { v: 'z' }, { v: 'y' }, 'string.not_in', 'value must not be in list ["x" "y"]');
});

test('string well-known formats: hostname, ip, strict HTTP header value', () => {
  single('t.StrHostname', { v: 'bookstore.bookstore.svc.cluster.local' }, { v: 'under_score.example' }, 'string.hostname', 'value must be a valid hostname');
  single('t.StrIp', { v: '::1' }, { v: '10.0.0.256' }, 'string.ip', 'value must be a valid IP address');
  for (const name of [':authority', 'x-osm-envoy', 'a,b', 'x.y+z', "it's~`|^"]) single('t.StrHeaderNameStrict', { v: name }, { v: 'x y' }, 'string.well_known_regex', 'value must be a valid HTTP header name');
  for (const bad of ['', 'a/b', 'a:b', 'ä']) assert.equal(errors(t.validateMessage('t.StrHeaderNameStrict', { v: bad })).length, 1, JSON.stringify(bad));
  single('t.StrHeaderValueStrict', { v: 'a\tb' }, { v: 'a\u0001b' }, 'string.well_known_regex', 'value must be a valid HTTP header value');
});

test('bool const false; int32 in; int64 const; uint64 not_in at the top of the range', () => {
  single('t.BoolConst', {}, { v: true }, 'bool.const', 'value must equal false');
  single('t.Int32In', { v: 2 }, { v: 4 }, 'int32.in', 'value must be in list [1 2 3]');
  // (protobufjs parses option literals as JS numbers; the census test checks Envoy's are all safe integers)
  single('t.Int64Const', { v: '-9007199254740991' }, { v: '-9007199254740990' }, 'int64.const', 'value must equal -9007199254740991');
  single('t.UInt64NotIn', { v: '18446744073709551615' }, { v: '9007199254740991' }, 'uint64.not_in', 'value must not be in list [0 9007199254740991]');
});

test('exclusive range (lt < gt): values must be outside', () => {
  single('t.Exclusive', { v: 25 }, { v: 15 }, 'int32.gt', 'value must be outside range [10, 20]');
  assert.equal(errors(t.validateMessage('t.Exclusive', { v: 5 })), []);
});

test('double gt with ignore_empty; enum defined_only + not_in given as a list; enum in', () => {
  single('t.DoubleIgnore', {}, { v: 0.25 }, 'double.gt', 'value must be greater than 0.5');
  single('t.EnumRules', { v: 'RED' }, { v: 'UNSET' }, 'enum.not_in', 'value must not be in list [UNSET]');
  single('t.EnumRules', { v: 'BLUE' }, { v: 7 }, 'enum.defined_only', 'value must be one of the defined enum values');
  single('t.EnumIn', { v: 'BLUE' }, { v: 'RED' }, 'enum.in', 'value must be in list [BLUE]');
});

test('repeated max_items, unique, ignore_empty', () => {
  single('t.RepMax', { v: [] }, { v: ['a', 'b', 'c'] }, 'repeated.max_items', 'value must contain no more than 2 item(s)');
  single('t.RepMax', { v: ['a', 'b'] }, { v: ['a', 'a'] }, 'repeated.unique', 'repeated value must contain unique items', 'v[1]');
});

test('map min_pairs, max_pairs, keys and values rules, no_sparse', () => {
  single('t.MapRules', { v: { ab: 'x' } }, {}, 'map.min_pairs', 'value must contain at least 1 pair(s)');
  single('t.MapRules', { v: { ab: 'x', cd: 'y' } }, { v: { ab: 'x', cd: 'y', ef: 'z' } }, 'map.max_pairs', 'value must contain no more than 2 pair(s)');
  single('t.MapRules', { v: { ab: 'x' } }, { v: { a: 'x' } }, 'string.min_len', 'value length must be at least 2 characters', 'v["a"]');
  single('t.MapRules', { v: { ab: 'xyz' } }, { v: { ab: 'wxyz' } }, 'string.max_len', 'value length must be at most 3 characters', 'v["ab"]');
  single('t.MapIntKeys', { v: { 100: 'x' } }, { v: { 101: 'x' } }, 'uint32.lte', 'value must be less than or equal to 100', 'v["101"]');
  // map message values recurse
  assert.equal(errors(t.validateMessage('t.MapSparse', { v: { k: { name: '' } } })), [{ path: 'v["k"].name', rule: 'string.min_len', message: 'value length must be at least 1 characters' }]);
});

test('message.skip stops recursion; (validate.disabled) switches a message off', () => {
  assert.equal(errors(t.validateMessage('t.Skip', { checked: { name: '' }, skipped: { name: '' } })), [{ path: 'checked.name', rule: 'string.min_len', message: 'value length must be at least 1 characters' }]);
  assert.equal(errors(t.validateMessage('t.Disabled', {})), []);
});

test('any required, in, not_in', () => {
  single('t.AnyIn', { v: { '@type': 'type.googleapis.com/t.Inner', name: 'n' } }, {}, 'any.required', 'value is required');
  single('t.AnyIn', { v: { '@type': 'type.googleapis.com/t.Inner', name: 'n' } }, { v: { '@type': 'type.googleapis.com/t.OneofReq', a: 'x' } }, 'any.in', 'type URL must be in list ["type.googleapis.com/t.Inner"]');
  single('t.AnyNotIn', { v: { '@type': 'type.googleapis.com/t.OneofReq', a: 'x' } }, { v: { '@type': 'type.googleapis.com/t.Inner', name: 'n' } }, 'any.not_in', 'type URL must not be in list ["type.googleapis.com/t.Inner"]');
});

test('duration in and const; timestamp required and gt', () => {
  single('t.DurIn', { v: '0.5s' }, { v: '2s' }, 'duration.in', 'value must be in list [1s 0.500s]');
  single('t.DurConst', { v: '2s' }, { v: '2.5s' }, 'duration.const', 'value must equal 2s');
  single('t.TsGt', { v: '1970-01-01T00:16:41Z' }, {}, 'timestamp.required', 'value is required');
  single('t.TsGt', { v: '1970-01-01T00:16:41Z' }, { v: '1970-01-01T00:16:40Z' }, 'timestamp.gt', 'value must be greater than 1000s since the epoch');
});

// ---- recursion and Envoy's own checks ----

test('rules apply inside typed_config (Any recursion), with the full path', () => {
  const listener = {
    '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener',
    name: 'l',
    address: { socket_address: { address: '0.0.0.0', port_value: 15001 } },
    filter_chains: [{
      filters: [{
        name: 'envoy.filters.network.http_connection_manager',
        typed_config: {
          '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
          stat_prefix: 'in',
          route_config: { name: 'rc', virtual_hosts: [{ name: 'vh', domains: [], routes: [] }] },
          http_filters: [{ name: 'envoy.filters.http.rbac', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC', rules: { policies: { p: { permissions: [{ any: true }], principals: [] } } } } }],
        },
      }],
    }],
  };
  assert.equal(errors(envoy.validateResource(listener)), [
    { path: 'filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].domains', rule: 'repeated.min_items', message: 'value must contain at least 1 item(s)' },
    { path: 'filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.rules.policies["p"].principals', rule: 'repeated.min_items', message: 'value must contain at least 1 item(s)' },
  ]);
});

test('the same invalid Any payload in two places, and in a second resource: each violation at its own path', () => {
  // Validators remember an Any payload's violations (pgv.ts AnyCache): a repeat must still be reported where it is.
  const hcm = {
    name: 'envoy.filters.network.http_connection_manager',
    typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
      stat_prefix: 'out', route_config: { name: 'rc', virtual_hosts: [{ name: 'vh', domains: [] }] },
    },
  };
  const listener = (name: string, chains: number) => ({
    '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener', name,
    address: { socket_address: { address: '0.0.0.0', port_value: 15001 } },
    filter_chains: Array.from({ length: chains }, () => ({ filters: [hcm] })),
  });
  const at = (chain: number) => ({ path: `filter_chains[${chain}].filters[0].typed_config.route_config.virtual_hosts[0].domains`, rule: 'repeated.min_items', message: 'value must contain at least 1 item(s)' });
  assert.equal(errors(envoy.validateResource(listener('a', 2))), [at(0), at(1)]);
  assert.equal(errors(envoy.validateResource(listener('b', 3))), [at(0), at(1), at(2)]);
  // As a message of its own (no path above the Any's content).
  assert.equal(errors(envoy.validateMessage('envoy.config.listener.v3.Filter', hcm)), [
    { path: 'typed_config.route_config.virtual_hosts[0].domains', rule: 'repeated.min_items', message: 'value must contain at least 1 item(s)' },
  ]);
});

test('a value that cannot be read deep inside: the error names its full path', () => {
  const cluster = {
    '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name: 'c',
    load_assignment: { cluster_name: 'c', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'x', port_value: 'eighty' } } } }] }] },
  };
  assert.equal(errors(envoy.validateResource(cluster)), [
    { path: 'load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value', rule: 'json.type', message: 'expected an integer (uint32), got a string "eighty"' },
  ]);
});

test('a resource that cannot be read gives one json/any violation', () => {
  assert.equal(errors(envoy.validateResource({ '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name: 'c', tyep: 'EDS' })), [
    { path: 'tyep', rule: 'json.unknown_field', message: 'unknown field "tyep" in envoy.config.cluster.v3.Cluster' },
  ]);
  assert.equal(errors(envoy.validateResource({ name: 'c' })), [{ path: '', rule: 'any.missing_type', message: 'resource without "@type"' }]);
  assert.equal(errors(envoy.validateMessage('type.googleapis.com/envoy.config.cluster.v3.Cluster', { '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener' })), [
    { path: '', rule: 'any.type_mismatch', message: '"@type" is "type.googleapis.com/envoy.config.listener.v3.Listener", expected a envoy.config.cluster.v3.Cluster' },
  ]);
});

test("Envoy's own checks: negative durations and invalid RE2 in a RegexMatcher", () => {
  const route = (extra: Record<string, unknown>) => ({ match: { prefix: '/' }, route: { cluster: 'c', ...extra } });
  assert.equal(errors(envoy.validateMessage('envoy.config.route.v3.Route', route({ timeout: '-1s' }))), [{ path: 'route.timeout', rule: 'envoy.duration', message: 'Expected positive duration: -1s' }]);
  assert.equal(errors(envoy.validateMessage('envoy.config.route.v3.Route', { match: { safe_regex: { regex: '/api/(?!admin).*' } }, route: { cluster: 'c' } })), [
    { path: 'match.safe_regex.regex', rule: 'envoy.regex', message: "Invalid regex '/api/(?!admin).*': invalid perl operator: (?!" },
  ]);
  assert.equal(errors(envoy.validateMessage('envoy.config.route.v3.Route', { match: { safe_regex: { regex: '/api/[^/]+' } }, route: { cluster: 'c' } })), []);
});

test('deprecated fields and enum values are warnings (or off)', () => {
  const rc = { match: { prefix: '/' }, route: { weighted_clusters: { clusters: [{ name: 'a', weight: 1 }], total_weight: 1 } } };
  const vs = envoy.validateMessage('envoy.config.route.v3.Route', rc);
  assert.equal(vs, [{ path: 'route.weighted_clusters.total_weight', rule: 'deprecated', message: "Using deprecated option 'envoy.config.route.v3.WeightedCluster.total_weight'", severity: 'warning' }]);
  assert.equal(envoy.validateMessage('envoy.config.route.v3.Route', rc, { deprecated: false }), []);
  const warn = envoy.validateMessage('envoy.config.core.v3.ConfigSource', { ads: {}, resource_api_version: 'V2' });
  assert.equal(warn, [{ path: 'resource_api_version', rule: 'deprecated', message: "Using deprecated value V2 for enum 'envoy.config.core.v3.ApiVersion'", severity: 'warning' }]);
});

test('ApiConfigSource.api_type must be set (its zero value is rejected by Envoy)', () => {
  const ok = { api_type: 'GRPC', transport_api_version: 'V3', grpc_services: [{ envoy_grpc: { cluster_name: 'xds' } }] };
  assert.equal(errors(envoy.validateMessage('envoy.config.core.v3.ApiConfigSource', ok)), []);
  const { api_type: _, ...bad } = ok;
  assert.equal(errors(envoy.validateMessage('envoy.config.core.v3.ApiConfigSource', bad)), [
    { path: 'api_type', rule: 'envoy.api_type', message: 'api_type must be set (GRPC, DELTA_GRPC or REST); the default DEPRECATED_AND_UNAVAILABLE_DO_NOT_USE is rejected' },
  ]);
});

test('a protobufjs message can be validated directly', () => {
  const api = envoy.api;
  const msg = api.fromJson('envoy.config.cluster.v3.Cluster', { name: '' });
  assert.equal(errors(envoy.validateMessage('envoy.config.cluster.v3.Cluster', msg)), [{ path: 'name', rule: 'string.min_len', message: 'value length must be at least 1 characters' }]);
});

test.run();
