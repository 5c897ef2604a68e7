/**
 * MeshConfig feature flags this compile does not realise as OSM did, each
 * reported once at the flag (docs/guide-osm.md, "Feature flags"):
 *
 * - enableWASMStats: no WASM filter; Envoy stats tags instead (stats-tags.ts),
 *   or nothing at all for proxyless gRPC clients;
 * - enableEnvoyActiveHealthChecks: compiled for Envoy (active-health.ts), not
 *   for proxyless gRPC clients;
 * - enableSnapshotCacheMode, enableAsyncProxyServiceMapping: osm-controller's
 *   own workings, nothing in the proxies;
 * - enableMulticlusterMode: no other cluster's endpoints (MESH1192, a warning).
 * enableEgressPolicy, enableIngressBackendPolicy and enableRetryPolicy decide
 * whether those policies apply (MESH1112 when one is off).
 */
import type { BuildContext } from './context.ts';

const CONTROL_PLANE: Record<string, string> = {
  enableSnapshotCacheMode: 'it configures how osm-controller serves xDS (a go-control-plane snapshot cache instead of its own ADS loop); meshc compiles snapshots ahead of time and `meshc serve` always serves them',
  enableAsyncProxyServiceMapping: 'it configures how osm-controller finds a connecting proxy\'s Services (asynchronously, from its pod); meshc knows every proxy\'s Services at compile time',
};

/** Why a flag that is on is not compiled as OSM did, or undefined when it is. */
function notCompiled(flag: string, grpc: boolean): string | undefined {
  if (flag === 'enableWASMStats') {
    return grpc
      ? 'proxyless gRPC clients have no Envoy statistics to extend'
      : 'meshc loads no WASM stats filter; each bootstrap tags Envoy\'s own statistics instead (source_namespace, source_kind, source_name; destination_namespace, destination_name of mesh clusters): per source workload and destination Service, without osm_request_total / osm_request_duration_ms and without the destination workload or pod';
  }
  if (flag === 'enableEnvoyActiveHealthChecks' && grpc) return 'proxyless gRPC clients do not run xDS active health checks';
  return CONTROL_PLANE[flag];
}

export function reportMeshConfigFlags(ctx: BuildContext): void {
  const mc = ctx.options.osm?.meshConfig;
  if (!mc) return;
  for (const flag of Object.keys(mc.featureFlags).sort()) {
    if (mc.featureFlags[flag] !== true) continue;
    const at = { meta: mc.meta, path: ['spec', 'featureFlags', flag] };
    if (flag === 'enableMulticlusterMode') {
      ctx.reporter.report('MESH1192', {}, at);
      continue;
    }
    const why = notCompiled(flag, ctx.grpc);
    if (why) ctx.reporter.report('MESH1191', { flag, why }, at);
  }
}
