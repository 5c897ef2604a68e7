/**
 * UpstreamTrafficSetting (policy.openservicemesh.io) → Envoy, as OSM built it
 * (osm-translation.md section 15):
 *
 * - on every client's cluster of the Service: circuit breakers (thresholds
 *   default to 2^32-1 as OSM's, overridden by connectionSettings),
 *   connect_timeout and max requests per connection (in HttpProtocolOptions'
 *   common_http_protocol_options; OSM used the deprecated Cluster field);
 * - on the egress clusters of an Egress that names it in its matches: the
 *   same connection settings (max requests per connection on the http
 *   `<host>:<port>` clusters only: the ORIGINAL_DST `<port>` ones carry TCP);
 * - on the Service's own proxies: local rate limits, TCP as a network filter
 *   before the TCP proxy, HTTP as the HCM's local_ratelimit filter enabled per
 *   virtual host and per route (`httpRoutes[].path` equal to the route's path).
 */
import type { ClusterSettingsIR, TokenBucketIR, HttpRateLimitIR } from './ir.ts';
import type { Json } from './shapes.ts';
import { UNLIMITED } from './cluster-defaults.ts';
import { HTTP_PROTOCOL_OPTIONS_TYPE_URL } from '../protos/type-urls.ts';

const HTTP_PROTOCOL_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

export const TYPE_NETWORK_LOCAL_RATELIMIT = 'type.googleapis.com/envoy.extensions.filters.network.local_ratelimit.v3.LocalRateLimit';
export const TYPE_HTTP_LOCAL_RATELIMIT = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
export const HTTP_LOCAL_RATELIMIT = 'envoy.filters.http.local_ratelimit';

export function circuitBreakers(s: ClusterSettingsIR): Json {
  return {
    thresholds: [{
      max_connections: s.maxConnections ?? UNLIMITED,
      max_pending_requests: s.maxPendingRequests ?? UNLIMITED,
      max_requests: s.maxRequests ?? UNLIMITED,
      max_retries: s.maxRetries ?? UNLIMITED,
      track_remaining: true,
    }],
  };
}

function tokenBucket(b: TokenBucketIR): Json {
  return { max_tokens: b.maxTokens, tokens_per_fill: b.tokensPerFill, fill_interval: b.fillInterval };
}

/** The network filter that goes before the TCP proxy of an inbound chain. */
export function tcpRateLimitFilter(b: TokenBucketIR, stat: string): Json {
  return { name: 'envoy.filters.network.local_ratelimit', typed_config: { '@type': TYPE_NETWORK_LOCAL_RATELIMIT, stat_prefix: `${stat}.ratelimit`, token_bucket: tokenBucket(b) } };
}

/** The HCM filter: present, with no bucket (disabled) until a virtual host or route enables it. */
export function httpRateLimitFilter(stat: string): Json {
  return { name: HTTP_LOCAL_RATELIMIT, typed_config: { '@type': TYPE_HTTP_LOCAL_RATELIMIT, stat_prefix: `${stat}.ratelimit` } };
}

/** typed_per_filter_config entry of a virtual host or route. */
export function httpRateLimitPerRoute(r: HttpRateLimitIR, stat: string): Json {
  const cfg: Json = {
    '@type': TYPE_HTTP_LOCAL_RATELIMIT, stat_prefix: `${stat}.ratelimit`, token_bucket: tokenBucket(r.bucket),
    filter_enabled: { default_value: { numerator: 100, denominator: 'HUNDRED' }, runtime_key: `${stat}.ratelimit_enabled` },
    filter_enforced: { default_value: { numerator: 100, denominator: 'HUNDRED' }, runtime_key: `${stat}.ratelimit_enforced` },
  };
  if (r.status !== undefined) cfg.status = { code: r.status };
  if (r.headers.length > 0) cfg.response_headers_to_add = r.headers.map((h) => ({ header: { key: h.name, value: h.value }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }));
  return { [HTTP_LOCAL_RATELIMIT]: cfg };
}

/**
 * UpstreamTrafficSetting connectionSettings on a cluster: every client's cluster of the Service, or an egress
 * cluster. `plainHttp`: the cluster speaks HTTP/1.1 without protocol options of its own (an http egress cluster),
 * so max requests per connection needs explicit ones.
 */
export function applyClusterSettings(cluster: Json, s: ClusterSettingsIR, plainHttp = false): void {
  cluster.circuit_breakers = circuitBreakers(s);
  if (s.connectTimeout) cluster.connect_timeout = s.connectTimeout;
  if (s.maxRequestsPerConnection === undefined) return;
  const options = cluster.typed_extension_protocol_options as Json | undefined;
  if (options) {
    const http = { ...(options[HTTP_PROTOCOL_OPTIONS] as Json) };
    http.common_http_protocol_options = { max_requests_per_connection: s.maxRequestsPerConnection };
    cluster.typed_extension_protocol_options = { [HTTP_PROTOCOL_OPTIONS]: http };
  } else if (plainHttp) {
    cluster.typed_extension_protocol_options = {
      [HTTP_PROTOCOL_OPTIONS]: {
        '@type': HTTP_PROTOCOL_OPTIONS_TYPE_URL,
        common_http_protocol_options: { max_requests_per_connection: s.maxRequestsPerConnection },
        explicit_http_config: { http_protocol_options: {} },
      },
    };
  }
}
