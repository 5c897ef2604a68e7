/**
 * MeshConfig featureFlags.enableWASMStats without WebAssembly. OSM loaded a
 * WASM stats filter into every HCM that counted `osm_request_total` and
 * `osm_request_duration_ms` labelled with the source and destination
 * workload (namespace, kind, name, pod; the destination learnt from
 * `osm-stats-*` response headers its inbound routes added). meshc ships no
 * WASM binary; it tags Envoy's own upstream statistics instead, through the
 * bootstrap's `stats_config` (docs/guide-osm.md, "WASM stats"):
 *
 * - fixed tags `source_namespace`, `source_kind`, `source_name`: the proxy's
 *   workload, on every statistic it exports;
 * - `destination_namespace` and `destination_name` cut out of mesh cluster
 *   names (`<namespace>/<service>|<port>`), next to Envoy's default
 *   `envoy_cluster_name` and `envoy_response_code` tags.
 *
 * So `envoy_cluster_upstream_rq{source_*, destination_namespace,
 * destination_name, envoy_response_code}` counts requests and
 * `envoy_cluster_upstream_rq_time` is their duration histogram, per source
 * workload and destination Service (the pod from Prometheus' own target
 * labels; no destination workload or pod: MESH1191 says so).
 */
import type { OsmSettings } from '../../model/osm-settings.ts';
import type { ProxyIR } from './ir.ts';
import type { Json } from './shapes.ts';

/** A mesh cluster name segment: a Kubernetes name (no '.', '/' or '|'). */
const SEGMENT = '[^./|]+';

export function statsTagsOn(osm: Pick<OsmSettings, 'features'> | undefined): boolean {
  return osm?.features.enableWASMStats === true;
}

/**
 * Bootstrap `stats_config` for one proxy. In a tag regex the first group is cut
 * out of the statistic's name and the second is the tag's value.
 */
export function statsConfig(node: Pick<ProxyIR, 'workload'>): Json {
  return {
    stats_tags: [
      { tag_name: 'source_namespace', fixed_value: node.workload.namespace },
      { tag_name: 'source_kind', fixed_value: node.workload.kind },
      { tag_name: 'source_name', fixed_value: node.workload.name },
      { tag_name: 'destination_namespace', regex: `^cluster\\.((${SEGMENT})/)${SEGMENT}\\|[0-9]+\\.` },
      { tag_name: 'destination_name', regex: `^cluster\\.${SEGMENT}/((${SEGMENT})\\|)[0-9]+\\.` },
    ],
    use_all_default_tags: true,
  };
}
