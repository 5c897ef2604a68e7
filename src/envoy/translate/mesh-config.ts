/**
 * What the OSM MeshConfig changes in every Envoy sidecar (docs/guide-osm.md):
 *
 * - TLS parameters of the mesh's mTLS (sidecar.tlsMinProtocolVersion,
 *   tlsMaxProtocolVersion, cipherSuites, ecdhCurves) on both sides;
 * - global egress passthrough (traffic.enableEgress): the outbound listener's
 *   default filter chain `outbound-egress-filter-chain` proxies any other
 *   destination to its original address through the ORIGINAL_DST cluster
 *   `passthrough-outbound`, as OSM built it (osm-translation.md section 5);
 * - the sidecar log level, which is an Envoy command-line flag (--log-level),
 *   not configuration: compile records it in manifest.json per node.
 * Without a MeshConfig none of this is emitted (today's output stands).
 */
import type { OsmSettings } from '../../model/osm-settings.ts';
import {
  CLUSTER_TYPE_URL, TCP_PROXY_TYPE_URL,
} from '../protos/type-urls.ts';
import {
  CONNECT_TIMEOUT, type Json,
} from './shapes.ts';

export const CLUSTER_PASSTHROUGH = 'passthrough-outbound';
export const CHAIN_PASSTHROUGH = 'outbound-egress-filter-chain';

/** `common_tls_context.tls_params`, or undefined when the MeshConfig sets none. */
export function tlsParams(osm: OsmSettings | undefined): Json | undefined {
  if (!osm) return undefined;
  const p: Json = {};
  if (osm.tls.min) p.tls_minimum_protocol_version = osm.tls.min;
  if (osm.tls.max) p.tls_maximum_protocol_version = osm.tls.max;
  if (osm.tls.cipherSuites.length > 0) p.cipher_suites = [...osm.tls.cipherSuites];
  if (osm.tls.ecdhCurves.length > 0) p.ecdh_curves = [...osm.tls.ecdhCurves];
  return Object.keys(p).length > 0 ? p : undefined;
}

export function passthroughChain(): Json {
  return {
    name: CHAIN_PASSTHROUGH,
    filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE_URL, stat_prefix: CLUSTER_PASSTHROUGH, cluster: CLUSTER_PASSTHROUGH } }],
  };
}

export function passthroughCluster(): Json {
  return { '@type': CLUSTER_TYPE_URL, name: CLUSTER_PASSTHROUGH, type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED', connect_timeout: CONNECT_TIMEOUT };
}

/** Envoy's --log-level value for OSM's sidecar.logLevel (Envoy knows both warning and warn). */
export function envoyLogLevel(osm: OsmSettings | undefined): string | undefined {
  return osm?.sidecarLogLevel;
}
