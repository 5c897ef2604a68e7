/**
 * Small builders for the Envoy v3 message shapes meshc emits, as proto3 JSON
 * (proto field names, "@type" on every Any). Objects are created with their
 * keys in a fixed order and map keys sorted, so equal input gives equal bytes.
 */
import { isIP } from 'node:net';
import {
  DOWNSTREAM_TLS_CONTEXT_TYPE_URL, HTTP_PROTOCOL_OPTIONS_TYPE_URL, ROUTER_TYPE_URL, UPSTREAM_TLS_CONTEXT_TYPE_URL,
} from '../protos/type-urls.ts';
import type { HttpMatchIR } from './ir.ts';
import { sdsTlsContext, type SdsSource } from './secrets.ts';

export type Json = Record<string, unknown>;

export const CONNECT_TIMEOUT = '1s';

export function socketAddress(address: string, port: number): Json {
  return { socket_address: { address, port_value: port } };
}

export function adsConfigSource(): Json {
  return { ads: {}, resource_api_version: 'V3' };
}

export function routerFilter(): Json {
  return { name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE_URL } };
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

/** mTLS server side: the pod's certificate, clients must present one signed by the mesh CA (both through SDS). */
export function downstreamTls(sds: SdsSource, tlsParams?: Json): Json {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': DOWNSTREAM_TLS_CONTEXT_TYPE_URL,
      common_tls_context: { ...(tlsParams ? { tls_params: tlsParams } : {}), ...sdsTlsContext(sds, null) },
      require_client_certificate: true,
    },
  };
}

/** mTLS client side: present the pod's certificate, accept only the destination's SPIFFE ids. */
export function upstreamTls(sds: SdsSource, sni: string, peerIds: string[], tlsParams?: Json): Json {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': UPSTREAM_TLS_CONTEXT_TYPE_URL, common_tls_context: { ...(tlsParams ? { tls_params: tlsParams } : {}), ...sdsTlsContext(sds, peerIds) }, sni,
    },
  };
}

/** HTTP/2 to the upstream (gRPC ports, the xDS server). */
export function http2Options(): Json {
  return {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
      '@type': HTTP_PROTOCOL_OPTIONS_TYPE_URL, explicit_http_config: { http2_protocol_options: {} },
    },
  };
}

/** Same protocol upstream as downstream (HTTP/1.1 stays HTTP/1.1, HTTP/2 stays HTTP/2). */
export function downstreamProtocolOptions(): Json {
  return {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
      '@type': HTTP_PROTOCOL_OPTIONS_TYPE_URL, use_downstream_protocol_config: { http_protocol_options: {}, http2_protocol_options: {} },
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
  // Gateway API queryParams: the value whole (exact) or an RE2 full match.
  if (m.queryParams?.length) {
    out.query_parameters = m.queryParams.map((q) => ({ name: q.name, string_match: q.type === 'Exact' ? { exact: q.value } : { safe_regex: { regex: q.value === '' ? '^$' : q.value } } }));
  }
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
