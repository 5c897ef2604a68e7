/**
 * MeshConfig featureFlags.enableEnvoyActiveHealthChecks, as OSM built it
 * (osm-translation.md sections 7 and 16):
 *
 * - every client's HTTP and gRPC cluster of a mesh Service checks each
 *   endpoint actively: `GET /healthz/osm` with `x-osm-envoy-healthcheck: 1`
 *   and Host the Service's FQDN, every 10 s, 1 s timeout, healthy after 1
 *   success, unhealthy after 3 failures, over the cluster's own mTLS;
 * - every sidecar's inbound HTTP connection manager answers that request
 *   itself (`envoy.filters.http.health_check`, not passed to the application).
 *
 * Two deviations, both so that a healthy proxy is reported healthy:
 * - TCP clusters get no check: their inbound chain is a TCP proxy, so OSM's
 *   HTTP check reached the application (which rarely speaks HTTP on that port);
 * - the filter comes first in the inbound chain, before RBAC and local rate
 *   limits: meshc's RBAC is per listener (OSM's per route let an unrouted
 *   /healthz/osm through), so a caller granted only some paths would see its
 *   checks denied and take every endpoint out of rotation.
 */
import type { OsmSettings } from '../../model/osm-settings.ts';
import { HEALTH_CHECK_FILTER_TYPE_URL } from '../protos/type-urls.ts';
import type { Json } from './shapes.ts';

export const HEALTH_CHECK_PATH = '/healthz/osm';
export const HEALTH_CHECK_HEADER = 'x-osm-envoy-healthcheck';

export function activeHealthChecksOn(osm: Pick<OsmSettings, 'features'> | undefined): boolean {
  return osm?.features.enableEnvoyActiveHealthChecks === true;
}

/** `Cluster.health_checks` of a mesh Service's HTTP or gRPC cluster; `host`: the Service's FQDN. */
export function clusterHealthChecks(host: string): Json[] {
  return [{
    timeout: '1s', interval: '10s', healthy_threshold: 1, unhealthy_threshold: 3,
    http_health_check: {
      host, path: HEALTH_CHECK_PATH,
      request_headers_to_add: [{ header: { key: HEALTH_CHECK_HEADER, value: '1' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
    },
  }];
}

/** The inbound HCM filter that answers the checks (Envoy's health_check filter, not passed through). */
export function healthCheckFilter(): Json {
  return {
    name: 'envoy.filters.http.health_check',
    typed_config: {
      '@type': HEALTH_CHECK_FILTER_TYPE_URL, pass_through_mode: false,
      headers: [{ name: ':path', string_match: { exact: HEALTH_CHECK_PATH } }, { name: HEALTH_CHECK_HEADER, present_match: true }],
    },
  };
}
