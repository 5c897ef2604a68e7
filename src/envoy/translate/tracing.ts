/**
 * Application insights, part 2: tracing from the MeshConfig's
 * observability.tracing (OSM `pkg/envoy/lds/tracing.go`): every HTTP
 * connection manager generates request ids and reports spans to a Zipkin
 * collector (Jaeger speaks Zipkin) through the STRICT_DNS cluster
 * `envoy-tracing-cluster`.
 */
import type { OsmSettings } from '../../model/osm-settings.ts';
import {
  CLUSTER_TYPE_URL,
} from '../protos/type-urls.ts';
import {
  CONNECT_TIMEOUT, singleEndpoint, type Json,
} from './shapes.ts';

export const CLUSTER_TRACING = 'envoy-tracing-cluster';
const TYPE_ZIPKIN = 'type.googleapis.com/envoy.config.trace.v3.ZipkinConfig';

/** HCM fields for tracing (`tracing`, `generate_request_id`), or {} when tracing is off. */
export function hcmTracing(osm: OsmSettings | undefined): Json {
  const t = osm?.tracing;
  if (!t) return {};
  return {
    generate_request_id: true,
    tracing: {
      provider: {
        name: 'envoy.tracers.zipkin',
        typed_config: { '@type': TYPE_ZIPKIN, collector_cluster: CLUSTER_TRACING, collector_endpoint: t.endpoint, collector_endpoint_version: 'HTTP_JSON' },
      },
    },
  };
}

export function tracingCluster(osm: OsmSettings | undefined): Json | undefined {
  const t = osm?.tracing;
  if (!t) return undefined;
  return { '@type': CLUSTER_TYPE_URL, name: CLUSTER_TRACING, type: 'STRICT_DNS', connect_timeout: CONNECT_TIMEOUT, load_assignment: singleEndpoint(CLUSTER_TRACING, t.address, t.port) };
}
