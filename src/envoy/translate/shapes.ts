/**
 * Small builders for the Envoy v3 message shapes meshc emits, as proto3 JSON
 * (proto field names, "@type" on every Any). Objects are created with their
 * keys in a fixed order and map keys sorted, so equal input gives equal bytes.
 */
import { isIP } from 'node:net';
import type { HttpMatchIR, TlsFiles } from './ir.ts';

export type Json = Record<string, unknown>;

const T = 'type.googleapis.com/';
export const TYPE_LISTENER = `${T}envoy.config.listener.v3.Listener`;
export const TYPE_ROUTE = `${T}envoy.config.route.v3.RouteConfiguration`;
export const TYPE_CLUSTER = `${T}envoy.config.cluster.v3.Cluster`;
export const TYPE_ENDPOINT = `${T}envoy.config.endpoint.v3.ClusterLoadAssignment`;
export const TYPE_BOOTSTRAP = `${T}envoy.config.bootstrap.v3.Bootstrap`;
export const TYPE_HCM = `${T}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`;
export const TYPE_ROUTER = `${T}envoy.extensions.filters.http.router.v3.Router`;
export const TYPE_HTTP_RBAC = `${T}envoy.extensions.filters.http.rbac.v3.RBAC`;
export const TYPE_NETWORK_RBAC = `${T}envoy.extensions.filters.network.rbac.v3.RBAC`;
export const TYPE_TCP_PROXY = `${T}envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`;
export const TYPE_UPSTREAM_TLS = `${T}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext`;
export const TYPE_DOWNSTREAM_TLS = `${T}envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext`;
export const TYPE_HTTP_PROTOCOL_OPTIONS = `${T}envoy.extensions.upstreams.http.v3.HttpProtocolOptions`;
export const TYPE_ORIGINAL_DST = `${T}envoy.extensions.filters.listener.original_dst.v3.OriginalDst`;
export const TYPE_TLS_INSPECTOR = `${T}envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector`;

/** The four xDS types of a snapshot, in the order a server should send them (CDS, EDS, LDS, RDS). */
export const SNAPSHOT_TYPES = [TYPE_CLUSTER, TYPE_ENDPOINT, TYPE_LISTENER, TYPE_ROUTE] as const;
export type SnapshotType = (typeof SNAPSHOT_TYPES)[number];

export const CONNECT_TIMEOUT = '1s';

export function socketAddress(address: string, port: number): Json {
  return { socket_address: { address, port_value: port } };
}

export function adsConfigSource(): Json {
  return { ads: {}, resource_api_version: 'V3' };
}

export function routerFilter(): Json {
  return { name: 'envoy.filters.http.router', typed_config: { '@type': TYPE_ROUTER } };
}

/** One endpoint group (locality) of a load assignment. */
export function localityEndpoints(zone: string, endpoints: { ip: string; port: number }[]): Json {
  return {
    locality: zone ? { zone } : {},
    lb_endpoints: endpoints.map((e) => ({ endpoint: { address: socketAddress(e.ip, e.port) } })),
    // gRPC clients drop a locality without a weight; one unit per endpoint keeps endpoints equal.
    load_balancing_weight: endpoints.length,
  };
}

/** A load assignment with one endpoint (static clusters, the xDS server, local app ports). */
export function singleEndpoint(clusterName: string, address: string, port: number): Json {
  return { cluster_name: clusterName, endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(address, port) } }] }] };
}

function certificates(tls: TlsFiles): Json {
  return {
    tls_certificates: [{ certificate_chain: { filename: tls.certChain }, private_key: { filename: tls.privateKey } }],
  };
}

/** mTLS server side: the pod's certificate, clients must present one signed by the mesh CA. */
export function downstreamTls(tls: TlsFiles, tlsParams?: Json): Json {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': TYPE_DOWNSTREAM_TLS,
      common_tls_context: { ...(tlsParams ? { tls_params: tlsParams } : {}), ...certificates(tls), validation_context: { trusted_ca: { filename: tls.caCert } } },
      require_client_certificate: true,
    },
  };
}

/** mTLS client side: present the pod's certificate, accept only the destination's SPIFFE ids. */
export function upstreamTls(tls: TlsFiles, sni: string, peerIds: string[], tlsParams?: Json): Json {
  const validation: Json = { trusted_ca: { filename: tls.caCert } };
  if (peerIds.length > 0) validation.match_typed_subject_alt_names = peerIds.map((id) => ({ san_type: 'URI', matcher: { exact: id } }));
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: { '@type': TYPE_UPSTREAM_TLS, common_tls_context: { ...(tlsParams ? { tls_params: tlsParams } : {}), ...certificates(tls), validation_context: validation }, sni },
  };
}

/** HTTP/2 to the upstream (gRPC ports, the xDS server). */
export function http2Options(): Json {
  return {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
      '@type': TYPE_HTTP_PROTOCOL_OPTIONS, explicit_http_config: { http2_protocol_options: {} },
    },
  };
}

/** Same protocol upstream as downstream (HTTP/1.1 stays HTTP/1.1, HTTP/2 stays HTTP/2). */
export function downstreamProtocolOptions(): Json {
  return {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
      '@type': TYPE_HTTP_PROTOCOL_OPTIONS, use_downstream_protocol_config: { http_protocol_options: {}, http2_protocol_options: {} },
    },
  };
}

export function cidr(ip: string): Json {
  return { address_prefix: ip, prefix_len: isIP(ip) === 6 ? 128 : 32 };
}

// ---------------------------------------------------------------- HTTP matches

/**
 * SMI `pathRegex` is anchored at the start only; Envoy's `safe_regex` must
 * match the whole path (query string excluded). `(?:<re>).*` gives the SMI
 * meaning: `/api` matches `/api` and `/api/books`, `/api$` only `/api`.
 */
export function smiPathRegex(re: string): string {
  return `(?:${re}).*`;
}

export function methodRegex(methods: string[]): string {
  return methods.join('|');
}

/** `host` is HTTP/1's name for HTTP/2's `:authority` (Envoy matches the latter). */
export function headerName(name: string): string {
  return name === 'host' ? ':authority' : name;
}

/**
 * SMI header values are RE2 regexes matched against the whole value, so `""` admits only an empty value. Envoy
 * refuses an empty regex (RegexMatcher.regex min_len 1): `^$` says the same.
 */
function headerMatcher(name: string, regex: string): Json {
  return { name, string_match: { safe_regex: { regex: regex === '' ? '^$' : regex } } };
}

/** Route `match` for an SMI HTTP match; `methods: false` leaves the method out (gRPC: always POST). */
export function routeMatch(m: HttpMatchIR | undefined, opts: { methods: boolean } = { methods: true }): Json {
  if (!m) return { prefix: '/' };
  const out: Json = m.pathRegex !== undefined ? { safe_regex: { regex: smiPathRegex(m.pathRegex) } } : { prefix: '/' };
  const headers: Json[] = [];
  if (m.methods && opts.methods) headers.push(headerMatcher(':method', methodRegex(m.methods)));
  for (const h of m.headers) headers.push(headerMatcher(headerName(h.name), h.value));
  if (headers.length > 0) out.headers = headers;
  return out;
}

/** RBAC permission for an SMI HTTP match: path, method and headers AND-ed. */
export function rbacPermission(m: HttpMatchIR): Json {
  const rules: Json[] = [];
  if (m.pathRegex !== undefined) rules.push({ url_path: { path: { safe_regex: { regex: smiPathRegex(m.pathRegex) } } } });
  if (m.methods) rules.push({ header: headerMatcher(':method', methodRegex(m.methods)) });
  for (const h of m.headers) rules.push({ header: headerMatcher(headerName(h.name), h.value) });
  if (rules.length === 0) return { any: true };
  if (rules.length === 1) return rules[0];
  return { and_rules: { rules } };
}

export function rbacPrincipal(spiffe: string): Json {
  return { authenticated: { principal_name: { exact: spiffe } } };
}

/** Object with keys in sorted order (protobuf maps encode in insertion order). */
export function sortedRecord<V>(entries: [string, V][]): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}
